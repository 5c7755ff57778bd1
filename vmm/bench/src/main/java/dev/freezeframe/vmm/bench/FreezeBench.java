package dev.freezeframe.vmm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.vmm.AcceleratorChoice;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.kit.Initramfs;
import dev.freezeframe.vmm.qemu.GdbstubMemoryReader;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Freeze benchmarks (issue 5), printed as one JSON object, from one boot of the guest kit under the QEMU backend while
 * the guest forks in a loop (so the vCPUs are busy when frozen):
 * <ul>
 *   <li><b>freeze</b>: {@code bench.freezes} freezes, each freeze → close (resume), and each freeze → read every vCPU's
 *       registers → close; median and p95 of the whole round trip and of the time until every vCPU had stopped;</li>
 *   <li><b>memory_read</b>: inside one freeze, {@code bench.readMiB} of guest RAM from guest-physical 0 copied out of the
 *       shared mapping ({@link GuestMemory}), several passes; then the first {@code bench.gdbMiB} of the same bytes through
 *       QEMU's gdbstub ({@code m} packets of 2 KiB in physical-memory mode), checked equal to the mapping's, and that
 *       rate extrapolated to the full size — the gdbstub is too slow to read all of it in a benchmark. Targets:
 *       ≥ 1 GB/s from the mapping, ≥ 100× the gdbstub.</li>
 *   <li><b>watch_hits</b>: a write watchpoint on {@code total_forks} (written on every fork) with a listener that
 *       resumes at once, for {@code bench.hits} hits: time from the stop to the listener, time the guest is held per
 *       hit, hits per second.</li>
 * </ul>
 * Properties: {@code bench.freezes} (50), {@code bench.hits} (200), {@code bench.readMiB} (64), {@code bench.gdbMiB} (4), {@code bench.passes}
 * (5), {@code bench.vcpus} (2), {@code bench.memoryMiB} (1024), {@code bench.kernel} / {@code bench.initrd} (default:
 * the current kit).
 */
public final class FreezeBench {

    private static final String CMDLINE = dev.freezeframe.vmm.kit.GuestContract.KERNEL_CMDLINE;
    private static final double GB = 1e9;
    private static final double MIB = 1 << 20;

    private final int freezes = Integer.getInteger("bench.freezes", 50);
    private final long readBytes = Long.getLong("bench.readMiB", 64) << 20;
    private final long gdbBytes = Long.getLong("bench.gdbMiB", 4) << 20;
    private final int passes = Integer.getInteger("bench.passes", 5);
    private final int vcpus = Integer.getInteger("bench.vcpus", 2);
    private final long memoryMiB = Long.getLong("bench.memoryMiB", 1024);

