package dev.freezeframe.coordinator.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.introspect.IntrospectionJson;
import dev.freezeframe.coordinator.introspect.bpf.BpfMapReader;
import dev.freezeframe.coordinator.introspect.bpf.MapReadOptions;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.AddressSpace;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.PagingRegisters;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
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
 *  "freeze": {"time_to_stop_us", "read_us"},
 *  "vcpus": [{"vcpu", "rip", "rip_symbol"|null, "rsp", "rflags", "cr3", "cr4"}],
 *  "sched_ext": {IntrospectionJson scx form},
 *  "scx_sched", "scx_cpus", "scx_dsqs", "scx_tasks", "scx_events", "cpu_time": {SchedExtKernelJson forms},
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

    private final Supplier<Read<KernelTypes>> types;
    private final MapReadOptions mapOptions;

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
     * Reads the frozen guest. The caller holds the freeze and releases it after this returns.
     *
     * @param symbols     the guest's symbol table (empty before the agent sent it)
     * @param statsLines  the scheduler's latest output lines (its stats), possibly empty
     */
    public SnapshotRecord capture(FrozenVm frozen, CaptureRequest request, KernelSymbolTable symbols,
                                  List<String> statsLines) {
        long started = System.nanoTime();
        ObjectNode report = NODES.objectNode();
        ObjectNode unavailable = NODES.objectNode();
        report.put("schema", SCHEMA);
        report.put("tag", request.tag());
        report.put("kind", request.kind().wireName());
        report.put("elapsed_ms", request.atNanos() / 1_000_000);
        if (request.stepIndex().isPresent()) report.put("step_index", request.stepIndex().get());
        else report.putNull("step_index");

        long t0 = System.nanoTime();
        Optional<PagingRegisters> paging = Optional.empty();
        try {
            List<VcpuRegisters> vcpus = frozen.vcpus();
            ArrayNode list = report.putArray("vcpus");
            for (VcpuRegisters r : vcpus) list.add(vcpuJson(r, symbols));
            if (!vcpus.isEmpty()) paging = Optional.of(new PagingRegisters(vcpus.getFirst().cr3(),
                    vcpus.getFirst().control().cr4()));
        } catch (VmmException e) {
            report.putNull("vcpus");
            unavailable.put("vcpus", e.getMessage());
        }

        boolean anyState = report.get("vcpus").isArray();
        long tVcpus = System.nanoTime();
        long tScx = tVcpus;
        Read<KernelView> view = kernelView(frozen, symbols, paging);
        if (!view.isOk()) {
            unavailable.put("sched_ext", view.reasonOrNull());
            unavailable.put("maps", view.reasonOrNull());
            report.putNull("sched_ext");
            report.putArray("maps");
        } else {
            {
                KernelView kernel = view.orElse(null);
                ScxState scx = ScxStateReader.read(kernel);
                report.set("sched_ext", IntrospectionJson.toJson(scx));
                SchedExtKernelJson.put(report, unavailable, SchedExtKernelReader.read(kernel, scx));
                tScx = System.nanoTime();
                BpfMapReader.BpfMaps maps = new BpfMapReader(kernel, mapOptions).readAll();
                ObjectNode mapsJson = IntrospectionJson.toJson(maps);
                report.set("maps", mapsJson.get("maps"));
                report.put("maps_truncated", maps.truncated());
                if (maps.unavailable() != null) unavailable.put("maps", maps.unavailable());
                anyState = true;
            }
        }

        if (statsLines.isEmpty()) {
            report.putNull("stats");
            unavailable.put("stats", "the scheduler has printed no output yet");
        } else {
            ArrayNode lines = report.putObject("stats").putArray("lines");
            statsLines.forEach(lines::add);
        }
        if (request.trigger() != null) report.set("trigger", request.trigger());
        else report.putNull("trigger");

        long tEnd = System.nanoTime();
        ObjectNode freeze = report.putObject("freeze");
        freeze.put("time_to_stop_us", frozen.timeToStop().toNanos() / 1000);
        freeze.put("read_us", (tEnd - started) / 1000);
        freeze.put("vcpus_us", (tVcpus - t0) / 1000);
        freeze.put("sched_ext_us", (tScx - tVcpus) / 1000);
        freeze.put("maps_us", (tEnd - tScx) / 1000);
        report.set("unavailable", unavailable);

        if (!anyState) {
            String reason = unavailable.path("vcpus").asText("the guest could not be read");
            return SnapshotRecord.placeholder(request.tag(), request.kind(), request.atNanos(), request.stepIndex(),
                    reason);
        }
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
            scratch.set("maps", IntrospectionJson.toJson(new BpfMapReader(kernel, mapOptions).readAll()));
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
