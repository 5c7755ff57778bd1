package dev.freezeframe.vmm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.vmm.AcceleratorChoice;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.channel.ChannelWindow;
import dev.freezeframe.vmm.channel.RingLayout;
import dev.freezeframe.vmm.channel.SharedMemoryDataChannel;
import dev.freezeframe.vmm.kit.Initramfs;
import dev.freezeframe.vmm.qemu.QemuBackend;
import dev.freezeframe.vmm.qemu.QemuCommandLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * VMM benchmarks (issue 4), printed as one JSON object:
 * <ul>
 *   <li><b>boot</b>: launch → first guest-agent console line (SYS_RDY does not exist yet; the agent's first line is the
 *       same moment: the agent is /init and prints before anything else), through {@link QemuBackend} (data channel on)
 *       and through a bare {@code qemu-system-x86_64 -serial stdio} of the same kit with the same accelerator, vCPUs,
 *       memory and kernel command line, alternated in the same run; medians and their ratio (target ≤ 1.05), the ratio
 *       of the best runs (less sensitive to a loaded host), and a third variant, bare QEMU with its RAM in a shared
 *       file on /dev/shm as the backend does, to separate the cost of shared RAM from the backend's own;</li>
 *   <li><b>data_channel</b>: guest → host throughput of the shared-memory channel: the guest's ffchan.c (run by the
 *       agent) streams a pattern, the host reads and verifies every byte; rate between the first and the last byte seen
 *       by the host. For scale, the same C and Java code on the host alone (a file instead of /dev/mem).</li>
 * </ul>
 * Properties: {@code bench.boots} (pairs, default 5), {@code bench.vcpus} (2), {@code bench.memoryMiB} (1024),
 * {@code bench.channelMiB} (64), {@code bench.kernel} / {@code bench.initrd} (default: the current kit),
 * {@code bench.marker} ("FFAGENT ").
 */
public final class VmmBench {

    private static final String CMDLINE = dev.freezeframe.vmm.kit.GuestContract.KERNEL_CMDLINE;
    private static final Duration BOOT_LIMIT = Duration.ofMinutes(2);

    private final Path kernel;
    private final Path initrd;
    private final int vcpus = Integer.getInteger("bench.vcpus", 2);
    private final long memoryMiB = Long.getLong("bench.memoryMiB", 1024);
    private final int pairs = Integer.getInteger("bench.boots", 5);
    private final long channelBytes = Long.getLong("bench.channelMiB", 64) << 20;
    private final String marker = System.getProperty("bench.marker", "FFAGENT ");
    private final Path work;
    private final AcceleratorDetector.Decision accelerator = new AcceleratorDetector().decide(AcceleratorChoice.AUTO);
    private int hungBoots;
    /** CPU time QEMU had used when the marker arrived, per boot kind; less sensitive to a loaded host than wall time. */
    private final Map<String, List<Double>> cpuMs = new java.util.LinkedHashMap<>();

