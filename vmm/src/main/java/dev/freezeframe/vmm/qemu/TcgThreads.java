package dev.freezeframe.vmm.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many translation threads TCG runs: one per vCPU ({@code thread=multi}) only on a QEMU whose multi-threaded TCG
 * is safe for a Linux guest that patches its own code, else one for all vCPUs ({@code thread=single}).
 *
 * <p>Why (docs/guest-kit.md, "Multi-threaded TCG"): Linux patches live kernel text with {@code text_poke_bp} (int3
 * first, then the tail, then the first byte, with a sync IPI after each). QEMU 7.2 translates a block without holding
 * the lock of the guest page it reads and links the block under that lock only afterwards; a write by another vCPU in
 * between invalidates the page's blocks but not the one still being translated, so a vCPU can keep running a block that
 * holds the int3 after the patch is finished: "Oops: int3" (seen once in CI, in {@code sched_clock_cpu} right after
 * {@code sched_clock: Marking stable}). Newer QEMU locks the page before it translates. Multi-threaded TCG is used from
 * {@link #SAFE_FROM_MAJOR}.0, the version checked here ({@code vmm/bench/boot-stability.sh}: 50 boots, no int3 oops).
 */
public enum TcgThreads {
    SINGLE("single"), MULTI("multi");

    /** The first QEMU major version run multi-threaded. */
    static final int SAFE_FROM_MAJOR = 10;
    private static final Pattern VERSION = Pattern.compile("QEMU emulator version (\\d+)\\.(\\d+)");
    private static final Map<Path, TcgThreads> BY_BINARY = new ConcurrentHashMap<>();

    private final String option;

    TcgThreads(String option) {
        this.option = option;
    }

    /** The {@code thread=} value of {@code -accel tcg}. */
    public String option() {
        return option;
    }

    /** The choice for a QEMU binary (asks it for its version once per binary and JVM; single when it cannot tell). */
    public static TcgThreads forQemu(Path qemu) {
        return BY_BINARY.computeIfAbsent(qemu, q -> forVersionText(versionText(q).orElse("")));
    }

    /** The choice for the first line of {@code qemu-system-x86_64 --version}. */
    static TcgThreads forVersionText(String text) {
        Matcher m = VERSION.matcher(text);
        return m.find() && Integer.parseInt(m.group(1)) >= SAFE_FROM_MAJOR ? MULTI : SINGLE;
    }

    private static Optional<String> versionText(Path qemu) {
        try {
            Process p = new ProcessBuilder(qemu.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
