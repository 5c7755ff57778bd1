package dev.freezeframe.coordinator.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.introspect.IntrospectionJson;
import dev.freezeframe.coordinator.introspect.bpf.BpfMapReader;
import dev.freezeframe.coordinator.introspect.bpf.BpfProgStatsReader;
import dev.freezeframe.coordinator.introspect.bpf.MapBtfCache;
import dev.freezeframe.coordinator.introspect.bpf.MapReadOptions;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.mem.AddressSpace;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.PagingRegisters;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernelReader;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.VcpuRegisters;
import dev.freezeframe.vmm.VmmException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a frozen guest into a snapshot report: every vCPU's registers (RIP symbolized), the sched_ext state, every BPF
 * map with typed entries, and the scheduler's latest stats output. Whatever part cannot be read is named with its
 * reason under {@code unavailable}; a capture with nothing at all becomes a placeholder. Never throws for guest data.
 *
 * <p>Report schema {@value #SCHEMA} (JSON, snake_case):
 * <pre>
 * {"schema", "tag", "kind", "elapsed_ms", "step_index"|null,
 *  "freeze": {"time_to_stop_us", "read_us" (while frozen), "vcpus_us", "sched_ext_us", "maps_us", "encode_us"
 *             (after the resume)},
 *  "vcpus": [{"vcpu", "rip", "rip_symbol"|null, "rsp", "rflags", "cr3", "cr4"}],
 *  "sched_ext": {IntrospectionJson scx form},
 *  "scx_sched", "scx_cpus", "scx_dsqs", "scx_tasks", "scx_events", "cpu_time": {SchedExtKernelJson forms},
 *  "bpf_prog_stats": {"items": [{"id", "name", "callback", "structOps", "runs", "totalNs", "nsPerRun", "misses",
 *                     "runsPerCpu"}], "truncated", "unavailable"} (struct_ops programs, {@link BpfProgStatsReader}),
 *  "maps": [IntrospectionJson map form...], "maps_truncated": bool,
 *  "stats": {"lines": [the scheduler's latest output lines]}|null,
 *  "trigger": {...}|null (e.g. the watchpoint hit),
 *  "unavailable": {"part": "reason", ...}}
 * </pre>
 * Addresses are {@code "0x"} + 16 hex digits; typed values are {@code ValueJson} trees.
 */
public final class SnapshotCapturer {
    public static final String SCHEMA = "freezeframe-snapshot/1";
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCapturer.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The report section of {@link BpfProgStatsReader}. */
    public static final String PROG_STATS = "bpf_prog_stats";

    private final Supplier<Read<KernelTypes>> types;
    private final MapReadOptions mapOptions;
    /** The maps' own BTF, parsed once per run rather than at every capture. */
    private final MapBtfCache mapBtfs = new MapBtfCache();

    /**
     * @param types the vmlinux BTF of the running kernel
     * @param vcpus how many vCPUs the guest has (per-CPU map values are read for each)
     */
    public SnapshotCapturer(KernelTypes types, int vcpus) {
        this(() -> Read.ok(types), vcpus);
    }

    /**
     * @param types the running kernel's types as they are known at each capture (a run learns them from the guest
     *              after boot), or why they are not
     * @param vcpus how many vCPUs the guest has (per-CPU map values are read for each)
     */
    public SnapshotCapturer(Supplier<Read<KernelTypes>> types, int vcpus) {
        this.types = types;
        this.mapOptions = MapReadOptions.DEFAULT.withCpus(vcpus);
    }

    /**
     * Reads the frozen guest and encodes the report (both while the caller holds the freeze). Callers that can resume
     * first use {@link #read} under the freeze and {@link #encode} after it.
     *
     * @param symbols     the guest's symbol table (empty before the agent sent it)
     * @param statsLines  the scheduler's latest output lines (its stats), possibly empty
     */
    public SnapshotRecord capture(FrozenVm frozen, CaptureRequest request, KernelSymbolTable symbols,
                                  List<String> statsLines) {
        return encode(read(frozen, request, symbols, statsLines));
    }

    /**
     * Everything a snapshot holds, read from the frozen guest into plain values (nothing of it refers to guest memory
     * any more): what must happen while frozen. The caller holds the freeze; {@link #encode} needs none.
     */
    public FrozenRead read(FrozenVm frozen, CaptureRequest request, KernelSymbolTable symbols,
                           List<String> statsLines) {
        long started = System.nanoTime();
        List<VcpuRegisters> vcpus = null;
        String vcpusProblem = null;
        Optional<PagingRegisters> paging = Optional.empty();
        try {
            vcpus = frozen.vcpus();
            if (!vcpus.isEmpty()) paging = Optional.of(new PagingRegisters(vcpus.getFirst().cr3(),
                    vcpus.getFirst().control().cr4()));
        } catch (VmmException e) {
            vcpusProblem = e.getMessage();
        }
        long tVcpus = System.nanoTime();
        long tScx = tVcpus;
        Read<KernelView> view = kernelView(frozen, symbols, paging);
        ScxState scx = null;
        SchedExtKernel kernel = null;
        Walk<BpfProgStatsReader.ProgStats> progStats = null;
        BpfMapReader.BpfMaps maps = null;
        if (view.isOk()) {
            KernelView k = view.orElse(null);
            scx = ScxStateReader.read(k);
            kernel = SchedExtKernelReader.read(k, scx);
            progStats = BpfProgStatsReader.read(k);
            tScx = System.nanoTime();
            maps = new BpfMapReader(k, mapOptions, mapBtfs).readAll();
        }
        long tEnd = System.nanoTime();
        return new FrozenRead(request, symbols, List.copyOf(statsLines), vcpus, vcpusProblem, view.reasonOrNull(), scx,
                kernel, progStats, maps, frozen.timeToStop().toNanos() / 1000, (tEnd - started) / 1000,
                (tVcpus - started) / 1000, (tScx - tVcpus) / 1000, (tEnd - tScx) / 1000);
    }

    /**
     * What one capture read while the guest was frozen; timings in µs.
     *
     * @param vcpus     null when the registers could not be read ({@code vcpusProblem} says why)
     * @param noKernel  why the kernel could not be seen (then {@code scx}, {@code kernel}, {@code progStats} and
     *                  {@code maps} are null), else null
     */
    public record FrozenRead(CaptureRequest request, KernelSymbolTable symbols, List<String> statsLines,
            List<VcpuRegisters> vcpus, String vcpusProblem, String noKernel, ScxState scx, SchedExtKernel kernel,
            Walk<BpfProgStatsReader.ProgStats> progStats, BpfMapReader.BpfMaps maps, long timeToStopUs, long readUs,
            long vcpusUs, long schedExtUs, long mapsUs) {
    }

    /** The snapshot record of a read: the report as JSON (no guest access, so after the guest has resumed). */
    public SnapshotRecord encode(FrozenRead read) {
        long started = System.nanoTime();
        CaptureRequest request = read.request();
        ObjectNode report = NODES.objectNode();
        ObjectNode unavailable = NODES.objectNode();
        report.put("schema", SCHEMA);
        report.put("tag", request.tag());
        report.put("kind", request.kind().wireName());
        report.put("elapsed_ms", request.atNanos() / 1_000_000);
        if (request.stepIndex().isPresent()) report.put("step_index", request.stepIndex().get());
        else report.putNull("step_index");

        boolean anyState = read.vcpus() != null;
        if (read.vcpus() != null) {
            ArrayNode list = report.putArray("vcpus");
            for (VcpuRegisters r : read.vcpus()) list.add(vcpuJson(r, read.symbols()));
        } else {
            report.putNull("vcpus");
            unavailable.put("vcpus", read.vcpusProblem());
        }
        if (read.noKernel() != null) {
            unavailable.put("sched_ext", read.noKernel());
            unavailable.put("maps", read.noKernel());
            unavailable.put(PROG_STATS, read.noKernel());
            report.putNull("sched_ext");
            report.putArray("maps");
        } else {
            report.set("sched_ext", IntrospectionJson.toJson(read.scx()));
            SchedExtKernelJson.put(report, unavailable, read.kernel());
            SchedExtKernelJson.part(report, unavailable, PROG_STATS, read.progStats());
            ObjectNode mapsJson = IntrospectionJson.toJson(read.maps());
            report.set("maps", mapsJson.get("maps"));
            report.put("maps_truncated", read.maps().truncated());
            if (read.maps().unavailable() != null) unavailable.put("maps", read.maps().unavailable());
            anyState = true;
        }

        if (read.statsLines().isEmpty()) {
            report.putNull("stats");
            unavailable.put("stats", "the scheduler has printed no output yet");
        } else {
            ArrayNode lines = report.putObject("stats").putArray("lines");
            read.statsLines().forEach(lines::add);
        }
        if (request.trigger() != null) report.set("trigger", request.trigger());
        else report.putNull("trigger");

        ObjectNode freeze = report.putObject("freeze");
        freeze.put("time_to_stop_us", read.timeToStopUs());
        freeze.put("read_us", read.readUs());
        freeze.put("vcpus_us", read.vcpusUs());
        freeze.put("sched_ext_us", read.schedExtUs());
        freeze.put("maps_us", read.mapsUs());
        report.set("unavailable", unavailable);

        if (!anyState) {
            String reason = unavailable.path("vcpus").asText("the guest could not be read");
            return SnapshotRecord.placeholder(request.tag(), request.kind(), request.atNanos(), request.stepIndex(),
                    reason);
        }
        // the encoding's own cost, measured up to here (the serialisation after it is a few ms more)
        freeze.put("encode_us", (System.nanoTime() - started) / 1000);
        try {
            return new SnapshotRecord(request.tag(), request.kind(), request.atNanos(), request.stepIndex(), false,
                    Optional.empty(), JSON.writeValueAsString(report));
        } catch (JsonProcessingException e) {
            LOG.error("cannot serialise snapshot {}", request.tag(), e);
            return SnapshotRecord.placeholder(request.tag(), request.kind(), request.atNanos(), request.stepIndex(),
                    "the report could not be written (" + e.getOriginalMessage() + ")");
        }
    }

    /** The frozen kernel as the walkers see it, or why it cannot be seen yet. */
    public Read<KernelView> kernelView(FrozenVm frozen, KernelSymbolTable symbols, Optional<PagingRegisters> paging) {
        return kernelView(frozen.memory(), symbols, paging);
    }

    /**
     * The kernel as the walkers see it from guest RAM that may be running (the stall-onset watch reads without a
     * freeze; torn reads end in reasons, never in exceptions).
     */
    public Read<KernelView> kernelView(GuestMemory memory, KernelSymbolTable symbols, Optional<PagingRegisters> paging) {
        if (symbols.size() == 0) return Read.unavailable("the guest's symbol table has not arrived yet");
        Read<KernelTypes> known = types.get();
        if (known instanceof Read.Unavailable<KernelTypes> u) return u.cast();
        KernelTypes kernelTypes = known.orElse(null);
        var byName = symbols.asKernelSymbols();
        Read<AddressSpace> space = AddressSpace.discover(memory, byName.asMap(),
                kernelTypes.offsetOf("struct mm_struct", "pgd"), paging);
        if (!space.isOk()) return Read.unavailable("address translation: " + space.reasonOrNull());
        return Read.ok(new KernelView(new KernelMemory(space.orElse(null)), kernelTypes, byName));
    }

    /**
     * Everything a capture reads, from guest RAM that may be running, with the result thrown away: fills the type and
     * name caches and warms the code paths and serialisers, so the first capture is as fast as later ones. Torn reads
     * do not matter here; nothing is thrown.
     */
    public void warmUp(GuestMemory memory, KernelSymbolTable symbols) {
        Read<KernelView> view = kernelView(memory, symbols, Optional.empty());
        if (!view.isOk()) return;
        try {
            KernelView kernel = view.orElse(null);
            ObjectNode scratch = NODES.objectNode();
            ScxState scx = ScxStateReader.read(kernel);
            scratch.set("sched_ext", IntrospectionJson.toJson(scx));
            SchedExtKernelJson.put(scratch, NODES.objectNode(), SchedExtKernelReader.read(kernel, scx));
            SchedExtKernelJson.part(scratch, NODES.objectNode(), PROG_STATS, BpfProgStatsReader.read(kernel));
            scratch.set("maps", IntrospectionJson.toJson(new BpfMapReader(kernel, mapOptions, mapBtfs).readAll()));
            JSON.writeValueAsString(scratch);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debug("capture warm-up: {}", e.toString());
        }
    }

    /** The paging registers of the first vCPU, for address translation (CR3 from a frozen vCPU beats init_mm). */
    public static Optional<PagingRegisters> paging(FrozenVm frozen) {
        try {
            VcpuRegisters first = frozen.vcpu(0);
            return Optional.of(new PagingRegisters(first.cr3(), first.control().cr4()));
        } catch (VmmException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode vcpuJson(VcpuRegisters r, KernelSymbolTable symbols) {
        ObjectNode o = NODES.objectNode();
        o.put("vcpu", r.vcpu());
        o.put("rip", hex(r.rip()));
        o.put("rip_symbol", r.ripInKernelHalf() ? symbols.symbolize(r.rip()).orElse(null) : "(user space)");
        o.put("rsp", hex(r.rsp()));
        o.put("rflags", hex(r.rflags()));
        o.put("cr3", hex(r.cr3()));
        o.put("cr4", hex(r.control().cr4()));
        return o;
    }

    static String hex(long value) {
        return String.format("0x%016x", value);
    }
}