    public static void main(String[] args) throws Exception {
        BenchGuest guest = BenchGuest.fromPropertiesOrKit();
        Path kernel = guest.kernel();
        Path initrd = guest.initrd();
        Path work = Files.createTempDirectory("freeze-bench");
        try {
            ObjectNode out = new FreezeBench().run(kernel, initrd, work);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } finally {
            try (var files = Files.walk(work)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(0);
    }

    private ObjectNode run(Path kernel, Path initrd, Path work) throws Exception {
        AcceleratorDetector.Decision accelerator = new AcceleratorDetector().decide(AcceleratorChoice.AUTO);
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("benchmark", "vmm-freeze");
        out.put("accelerator", accelerator.accelerator().name().toLowerCase());
        out.put("host_cpus", Runtime.getRuntime().availableProcessors());
        out.put("load_average_1m", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        out.put("kernel", kernel.toString());
        out.put("vcpus", vcpus);
        out.put("memory_mib", memoryMiB);
        out.put("guest_workload", "busybox sh forking /bin/true in a loop");

        Path perRun = Files.write(work.resolve("per-run.cpio"), Initramfs.perRunArchive(List.of(
                "grep -E ' total_forks$' /proc/kallsyms",
                "i=0; while [ $i -lt 10000000 ]; do /bin/true; i=$((i+1)); done"), Map.of()));
        VmSpec spec = VmSpec.builder().kernel(kernel).addInitrd(initrd).addInitrd(perRun).cmdline(CMDLINE).vcpus(vcpus)
                .memoryMiB(memoryMiB).timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(20))).build();
        try (RunningVm vm = new QemuBackend().start(spec)) {
            long totalForks = Long.parseUnsignedLong(vm.console().awaitLine(l -> l.endsWith(" total_forks"),
                    Duration.ofMinutes(3)).orElseThrow(() -> new IllegalStateException("no total_forks in kallsyms"))
                    .text().substring(0, 16), 16);
            vm.console().awaitLine(l -> l.startsWith("FFAGENT cmd-start n=2 "), Duration.ofMinutes(3))
                    .orElseThrow(() -> new IllegalStateException("the guest did not start its workload"));
            Thread.sleep(1000); // let the loop get going
            out.set("freeze", freezeBench(vm));
            out.set("memory_read", memoryBench(vm));
            out.set("watch_hits", watchBench(vm, totalForks));
        }
        return out;
    }

    // ---- freeze latency ----

    private ObjectNode freezeBench(RunningVm vm) throws InterruptedException {
        List<Double> roundTrip = new ArrayList<>();
        List<Double> roundTripWithRegisters = new ArrayList<>();
        List<Double> timeToStop = new ArrayList<>();
        List<Double> frozenFor = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (FrozenVm warm = vm.freeze()) {
                warm.vcpus();
            }
        }
        for (int i = 0; i < freezes; i++) {
            long t0 = System.nanoTime();
            FrozenVm frozen = vm.freeze();
            frozen.close();
            roundTrip.add((System.nanoTime() - t0) / 1e6);
            timeToStop.add(frozen.timeToStop().toNanos() / 1e6);
            Thread.sleep(20); // let the guest run between freezes

            t0 = System.nanoTime();
            try (FrozenVm withRegs = vm.freeze()) {
                if (withRegs.vcpus().size() != vcpus) {
                    throw new IllegalStateException("expected " + vcpus + " vCPUs");
                }
                frozen = withRegs;
            }
            roundTripWithRegisters.add((System.nanoTime() - t0) / 1e6);
            frozenFor.add(frozen.duration().toNanos() / 1e6);
            Thread.sleep(20);
        }
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("freezes", freezes);
        o.put("what", "wall time of freeze() → close(), with and without reading every vCPU's registers, while the guest "
                + "forks; time_to_stop is freeze() until every vCPU had stopped; frozen_duration is FrozenVm.duration()");
        putStats(o, "freeze_resume_ms", roundTrip);
        putStats(o, "freeze_registers_resume_ms", roundTripWithRegisters);
        putStats(o, "time_to_stop_ms", timeToStop);
        putStats(o, "frozen_duration_with_registers_ms", frozenFor);
        return o;
    }

    // ---- watchpoint hits ----