    private VmmBench(Path kernel, Path initrd, Path work) {
        this.kernel = kernel;
        this.initrd = initrd;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        BenchGuest guest = BenchGuest.fromPropertiesOrKit();
        Path kernel = guest.kernel();
        Path initrd = guest.initrd();
        Path work = Files.createTempDirectory("vmm-bench");
        try {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(json.writeValueAsString(new VmmBench(kernel, initrd, work).run()));
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(0);
    }

    private ObjectNode run() throws Exception {
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("benchmark", "vmm");
        out.put("accelerator", accelerator.accelerator().name().toLowerCase());
        out.put("accelerator_reason", accelerator.reason());
        out.put("host_cpus", Runtime.getRuntime().availableProcessors());
        out.put("load_average_1m", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        out.put("kernel", kernel.toString());
        out.put("initrd", initrd.toString());
        out.put("vcpus", vcpus);
        out.put("memory_mib", memoryMiB);
        out.set("boot", bootBench());
        out.set("data_channel", channelBench());
        return out;
    }

    // ---- boot ----

    private ObjectNode bootBench() throws Exception {
        List<Double> bare = new ArrayList<>();
        List<Double> bareShared = new ArrayList<>();
        List<Double> backend = new ArrayList<>();
        bootBare(false); // warm-up: page cache for kernel, initrd and QEMU
        cpuMs.clear();
        for (int i = 0; i < pairs; i++) {
            bare.add(bootBare(false));
            backend.add(bootThroughBackend());
            bareShared.add(bootBare(true));
        }
        ObjectNode boot = new ObjectMapper().createObjectNode();
        boot.put("what", "launch to first console line starting with '" + marker.strip() + "' (the agent's first line)");
        boot.put("rounds", pairs);
        putSamples(boot, "bare_qemu_ms", bare);
        putSamples(boot, "backend_ms", backend);
        putSamples(boot, "bare_qemu_shared_ram_file_ms", bareShared);
        boot.put("ratio_backend_to_bare", round(median(backend) / median(bare), 3));
        boot.put("ratio_backend_to_bare_min", round(min(backend) / min(bare), 3));
        boot.put("ratio_bare_shared_ram_file_to_bare", round(median(bareShared) / median(bare), 3));
        boot.put("target_ratio", 1.05);
        cpuMs.forEach((kind, samples) -> putSamples(boot, kind + "_qemu_cpu_ms", samples));
        boot.put("ratio_backend_to_bare_qemu_cpu", round(median(cpuMs.getOrDefault("backend", List.of()))
                / median(cpuMs.getOrDefault("bare_qemu", List.of())), 3));
        boot.put("boots_without_agent_line_within_" + BOOT_LIMIT.toSeconds() + "_s", hungBoots);
        return boot;
    }

    /**
     * {@code qemu-system-x86_64} with only what a person would type: no sockets, no shared RAM file. With
     * {@code sharedRamFile}, guest RAM comes from a shared file on /dev/shm as in the backend, to tell that cost apart
     * from the backend's own.
     */
    private double bootBare(boolean sharedRamFile) throws Exception {
        Path ramFile = work.resolve("bare-guest-ram");
        List<String> cmd = new ArrayList<>(List.of(QemuBackend.locateQemu().toString(), "-nodefaults", "-no-user-config",
                "-nographic", "-no-reboot"));
        cmd.addAll(QemuCommandLine.acceleratorOptions(accelerator.accelerator(), QemuBackend.locateQemu())); // exactly as the backend
        cmd.addAll(List.of("-smp", Integer.toString(vcpus), "-m", memoryMiB + "M", "-serial", "stdio",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", CMDLINE));
        if (sharedRamFile) {
            ramFile = Files.createTempFile(Path.of("/dev/shm"), "vmm-bench-ram", "");
            cmd.addAll(List.of("-machine", "pc,memory-backend=ram0", "-object", "memory-backend-file,id=ram0,size="
                    + (memoryMiB << 20) + ",mem-path=" + ramFile + ",share=on"));
        } else {
            cmd.addAll(List.of("-machine", "pc"));
        }
        long t0 = System.nanoTime();
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        // TCG boots on a loaded host occasionally hang; such a boot is counted, not waited for
        CompletableFuture.delayedExecutor(BOOT_LIMIT.toSeconds(), TimeUnit.SECONDS).execute(qemu::destroyForcibly);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(qemu.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(marker)) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    recordCpu(sharedRamFile ? "bare_qemu_shared_ram_file" : "bare_qemu", qemu.pid());
                    return ms;
                }
            }
            hungBoots++;
            return Double.NaN;
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(ramFile);
        }
    }

    private double bootThroughBackend() throws Exception {
        VmSpec spec = VmSpec.builder().kernel(kernel).addInitrd(initrd).cmdline(CMDLINE).vcpus(vcpus)
                .memoryMiB(memoryMiB).dataChannel(true).build();
        long t0 = System.nanoTime();
        try (RunningVm vm = new QemuBackend().start(spec)) {
            Optional<ConsoleLine> first = vm.console().awaitLine(l -> l.startsWith(marker), BOOT_LIMIT);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (first.isEmpty()) {
                hungBoots++;
                return Double.NaN;
            }
            ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().orElse("").endsWith("qemu-system-x86_64")).findFirst()
                    .ifPresent(p -> recordCpu("backend", p.pid()));
            return ms;
        }
    }

