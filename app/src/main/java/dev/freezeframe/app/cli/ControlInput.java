package dev.freezeframe.app.cli;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.watch.WatchControl;
import dev.freezeframe.coordinator.watch.WatchSlots;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --control stdin}: reads {@link WatchControl} commands, and {@code resume} (lets a guest frozen by
 * {@code --freeze-on-enable} run the workload), from standard input, one per line, while the run
 * goes on, and answers each on standard error with one line starting {@code control: }. Commands are carried out in
 * order; those read before the watch slots are up (the guest's symbol table has not arrived or the scheduler is not
 * enabled yet) wait for them, so a script can be piped in at the start. End of input ends the control, not the run.
 */
final class ControlInput {
    private static final Logger LOG = LoggerFactory.getLogger(ControlInput.class);
    static final String PREFIX = "control: ";

    private ControlInput() {
    }

    /** Starts the reader on a daemon thread (a blocked read never keeps the JVM alive). */
    static Thread start(InputStream in, CompletableFuture<WatchSlots> slots, Supplier<String> resume,
                        PrintWriter replies) {
        return Thread.ofPlatform().name("run-control").daemon(true).start(() -> read(in, slots, resume, replies));
    }

    static void read(InputStream in, CompletableFuture<WatchSlots> slots, Supplier<String> resume,
                     PrintWriter replies) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String reply = line.strip().equalsIgnoreCase("resume") ? resume.get() : answer(line, slots);
                if (reply != null) {
                    replies.println(PREFIX + reply);
                    replies.flush();
                }
            }
        } catch (IOException e) {
            LOG.info("control input closed: {}", e.getMessage());
        }
    }

    /** The one-line answer to one line of input; null for a blank line or a comment. */
    static String answer(String line, CompletableFuture<WatchSlots> slots) {
        Optional<WatchControl.Command> command;
        try {
            command = WatchControl.parse(line);
        } catch (CoordinatorException e) {
            return "error: " + e.getMessage();
        }
        if (command.isEmpty()) return null;
        if (command.get() instanceof WatchControl.Command.Help) return WatchControl.help();
        WatchSlots ready;
        try {
            ready = slots.get();
        } catch (ExecutionException | CompletionException e) {
            return "refused: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "refused: interrupted";
        }
        return WatchControl.execute(command.get(), ready);
    }
}