    /**
     * A write watchpoint on total_forks with a listener that resumes at once: how long from the stop reply to the
     * listener (the backend reads the hitting vCPU's registers and the watched value in between), how long the guest is
     * held per hit, and how many hits per second the guest can take.
     */
    private ObjectNode watchBench(RunningVm vm, long totalForks) throws InterruptedException {
        int wanted = Integer.getInteger("bench.hits", 200);
        List<Double> toListener = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Double> held = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(wanted);
        vm.setWatchHitListener(hit -> {
            toListener.add(hit.frozen().duration().toNanos() / 1e6);
            hit.close();
            held.add(hit.frozen().duration().toNanos() / 1e6);
            done.countDown();
        });
        dev.freezeframe.vmm.Watchpoint watch = dev.freezeframe.vmm.Watchpoint.write(totalForks, 8);
        long t0 = System.nanoTime();
        vm.arm(watch);
        boolean all = done.await(5, java.util.concurrent.TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        vm.disarm(watch);
        vm.setWatchHitListener(null);
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("what", "8-byte write watchpoint on total_forks while the guest forks; the listener closes each hit at "
                + "once. stop_to_listener: from the stop reply to the listener call (registers of the hitting vCPU "
                + "and the watched value are read in between); held: from the stop reply to the resume");
        List<Double> a = List.copyOf(toListener);
        List<Double> h = List.copyOf(held);
        o.put("hits", a.size());
        o.put("all_hits_within_5_min", all);
        o.put("hits_per_s", round(a.size() / seconds, 1));
        putStats(o, "stop_to_listener_ms", a);
        putStats(o, "held_ms", h);
        return o;
    }

    // ---- memory read rate ----

    private ObjectNode memoryBench(RunningVm vm) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        GuestPhysAddr base = GuestPhysAddr.of(0);
        try (FrozenVm frozen = vm.freeze()) {
            GuestMemory memory = frozen.memory();
            MemorySegment ram = memory.slice(base, readBytes);
            byte[] buffer = new byte[1 << 20];
            List<Double> passSeconds = new ArrayList<>();
            long digest = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                digest ^= copyOut(ram, buffer);
                passSeconds.add((System.nanoTime() - t0) / 1e9);
            }
            double[] gbPerS = passSeconds.stream().mapToDouble(s -> readBytes / s / GB).toArray();
            double mappingRate = median(Arrays.stream(gbPerS).boxed().toList());

            GdbstubMemoryReader viaGdbstub = GdbstubMemoryReader.of(vm);
            long t0 = System.nanoTime();
            byte[] gdb = viaGdbstub.read(frozen, base, (int) gdbBytes);
            double gdbSeconds = (System.nanoTime() - t0) / 1e9;
            byte[] same = memory.readBytes(base, (int) gdbBytes);
            boolean equal = Arrays.equals(gdb, same);
            double gdbRate = gdbBytes / gdbSeconds / GB;

            o.put("what", "guest-physical [0, " + (readBytes >> 20) + " MiB) of a frozen guest copied out of the shared "
                    + "RAM mapping into a 1 MiB buffer, " + passes + " passes; then the first " + (gdbBytes >> 20)
                    + " MiB of the same bytes through QEMU's gdbstub ('m' packets of 2048 bytes, Qqemu.PhyMemMode:1) "
                    + "in the same freeze");
            o.put("bytes", readBytes);
            ArrayNode passesJson = o.putArray("mapping_gb_per_s_passes");
            Arrays.stream(gbPerS).forEach(r -> passesJson.add(round(r, 3)));
            o.put("mapping_gb_per_s_median", round(mappingRate, 3));
            o.put("mapping_first_pass_gb_per_s", round(gbPerS[0], 3));
            o.put("mapping_seconds_median_for_all_bytes", round(median(passSeconds), 4));
            o.put("gdbstub_bytes_read", gdbBytes);
            o.put("gdbstub_seconds", round(gdbSeconds, 3));
            o.put("gdbstub_mb_per_s", round(gdbRate * 1000, 3));
            o.put("gdbstub_extrapolated", gdbBytes < readBytes);
            o.put("gdbstub_seconds_extrapolated_for_all_bytes", round(readBytes / (gdbRate * GB), 2));
            o.put("gdbstub_bytes_equal_mapping", equal);
            o.put("ratio_mapping_to_gdbstub", round(mappingRate / gdbRate, 1));
            o.put("ratio_mapping_first_pass_to_gdbstub", round(gbPerS[0] / gdbRate, 1));
            o.put("target_mapping_gb_per_s", 1.0);
            o.put("target_ratio", 100);
            o.put("meets_targets", mappingRate >= 1.0 && mappingRate / gdbRate >= 100);
            o.put("digest", Long.toHexString(digest)); // keeps the copies observable
            o.put("freeze_duration_ms", round(frozen.duration().toNanos() / 1e6, 1));
        }
        return o;
    }

    /** Copies the segment out in buffer-sized pieces; returns a digest so the JIT cannot drop the copies. */
    private static long copyOut(MemorySegment ram, byte[] buffer) {
        long digest = 0;
        for (long off = 0; off < ram.byteSize(); off += buffer.length) {
            int n = (int) Math.min(buffer.length, ram.byteSize() - off);
            MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, off, buffer, 0, n);
            digest = digest * 31 + buffer[n - 1] + buffer[n / 2];
        }
        return digest;
    }

    // ---- stats ----

    private static void putStats(ObjectNode node, String name, List<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        node.put(name + "_median", round(median(samples), 3));
        node.put(name + "_p95", round(sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.95 * sorted.length) - 1)], 3));
        node.put(name + "_max", round(sorted[sorted.length - 1], 3));
    }

    private static double median(List<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