    /** utime + stime of a process from /proc/PID/stat, in ms (clock ticks of 10 ms). */
    private void recordCpu(String kind, long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // fields 14 and 15 of stat(5)
            cpuMs.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
        } catch (IOException | RuntimeException e) {
            // the process ended meanwhile: no CPU sample for this boot
        }
    }

    // ---- data channel ----

    private ObjectNode channelBench() throws Exception {
        Path pump = buildPump();
        ObjectNode channel = new ObjectMapper().createObjectNode();
        channel.put("transport", "shared-memory ring in a memmap-reserved window of guest RAM (" + (ChannelWindow
                .DEFAULT_BYTES >> 20) + " MiB window, " + (RingLayout.Sizes.forWindow(ChannelWindow.DEFAULT_BYTES)
                .g2hBytes() >> 20) + " MiB guest-to-host ring)");
        channel.put("bytes", channelBytes);
        channel.set("guest_to_host", guestToHost(pump));
        channel.set("host_only_reference", hostOnly(pump));
        ObjectNode uart = secondUartReference();
        channel.set("second_uart_reference", uart);
        channel.put("ratio_ring_to_second_uart", round(channel.get("guest_to_host").get("mib_per_s").asDouble()
                / uart.get("mib_per_s").asDouble(), 0));
        return channel;
    }

    private ObjectNode guestToHost(Path pump) throws Exception {
        Path perRun = Files.write(work.resolve("per-run.cpio"), Initramfs.perRunArchive(
                List.of("/usr/bin/ffchan_pump send " + channelBytes), Map.of("/usr/bin/ffchan_pump", pump)));
        VmSpec spec = VmSpec.builder().kernel(kernel).addInitrd(initrd).addInitrd(perRun).cmdline(CMDLINE).vcpus(vcpus)
                .memoryMiB(memoryMiB).dataChannel(true).timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(10)))
                .build();
        try (RunningVm vm = new QemuBackend().start(spec)) {
            InputStream in = vm.dataChannel().orElseThrow().fromGuest();
            Transfer t = receive(in, channelBytes);
            VmExit exit = vm.awaitExit(Duration.ofMinutes(5)).orElseThrow();
            ObjectNode result = t.toJson();
            result.put("vm_exit", exit.describe());
            vm.console().lines().stream().map(ConsoleLine::text).filter(l -> l.startsWith("FFCHAN-PUMP"))
                    .findFirst().ifPresent(l -> result.put("guest_report", l));
            return result;
        }
    }

    /**
     * The alternative transport for comparison: the guest writes to /dev/ttyS1 (16550A at 0x2f8) and bare QEMU delivers
     * the bytes to a unix socket. Same kit, same guest size, same accelerator.
     */
    private ObjectNode secondUartReference() throws Exception {
        long bytes = Long.getLong("bench.uartKiB", 2048) << 10;
        Path perRun = Files.write(work.resolve("per-run-uart.cpio"), Initramfs.perRunArchive(List.of(
                "stty -F /dev/ttyS1 raw -echo 115200 && dd if=/dev/zero of=/dev/ttyS1 bs=4096 count=" + bytes / 4096
                        + " 2>/dev/null"), Map.of()));
        Path merged = work.resolve("initrd-uart.img");
        Initramfs.concat(initrd, Files.readAllBytes(perRun), merged);
        Path socket = work.resolve("s1.sock");
        List<String> cmd = new ArrayList<>(List.of(QemuBackend.locateQemu().toString(), "-nodefaults", "-no-user-config",
                "-nographic", "-no-reboot", "-machine", "pc"));
        cmd.addAll(QemuCommandLine.acceleratorOptions(accelerator.accelerator(), QemuBackend.locateQemu()));
        cmd.addAll(List.of("-smp", Integer.toString(vcpus), "-m", memoryMiB + "M", "-serial", "file:/dev/null",
                "-chardev", "socket,id=s1,path=" + socket + ",server=on,wait=on", "-serial", "chardev:s1",
                "-kernel", kernel.toString(), "-initrd", merged.toString(), "-append", CMDLINE));
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            java.nio.channels.SocketChannel s1 = null;
            for (int i = 0; i < 2000 && s1 == null; i++) {
                try {
                    s1 = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket));
                } catch (IOException notYet) {
                    Thread.sleep(5);
                }
            }
            if (s1 == null) {
                throw new IllegalStateException("QEMU did not open the second UART's socket");
            }
            try (InputStream in = java.nio.channels.Channels.newInputStream(s1)) {
                byte[] buf = new byte[1 << 16];
                long seen = 0;
                long first = 0;
                while (seen < bytes) {
                    int n = in.read(buf);
                    if (n < 0) {
                        throw new IOException("second UART ended after " + seen + " bytes");
                    }
                    if (seen == 0) {
                        first = System.nanoTime();
                    }
                    seen += n;
                }
                ObjectNode o = new Transfer(seen, first, System.nanoTime()).toJson();
                o.put("verified", false);
                o.put("how", "guest: dd if=/dev/zero of=/dev/ttyS1 (raw); host: QEMU unix-socket chardev");
                return o;
            }
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The same pump and host reader with a plain shared file in place of guest RAM: the ring's own ceiling here. */
    private ObjectNode hostOnly(Path pump) throws Exception {
        Path file = Files.createTempFile(Path.of("/dev/shm"), "ffchan-bench", ".win");
        try (Arena arena = Arena.ofShared();
             FileChannel fc = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            fc.write(ByteBuffer.wrap(new byte[1]), ChannelWindow.DEFAULT_BYTES - 1);
            MemorySegment window = fc.map(FileChannel.MapMode.READ_WRITE, 0, ChannelWindow.DEFAULT_BYTES, arena);
            RingLayout.initialize(window);
            SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
            Process p = new ProcessBuilder(pump.toString(), "send", Long.toString(channelBytes), "--file", file.toString(),
                    "0", Long.toString(ChannelWindow.DEFAULT_BYTES)).redirectErrorStream(true).start();
            Transfer t = receive(channel.fromGuest(), channelBytes);
            p.waitFor(60, TimeUnit.SECONDS);
            return t.toJson();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private record Transfer(long bytes, long firstByteNanos, long lastByteNanos) {
        ObjectNode toJson() {
            ObjectNode o = new ObjectMapper().createObjectNode();
            double secs = (lastByteNanos - firstByteNanos) / 1e9;
            o.put("bytes", bytes);
            o.put("seconds", round(secs, 3));
            o.put("mib_per_s", round(bytes / 1048576.0 / secs, 3));
            o.put("verified", true);
            return o;
        }
    }

    private static Transfer receive(InputStream in, long total) throws IOException {
        byte[] buf = new byte[1 << 20];
        long seen = 0;
        long first = 0;
        while (seen < total) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, total - seen));
            if (n < 0) {
                throw new IOException("channel ended after " + seen + " of " + total + " bytes");
            }
            if (seen == 0) {
                first = System.nanoTime();
            }
            for (int i = 0; i < n; ) {
                int at = (int) ((seen + i) % PERIOD.length);
                int len = Math.min(n - i, PERIOD.length - at);
                if (!Arrays.equals(buf, i, i + len, PERIOD, at, at + len)) {
                    throw new IOException("the guest's stream differs from the pattern near byte " + (seen + i));
                }
                i += len;
            }
            seen += n;
        }
        return new Transfer(seen, first, System.nanoTime());
    }

    /** One period (16 MiB) of pattern() in ffchan_pump.c, so verification does not limit the measured rate. */
    private static final byte[] PERIOD = new byte[16 << 20];

    static {
        for (int i = 0; i < PERIOD.length; i++) {
            PERIOD[i] = (byte) ((i ^ (i >>> 8) ^ (i >>> 16)) * 31 + 7);
        }
    }

    private Path buildPump() throws Exception {
        Path module = Path.of(System.getProperty("bench.module", "vmm"));
        Path out = work.resolve("ffchan_pump");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-Wall", "-I", module.resolve("src/main/c/agent").toString(),
                "-o", out.toString(), module.resolve("src/test/c/ffchan_pump.c").toString(),
                module.resolve("src/main/c/agent/ffchan.c").toString()).inheritIO().start();
        if (gcc.waitFor() != 0) {
            throw new IllegalStateException("gcc failed");
        }
        return out;
    }

    // ---- stats ----

    private static void putSamples(ObjectNode node, String name, List<Double> samples) {
        ArrayNode array = node.putArray(name + "_samples");
        samples.forEach(s -> array.add(Double.isNaN(s) ? null : round(s, 1)));
        node.put(name + "_median", round(median(samples), 1));
    }

    /** Hung boots (NaN) are left out of the statistics; they are counted separately. */
    private static double min(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
    }

    private static double median(List<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted()
                .toArray();
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
