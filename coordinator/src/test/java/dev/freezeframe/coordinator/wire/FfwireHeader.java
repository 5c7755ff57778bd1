package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where the guest agent's {@code ffwire.h} is: set by the coordinator pom, with a fallback for IDE runs. */
final class FfwireHeader {
    private FfwireHeader() {
    }

    static Path path() {
        String configured = System.getProperty("ffwire.header");
        Path p = configured != null ? Path.of(configured) : Path.of("../vmm/src/main/c/agent/ffwire.h");
        if (!Files.isRegularFile(p)) throw new IllegalStateException("ffwire.h not found at " + p.toAbsolutePath());
        return p.toAbsolutePath().normalize();
    }

    /**
     * Compiles {@code program} (C11, every warning an error) against the header in {@code dir}, runs it and returns
     * what it wrote on stdout: the frames a cross-language test decodes. Fails the test when it does not compile or
     * its own checks (its exit code) fail.
     */
    static byte[] stdoutOfCProgram(Path dir, String name, String program) throws IOException, InterruptedException {
        Path source = Files.writeString(dir.resolve(name + ".c"), program);
        Path binary = dir.resolve(name);
        Process gcc = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Werror",
                "-O2", "-I" + path().getParent(), source.toString(), "-o", binary.toString())
                .redirectErrorStream(true).start();
        String gccOutput = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS), "gcc ended within 2 minutes");
        assertEquals(0, gcc.exitValue(), gccOutput);

        Process emit = new ProcessBuilder(binary.toString()).start();
        byte[] stream = emit.getInputStream().readAllBytes();
        assertTrue(emit.waitFor(30, TimeUnit.SECONDS), name + " ended within 30 s");
        assertEquals(0, emit.exitValue(), "the C program's own checks");
        return stream;
    }
}
