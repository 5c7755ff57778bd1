package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the external tools of a kit build (apt-get, dpkg-deb, tar, make, gcc, clang) with their output appended to the
 * build log. A failure becomes one sentence for the user that names the log; the command and its exit code go into the
 * cause.
 */
final class Tools {
    private final Path log;

    Tools(Path log) {
        this.log = log;
    }

    Path log() {
        return log;
    }

    /** Runs a command; stdout and stderr go to the log. */
    void run(String failure, Path dir, Map<String, String> env, List<String> command) {
        execute(failure, dir, env, command, ProcessBuilder.Redirect.appendTo(log.toFile()), false);
    }

    void run(String failure, Path dir, String... command) {
        run(failure, dir, Map.of(), List.of(command));
    }

    /** Runs a command with stdout written to {@code output}; stderr goes to the log. */
    void runTo(String failure, Path dir, Path output, List<String> command) {
        execute(failure, dir, Map.of(), command, ProcessBuilder.Redirect.to(output.toFile()), false);
    }

    /** Runs a command and returns its stdout; stderr goes to the log. */
    String capture(String failure, Path dir, List<String> command) {
        return execute(failure, dir, Map.of(), command, ProcessBuilder.Redirect.PIPE, false);
    }

    /** Like {@link #capture} but returns null instead of failing when the command exits non-zero. */
    String captureOrNull(Path dir, List<String> command) {
        return execute("", dir, Map.of(), command, ProcessBuilder.Redirect.PIPE, true);
    }

    private String execute(String failure, Path dir, Map<String, String> env, List<String> command,
                           ProcessBuilder.Redirect stdout, boolean tolerant) {
        note("$ " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(env);
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            String out = stdout == ProcessBuilder.Redirect.PIPE
                    ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            // no deadline: a kit build step (apt, make, clang) takes as long as it takes; the user cancels by interrupting
            int code = process.waitFor();
            if (code != 0) {
                note("exit code " + code);
                if (tolerant) {
                    return null;
                }
                throw new VmmException(failure + " (details in " + log + ")",
                        new IOException(command + " exited with " + code + "; end of log:\n" + tail(30)));
            }
            return out;
        } catch (IOException e) {
            if (tolerant) {
                return null;
            }
            throw new VmmException(failure + ": could not start " + command.getFirst() + " (details in " + log + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("The kit build was interrupted.", e);
        }
    }

    /** Appends a line to the build log; the log is a diagnostic, so failing to write it is not an error. */
    void note(String text) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, Instant.now() + " " + text + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the command's own failure, if any, still reaches the user
        }
    }

    /** The last lines of the log, for the cause of an exception. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException e) {
            return "";
        }
    }
}
