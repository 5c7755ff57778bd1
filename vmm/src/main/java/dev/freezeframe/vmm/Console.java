package dev.freezeframe.vmm;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The guest's serial console (COM1), line by line. */
public interface Console {

    /** A registered listener; closing it stops delivery. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Delivers every line kept so far (see {@link #droppedFromHistory()}), then every new line, in order, without gaps or
     * duplicates. The listener runs on the console reader thread and must not block.
     */
    Subscription subscribe(Consumer<ConsoleLine> listener);

    /** The lines kept so far. */
    List<ConsoleLine> lines();

    /** Lines no longer kept for {@link #lines()} and late subscribers because the history cap was reached. */
    long droppedFromHistory();

    /** Completes when the console stream has ended (the VM is gone) and its last, possibly partial, line delivered. */
    CompletableFuture<Void> ended();

    /**
     * Waits for the first line (kept or future) matching {@code predicate}; empty on timeout or when the console ends
     * without one.
     */
    Optional<ConsoleLine> awaitLine(Predicate<String> predicate, Duration timeout) throws InterruptedException;
}
