package dev.freezeframe.app.bench;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.run.GuestPlan;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.run.GuestBoot;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.wire.Frame;
import dev.freezeframe.coordinator.wire.FrameAssembler;
import dev.freezeframe.coordinator.wire.MessageType;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.kit.GuestContract;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Boot to SYS_RDY (issue 12: ≤ 1.1× a bare multi-threaded-TCG QEMU boot of the same kit), both measured in this run,
 * alternated round by round so load swings hit both. Ours: a real run's cold boot — the run's own VmSpec (per-run
 * initramfs with the plan, data channel, QMP, gdbstub) through {@link QemuBackend} — from before {@code start()} until
 * the agent's SYS_RDY frame arrives on the data channel. Bare: {@code qemu-system-x86_64 -accel tcg,thread=multi} with
 * the kit's kernel, base initramfs and kernel command line and nothing else, until the agent's first console line
 * (the earliest sign of the same agent; SYS_RDY comes after it, so the ratio cannot flatter us). Prints one JSON object.
 *   app/bench/boot.sh [-Dbench.rounds=5]
 */
public final class BootBench {
    private static final double TARGET_RATIO = 1.1;
    private static final long LIMIT_S = 180;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 5);
        Kit kit = new KitCache(AppDirs.fromEnvironment().cacheDir().resolve("kit")).current()
                .orElseThrow(() -> new IllegalStateException("no guest kit: run `freezeframe kit build`"));
        Path work = Files.createTempDirectory("boot-bench-");
        RunConfig config = new RunConfig("scx_simple", List.of(), "cpu", 2, 1024, "kit", 0, List.of());
        var boot = (GuestBoot.Cold) GuestPlan.prepareBoot(config, kit, ScenarioLoader.load("cpu"), work, false, true,
                null);
        QemuBackend backend = new QemuBackend();
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        Samples oursCpu = new Samples();
        Samples bareCpu = new Samples();
        int failed = 0;
        bootBare(kit, new Samples()); // warm-up: page cache, nothing recorded
        for (int i = 0; i < rounds; i++) {
            double b = bootBare(kit, bareCpu);
            double o = bootToSysRdy(backend, boot, oursCpu);
            if (Double.isNaN(b) || Double.isNaN(o)) failed++;
            if (!Double.isNaN(b)) bare.add(b);
            if (!Double.isNaN(o)) ours.add(o);
            System.err.printf(Locale.ROOT, "boot bench: round %d/%d bare %.0f ms, ours %.0f ms%n", i + 1, rounds, b, o);
        }
        double ratio = median(ours) / median(bare);
        System.err.println("boot bench: JVM threads' CPU during ours, all rounds (ms): " + jvmThreadTotals);
        System.out.println(String.format(Locale.ROOT, """
                {"benchmark":"boot_to_sys_rdy","qemu":"%s","tcg_threads_ours":"%s","vcpus":2,"memory_mib":1024,\
                "host_cpus":%d,"load_average_1m_start_end":"%s","rounds":%d,"failed_rounds":%d,\
                "ours_cold_boot_to_sys_rdy_ms":%s,"bare_mttcg_to_agent_first_line_ms":%s,\
                "ours_median_ms":%.1f,"bare_median_ms":%.1f,"ratio_ours_to_bare":%.3f,"target_ratio":%.2f,\
                "meets_target":%s,"ours_qemu_cpu_ms":%s,"bare_qemu_cpu_ms":%s,\
                "ratio_qemu_cpu_ours_to_bare":%.3f,"ours_jvm_cpu_ms":%s,"ours_guest_uptime_at_agent_s":%s,\
                "bare_guest_uptime_at_agent_s":%s,"ours_agent_first_line_to_sys_rdy_ms":%s,"ours_start_call_ms":%s}""",
                qemuVersion(), dev.freezeframe.vmm.qemu.QemuCommandLine.acceleratorOptions(
                        dev.freezeframe.vmm.Accelerator.TCG, QemuBackend.locateQemu()).get(1),
                Runtime.getRuntime().availableProcessors(), LOAD_AT_START + " " + load(), rounds, failed, list(ours),
                list(bare), median(ours), median(bare), ratio, TARGET_RATIO, ratio <= TARGET_RATIO, list(oursCpu.qemuCpuMs),
                list(bareCpu.qemuCpuMs), median(oursCpu.qemuCpuMs) / median(bareCpu.qemuCpuMs), list(oursCpu.jvmCpuMs),
                list2(oursCpu.guestUptimeS), list2(bareCpu.guestUptimeS), list(oursCpu.firstLineToReadyMs), list(oursCpu.startMs)));
    }

    private static final String LOAD_AT_START = load();

    /** What each boot cost besides wall time (load-insensitive: CPU time, and the guest's own clock). */
    private static final class Samples {
        final List<Double> qemuCpuMs = new ArrayList<>();
        final List<Double> jvmCpuMs = new ArrayList<>();
        final List<Double> guestUptimeS = new ArrayList<>();
        final List<Double> firstLineToReadyMs = new ArrayList<>();
        /** start() until it returned: files, QEMU's start, QMP, console and the gdbstub attach (guest stopped). */
        final List<Double> startMs = new ArrayList<>();
    }

    private static final java.util.Map<String, Double> jvmThreadTotals = new java.util.TreeMap<>();

    /** The run's own boot: launch until the agent's SYS_RDY frame is read from the data channel. */
    private static double bootToSysRdy(QemuBackend backend, GuestBoot.Cold boot, Samples samples) throws Exception {
        java.util.Map<String, Double> threadsBefore = ProcStat.threadCpuMs();
        double jvmBefore = ProcStat.cpuMs(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        try (RunningVm vm = backend.start(boot.spec())) {
            samples.startMs.add((System.nanoTime() - t0) / 1e6);
            // the agent's first console line on the same clock as SYS_RDY: what the agent does before SYS_RDY
            CompletableFuture<Long> firstAgentLine = new CompletableFuture<>();
            vm.console().subscribe(line -> {
                if (line.text().startsWith("FFAGENT ")) firstAgentLine.complete(System.nanoTime());
            });
            InputStream in = vm.dataChannel().orElseThrow().fromGuest();
            CompletableFuture<Long> ready = CompletableFuture.supplyAsync(() -> {
                FrameAssembler frames = new FrameAssembler();
                byte[] buf = new byte[1 << 16];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        for (Frame f : frames.push(buf, 0, n)) {
                            if (f.type().orElse(null) == MessageType.SYS_RDY && f.crcOk()) return System.nanoTime();
                        }
                    }
                } catch (java.io.IOException e) {
                    return -1L;
                }
                return -1L;
            });
            try {
                long at = ready.get(LIMIT_S, TimeUnit.SECONDS);
                if (at < 0) return Double.NaN;
                ProcessHandle.current().children().filter(p -> p.info().command().orElse("").contains("qemu"))
                        .findFirst().ifPresent(q -> samples.qemuCpuMs.add(ProcStat.cpuMs(q.pid())));
                samples.jvmCpuMs.add(ProcStat.cpuMs(ProcessHandle.current().pid()) - jvmBefore);
                ProcStat.threadCpuMs().forEach((thread, ms) -> jvmThreadTotals.merge(ProcStat.family(thread),
                        ms - threadsBefore.getOrDefault(thread, 0.0), Double::sum));
                long firstLine = firstAgentLine.getNow(-1L);
                if (firstLine > 0) samples.firstLineToReadyMs.add((at - firstLine) / 1e6);
                vm.console().lines().forEach(line -> ProcStat.uptime(line.text()).ifPresent(samples.guestUptimeS::add));
                return (at - t0) / 1e6;
            } catch (java.util.concurrent.TimeoutException e) {
                return Double.NaN;
            } finally {
                vm.kill();
            }
        }
    }

    /** Bare multi-threaded TCG QEMU of the same kit: launch until the agent's first console line. */
    private static double bootBare(Kit kit, Samples samples) throws Exception {
        List<String> cmd = List.of(QemuBackend.locateQemu().toString(), "-nodefaults", "-no-user-config", "-nographic",
                "-no-reboot", "-accel", "tcg,thread=multi", "-cpu", "max", "-machine", "pc", "-smp", "2", "-m", "1024M",
                "-serial", "stdio", "-kernel", kit.bzImage().toString(), "-initrd", kit.baseInitramfs().toString(),
                "-append", GuestContract.KERNEL_CMDLINE);
        long t0 = System.nanoTime();
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture.delayedExecutor(LIMIT_S, TimeUnit.SECONDS).execute(qemu::destroyForcibly);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(qemu.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("FFAGENT ")) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    samples.qemuCpuMs.add(ProcStat.cpuMs(qemu.pid()));
                    // the agent's next line is its boot report, with the guest's uptime
                    String next = out.readLine();
                    if (next != null) ProcStat.uptime(next).ifPresent(samples.guestUptimeS::add);
                    return ms;
                }
            }
            return Double.NaN;
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        if (s.isEmpty()) return Double.NaN;
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String list(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).collect(Collectors.joining(",", "[", "]"));
    }

    private static String list2(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).collect(Collectors.joining(",", "[", "]"));
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String qemuVersion() throws Exception {
        Process p = new ProcessBuilder(QemuBackend.locateQemu().toString(), "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
        p.waitFor(10, TimeUnit.SECONDS);
        return first.replace("\"", "'");
    }
}
