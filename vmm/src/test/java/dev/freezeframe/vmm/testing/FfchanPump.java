package dev.freezeframe.vmm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code src/test/c/ffchan_pump.c} against the guest channel code in {@code src/main/c/agent/} into a static
 * binary: the same program runs on the host (against a file) and in the guest (against /dev/mem).
 */
public final class FfchanPump {

    /** The vmm module directory, wherever the build runs from. */
    public static Path moduleDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("src/main/c/agent")) ? here : here.resolve("vmm");
    }

    /** Pattern byte at stream position {@code i}; the same function as pattern() in ffchan_pump.c. */
    public static byte pattern(long i) {
        return (byte) ((i ^ (i >>> 8) ^ (i >>> 16)) * 31 + 7);
    }

    /**
     * Compiles the pump into {@code dir}. Skips the calling test when gcc is missing outside CI; under CI (any
     * non-empty {@code CI}) a missing gcc fails, since the kit build needs it anyway.
     */
    public static Path build(Path dir) throws IOException, InterruptedException {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed", "install gcc");
        Path module = moduleDir();
        Path out = dir.resolve("ffchan_pump");
        Process gcc = new ProcessBuilder(List.of("gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror",
                "-I", module.resolve("src/main/c/agent").toString(), "-o", out.toString(),
                module.resolve("src/test/c/ffchan_pump.c").toString(),
                module.resolve("src/main/c/agent/ffchan.c").toString()))
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException("gcc failed:\n" + output);
        }
        return out;
    }

    private FfchanPump() {
    }
}
