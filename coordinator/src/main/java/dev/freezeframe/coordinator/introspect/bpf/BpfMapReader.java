package dev.freezeframe.coordinator.introspect.bpf;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.btf.BtfKind;
import dev.freezeframe.coordinator.introspect.btf.BtfType;
import dev.freezeframe.coordinator.introspect.btf.Value;
import dev.freezeframe.coordinator.introspect.btf.ValueRenderer;
import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers;
import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers.IdrEntry;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.mem.AddressSpace;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the BPF maps of the guest kernel ({@code bpf_map_for_each} over {@code map_idr}) into {@link MapSnapshot}s:
 * the header of every map, its own BTF (the {@code struct btf} at {@code map->btf}: {@code data}, {@code data_size},
 * split over vmlinux when {@code base_btf} is set), and its entries rendered with {@link ValueRenderer}:
 * <ul>
 *   <li>{@code ARRAY}: {@code struct bpf_array}, values at {@code value[i * elem_size]} — including libbpf's global
 *       data maps ({@code .bss}, {@code .data}, {@code .rodata}; value type a DATASEC);</li>
 *   <li>{@code PERCPU_ARRAY}: {@code pptrs[i]} plus {@code __per_cpu_offset[cpu]} for every CPU;</li>
 *   <li>{@code HASH}, {@code LRU_HASH}, {@code PERCPU_HASH}, {@code LRU_PERCPU_HASH}: {@code struct bpf_htab} buckets
 *       → {@code hlist_nulls} chains of {@code struct htab_elem}, key at {@code key}, value (or per-CPU pointer) at
 *       {@code key + round_up(key_size, 8)};</li>
 *   <li>{@code QUEUE}, {@code STACK}: the ring of {@code struct bpf_queue_stack} in pop order, plus a summary;</li>
 *   <li>{@code STRUCT_OPS}: the kernel value ({@code kvalue}) rendered with the vmlinux type, plus which callbacks
 *       are set;</li>
 *   <li>{@code RINGBUF}, {@code USER_RINGBUF}: a summary of {@code struct bpf_ringbuf} (size and positions);</li>
 *   <li>{@code ARENA}: a page summary (user range, kernel start, mapped pages) and, when one object's BTF has a
 *       {@code .addr_space.1} DATASEC, its {@code __arena} globals rendered as the map's one entry (7.x scx_qmap keeps
 *       all its counters there, in {@code qa}).</li>
 * </ul>
 * {@code TASK_STORAGE}: every element in the map's buckets, keyed by its owner task's pid.
 * Any other type is listed with its header and {@code unavailable: "entries of BPF_MAP_TYPE_X maps are not read"}.
 * Every map is capped at {@link MapReadOptions#maxEntriesPerMap()} entries with {@code truncated} set; every failure
 * is a reason in the snapshot. Never throws for bad guest data. Not thread-safe; one instance per capture.
 */
public final class BpfMapReader {
    /** {@code GUARD_SZ / 2} of {@code kernel/bpf/arena.c}: the arena's kernel range starts this far into its area. */
    static final long ARENA_GUARD_HALF = 1L << 15;
    static final int ARENA_COUNT_STEPS = 1 << 16;
    /** Largest number of hash buckets scanned per map. */
    static final long MAX_BUCKETS = 1L << 20;
    /** Largest number of values read per map (per-CPU maps: entries × CPUs); then the map is {@code truncated}. */
    static final long MAX_VALUES_PER_MAP = 1L << 14;

    /** All maps read: in map id order; {@code unavailable} when {@code map_idr} could not be walked to its end. */
    public record BpfMaps(List<MapSnapshot> maps, boolean truncated, String unavailable) {
        public BpfMaps {
            maps = List.copyOf(maps);
        }
    }

    private final KernelView k;
    private final KernelMemory mem;
    private final KernelTypes types;
    private final MapReadOptions options;
    private final Map<Long, Read<Btf>> btfCache = new HashMap<>();
    private final Map<Btf, ValueRenderer> renderers = new IdentityHashMap<>();
    private final MapBtfCache parsedBtfs;
    private Read<long[]> perCpuOffsets;

    public BpfMapReader(KernelView kernel, MapReadOptions options) {
        this(kernel, options, new MapBtfCache());
    }

    /** @param parsedBtfs the maps' BTF parsed by earlier reads of the same run */
    public BpfMapReader(KernelView kernel, MapReadOptions options, MapBtfCache parsedBtfs) {
        this.k = Objects.requireNonNull(kernel, "kernel");
        this.mem = kernel.memory();
        this.types = kernel.types();
        this.options = Objects.requireNonNull(options, "options");
        this.parsedBtfs = Objects.requireNonNull(parsedBtfs, "parsedBtfs");
    }

    /** Every map in {@code map_idr}, at most {@link MapReadOptions#maxMaps()}. */
    public BpfMaps readAll() {
        Walk<IdrEntry> walk = KernelHelpers.bpf_map_for_each(k, options.walkBudget());
        List<MapSnapshot> maps = new ArrayList<>();
        boolean truncated = walk.truncated();
        for (IdrEntry e : walk.items()) {
            if (maps.size() >= options.maxMaps()) {
                truncated = true;
                break;
            }
            maps.add(read(e.id(), e.pointer()));
        }
        maps.replaceAll(m -> {
            if (!(m.summary() instanceof MapSummary.Arena a)) {
                return m;
            }
            try {
                return withArenaGlobals(m, a);
            } catch (RuntimeException e) { // a check forgotten here must not end the capture
                return new MapSnapshot(m.id(), m.address(), m.name(), m.type(), m.typeCode(), m.keySize(),
                        m.valueSize(), m.maxEntries(), m.flags(), m.btfKeyTypeId(), m.btfValueTypeId(), m.keyType(),
                        m.valueType(), m.entries(), m.truncated(), m.summary(), "arena globals: " + e);
            }
        });
        return new BpfMaps(maps, truncated, walk.unavailable());
    }

    /** The DATASEC libbpf gives {@code __arena} globals ({@code __attribute__((address_space(1)))}). */
    static final String ARENA_DATASEC = ".addr_space.1";

    /**
     * An arena map with the program's {@code __arena} globals rendered as its one entry. The arena map has no BTF of
     * its own, so the globals' DATASEC is looked up in the BTF of the other maps read (used only when exactly one
     * object's BTF has one). Where libbpf put them: since libbpf 1.7 ("libbpf: Move arena globals to the end of the
     * arena") at {@code arena size - round_up(datasec size, PAGE_SIZE)}, before that at offset 0 — the end is taken
     * when those pages are mapped, else the start; neither mapped is a reason.
     */
    private MapSnapshot withArenaGlobals(MapSnapshot m, MapSummary.Arena a) {
        List<Btf> withGlobals = new ArrayList<>();
        for (Read<Btf> r : btfCache.values()) {
            if (r instanceof Read.Ok<Btf> ok) {
                var t = ok.value().find(ARENA_DATASEC, BtfKind.DATASEC);
                if (t.isPresent() && withGlobals.stream().noneMatch(b -> b == ok.value())) {
                    withGlobals.add(ok.value());
                }
            }
        }
        if (withGlobals.size() != 1) {
            return m; // no (or ambiguous) arena globals: the page summary stands alone
        }
        Btf btf = withGlobals.getFirst();
        Read<Value> globals = Read.attempt(() -> {
            int datasec = arenaDatasec(btf);
            long size = arenaDatasecSize(btf, datasec);
            byte[] bytes = mem.bytes(arenaGlobalsAt(a, size), size).context("arena globals").orFault();
            return renderer(btf).render(datasec, bytes);
        });
        List<MapEntry> entries = List.of(MapEntry.of(null, globals instanceof Read.Ok<Value> ok ? ok.value()
                : new Value.UnavailableValue("datasec " + ARENA_DATASEC, globals.reasonOrNull())));
        return new MapSnapshot(m.id(), m.address(), m.name(), m.type(), m.typeCode(), m.keySize(), m.valueSize(),
                m.maxEntries(), m.flags(), m.btfKeyTypeId(), m.btfValueTypeId(), m.keyType(),
                "datasec " + ARENA_DATASEC, entries, m.truncated(), m.summary(), m.unavailable());
    }

    /** Where libbpf put {@code size} bytes of {@code __arena} globals in the arena (see {@link #withArenaGlobals}). */
    private KernelVirtAddr arenaGlobalsAt(MapSummary.Arena a, long size) throws Fault {
        long alloc = (size + 4095) & ~4095L;
        long length = a.userVmEnd() - a.userVmStart();
        if (size <= 0 || alloc > length) {
            throw new Fault("arena globals of " + size + " bytes do not fit the arena of " + length);
        }
        KernelVirtAddr start = KernelVirtAddr.of(a.kernVmStart());
        long pages = alloc / 4096;
        for (long off : new long[] {length - alloc, 0}) {
            AddressSpace.PageCount c = mem.addressSpace().countMappedPages(start.plus(off), alloc,
                    (int) Math.min(pages + 16, ARENA_COUNT_STEPS)).orFault();
            if (c.pages() == pages && !c.truncated()) {
                return start.plus(off);
            }
        }
        throw new Fault("arena globals: neither the arena's first nor its last " + pages + " page(s) are mapped");
    }

    /**
     * Where one value of a map lives, for reading it again and again without a freeze (the live monitor).
     *
     * @param btf       the map's BTF the value is typed with
     * @param typeId    the value's type in {@code btf}: the map's value type, or the {@code .addr_space.1} DATASEC
     *                  for an arena's globals
     * @param addresses one address, or one per CPU (per-CPU maps, in CPU order)
     */
    public record ValueLocation(long mapId, String mapName, String mapType, Btf btf, int typeId,
            List<KernelVirtAddr> addresses, boolean perCpu) {
        public ValueLocation {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Locates entry {@code key} of the newest map named {@code mapName}: ARRAY ({@code .bss}, {@code .data} too) and
     * PERCPU_ARRAY values by index, an ARENA's {@code __arena} globals (key 0). Hash maps and the other kinds are a
     * reason: their values move as entries come and go, which a reader that never freezes cannot follow.
     */
    public Read<ValueLocation> locate(String mapName, long key) {
        return Read.attempt(() -> {
            Walk<IdrEntry> walk = KernelHelpers.bpf_map_for_each(k, options.walkBudget());
            Header found = null;
            long foundId = -1;
            List<String> names = new ArrayList<>();
            for (IdrEntry e : walk.items()) {
                Header h;
                try {
                    h = header(e.pointer());
                } catch (Fault f) {
                    continue;
                }
                names.add(h.name);
                if (!h.btf.isNull()) mapBtf(h.btf); // an arena's globals are typed by another map's BTF
                if (h.name.equals(mapName)) {
                    found = h;
                    foundId = e.id();
                }
            }
            if (found == null) {
                throw new Fault("no BPF map is named '" + mapName + "'" + (walk.unavailable() == null ? ""
                        : " (the map list is incomplete: " + walk.unavailable() + ")") + "; maps: "
                        + String.join(", ", names));
            }
            Header h = found;
            return switch (h.typeName) {
                case "BPF_MAP_TYPE_ARRAY", "BPF_MAP_TYPE_PERCPU_ARRAY" -> locateInArray(foundId, h, key);
                case "BPF_MAP_TYPE_ARENA" -> locateArenaGlobals(foundId, h, key);
                default -> throw new Fault(h.name + " is a " + h.typeName + " map: only arrays, per-CPU arrays and "
                        + "arena globals can be monitored (their values stay where they are)");
            };
        });
    }

    private ValueLocation locateInArray(long id, Header h, long key) throws Fault {
        boolean percpu = h.typeName.equals("BPF_MAP_TYPE_PERCPU_ARRAY");
        if (key < 0 || key >= h.maxEntries) {
            throw new Fault("key " + key + " is outside " + h.name + "'s " + h.maxEntries + " entries");
        }
        if (h.btf.isNull() || h.valueTypeId == 0) throw new Fault(h.name + " has no BTF: its fields have no names");
        Btf btf = mapBtf(h.btf).orFault();
        String ba = "struct bpf_array";
        long elemSize = u32(h.map.plus(off(ba, "elem_size")));
        if (elemSize != roundUp8(h.valueSize) || h.valueSize == 0) {
            throw new Fault("bpf_array elem_size " + elemSize + " does not fit value_size " + h.valueSize);
        }
        List<KernelVirtAddr> at = new ArrayList<>();
        if (percpu) {
            KernelVirtAddr pptr = ptr(h.map.plus(off(ba, "pptrs") + 8 * key));
            for (long o : cpuOffsets().orFault()) at.add(pptr.plus(o));
        } else {
            at.add(h.map.plus(off(ba, "value") + key * elemSize));
        }
        return new ValueLocation(id, h.name, h.typeName, btf, (int) h.valueTypeId, at, percpu);
    }

    private ValueLocation locateArenaGlobals(long id, Header h, long key) throws Fault {
        if (key != 0) throw new Fault(h.name + " is an arena: its globals are entry 0, not " + key);
        Btf btf = null;
        for (Read<Btf> r : btfCache.values()) {
            if (r instanceof Read.Ok<Btf> ok && ok.value().find(ARENA_DATASEC, BtfKind.DATASEC).isPresent()
                    && btf != ok.value()) {
                if (btf != null) throw new Fault("two programs' BTF declare arena globals: which is meant is unknown");
                btf = ok.value();
            }
        }
        if (btf == null) throw new Fault("no program's BTF declares arena globals (" + ARENA_DATASEC + ")");
        int datasec = arenaDatasec(btf);
        long size = arenaDatasecSize(btf, datasec);
        MapSummary.Arena a = (MapSummary.Arena) arena(h).summary;
        return new ValueLocation(id, h.name, h.typeName, btf, datasec, List.of(arenaGlobalsAt(a, size)), false);
    }

    private static int arenaDatasec(Btf btf) throws Fault {
        try {
            return btfDatasecId(btf);
        } catch (BtfException e) {
            throw new Fault("arena globals: " + e.getMessage());
        }
    }

    private static long arenaDatasecSize(Btf btf, int datasec) throws Fault {
        try {
            return btf.sizeOf(datasec);
        } catch (BtfException e) {
            throw new Fault("arena globals: " + e.getMessage());
        }
    }

    private static int btfDatasecId(Btf btf) throws BtfException {
        return btf.find(ARENA_DATASEC, BtfKind.DATASEC).orElseThrow(() -> new BtfException("no " + ARENA_DATASEC))
                .id();
    }

    /** The map at {@code map} (a {@code struct bpf_map *}) with id {@code id}. */
    public MapSnapshot read(long id, KernelVirtAddr map) {
        Header h;
        try {
            h = header(map);
        } catch (Fault f) {
            return new MapSnapshot(id, map, null, null, -1, 0, 0, 0, 0, 0, 0, null, null, List.of(), false, null,
                    "map header unreadable: " + f.getMessage());
        }
        Read<Btf> btf = h.btf.isNull() ? Read.unavailable("the map has no BTF") : mapBtf(h.btf);
        String keyType = btf.isOk() && h.keyTypeId != 0 ? btf.orElse(null).describe((int) h.keyTypeId) : null;
        String valueType = btf.isOk() && h.valueTypeId != 0 ? btf.orElse(null).describe((int) h.valueTypeId) : null;
        Body body;
        try {
            body = switch (h.typeName) {
                case "BPF_MAP_TYPE_ARRAY" -> array(h, btf, false);
                case "BPF_MAP_TYPE_PERCPU_ARRAY" -> array(h, btf, true);
                case "BPF_MAP_TYPE_HASH", "BPF_MAP_TYPE_LRU_HASH" -> hash(h, btf, false);
                case "BPF_MAP_TYPE_PERCPU_HASH", "BPF_MAP_TYPE_LRU_PERCPU_HASH" -> hash(h, btf, true);
                case "BPF_MAP_TYPE_QUEUE" -> queueStack(h, btf, false);
                case "BPF_MAP_TYPE_STACK" -> queueStack(h, btf, true);
                case "BPF_MAP_TYPE_STRUCT_OPS" -> structOps(h);
                case "BPF_MAP_TYPE_RINGBUF", "BPF_MAP_TYPE_USER_RINGBUF" -> ringbuf(h);
                case "BPF_MAP_TYPE_ARENA" -> arena(h);
                case "BPF_MAP_TYPE_TASK_STORAGE" -> taskStorage(h, btf);
                default -> new Body(List.of(), false, null, "entries of " + h.typeName + " maps are not read");
            };
        } catch (Fault f) {
            body = new Body(List.of(), false, null, f.getMessage());
        } catch (RuntimeException e) { // a check forgotten here must not end the capture
            body = new Body(List.of(), false, null, "cannot read the entries: " + e);
        }
        String unavailable = body.unavailable;
        if (unavailable == null && !btf.isOk() && (h.keyTypeId != 0 || h.valueTypeId != 0)) {
            unavailable = "map BTF unavailable (values shown as raw bytes): " + btf.reasonOrNull();
        }
        return new MapSnapshot(id, map, h.name, h.typeName, h.typeCode, h.keySize, h.valueSize, h.maxEntries, h.flags,
                h.keyTypeId, h.valueTypeId, keyType, valueType, body.entries, body.truncated, body.summary,
                unavailable);
    }

    private record Header(KernelVirtAddr map, String name, long typeCode, String typeName, long keySize,
            long valueSize, long maxEntries, long flags, long keyTypeId, long valueTypeId, long vmlinuxValueTypeId,
            KernelVirtAddr btf) {
    }

    private record Body(List<MapEntry> entries, boolean truncated, MapSummary summary, String unavailable) {
    }

    private long off(String type, String path) throws Fault {
        return types.offsetOf(type, path).orFault();
    }

    private long u32(KernelVirtAddr at) throws Fault {
        return mem.u32(at).orFault();
    }

    private long u64(KernelVirtAddr at) throws Fault {
        return mem.u64(at).orFault();
    }

    private KernelVirtAddr ptr(KernelVirtAddr at) throws Fault {
        return mem.pointer(at).orFault();
    }

    private Header header(KernelVirtAddr m) throws Fault {
        String bm = "struct bpf_map";
        long nameOff = off(bm, "name");
        byte[] rawName = mem.bytes(m.plus(nameOff), types.memberSize(bm, "name").orFault()).orFault();
        int len = 0;
        while (len < rawName.length && rawName[len] != 0) {
            len++;
        }
        String name = new String(rawName, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        long typeCode = u32(m.plus(off(bm, "map_type")));
        String typeName = types.enumName("enum bpf_map_type", typeCode).orElse("unknown (" + typeCode + ")");
        return new Header(m, name, typeCode, typeName, u32(m.plus(off(bm, "key_size"))),
                u32(m.plus(off(bm, "value_size"))), u32(m.plus(off(bm, "max_entries"))),
                u32(m.plus(off(bm, "map_flags"))), u32(m.plus(off(bm, "btf_key_type_id"))),
                u32(m.plus(off(bm, "btf_value_type_id"))), u32(m.plus(off(bm, "btf_vmlinux_value_type_id"))),
                ptr(m.plus(off(bm, "btf"))));
    }

    /** The map's BTF from its {@code struct btf} (cached: the maps of one object share it). */
    private Read<Btf> mapBtf(KernelVirtAddr btf) {
        return btfCache.computeIfAbsent(btf.value(), a -> Read.attempt(() -> {
            String sb = "struct btf";
            KernelVirtAddr data = ptr(btf.plus(off(sb, "data")));
            long size = u32(btf.plus(off(sb, "data_size")));
            KernelVirtAddr base = ptr(btf.plus(off(sb, "base_btf")));
            if (size < Btf.HEADER_SIZE || size > Btf.MAX_BLOB_SIZE) {
                throw new Fault("struct btf at " + btf + " has data_size " + size);
            }
            byte[] blob = mem.bytes(data, size).context("BTF data at " + data).orFault();
            try {
                return parsedBtfs.parse(blob, base.isNull() ? null : types.btf());
            } catch (BtfException e) {
                throw new Fault("map BTF at " + btf + ": " + e.getMessage());
            }
        }));
    }

    // ------------------------------------------------------------------------------------------- values

    private ValueRenderer renderer(Btf btf) {
        return renderers.computeIfAbsent(btf, b -> new ValueRenderer(b, k.symbols(), options.limits()));
    }

    private Value render(Read<Btf> btf, long typeId, byte[] bytes) {
        if (typeId != 0 && btf instanceof Read.Ok<Btf> ok) {
            return renderer(ok.value()).render((int) typeId, bytes);
        }
        return RawValues.of(bytes, options.limits().maxArrayElements());
    }

    private Value renderAt(Read<Btf> btf, long typeId, KernelVirtAddr at, long size) {
        Read<byte[]> bytes = mem.bytes(at, size);
        if (bytes instanceof Read.Unavailable<byte[]> u) {
            String type = typeId != 0 && btf instanceof Read.Ok<Btf> ok ? ok.value().describe((int) typeId)
                    : "u8[" + size + "]";
            return new Value.UnavailableValue(type, "value at " + at + " unreadable: " + u.reason());
        }
        return render(btf, typeId, bytes.orElse(null));
    }

    private Value renderKey(Header h, Read<Btf> btf, long index) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) index).array();
        return render(btf, h.keyTypeId, b);
    }

    private List<Value> perCpu(Read<Btf> btf, long typeId, KernelVirtAddr pptr, long size) throws Fault {
        long[] offsets = cpuOffsets().orFault();
        List<Value> values = new ArrayList<>(offsets.length);
        for (long o : offsets) {
            values.add(renderAt(btf, typeId, pptr.plus(o), size));
        }
        return values;
    }

    /** {@code __per_cpu_offset[0 .. nr_cpu_ids)}. */
    private Read<long[]> cpuOffsets() {
        if (perCpuOffsets == null) {
            perCpuOffsets = Read.<long[]>attempt(() -> {
                int n;
                if (options.cpus().isPresent()) {
                    n = options.cpus().getAsInt();
                } else {
                    KernelVirtAddr nr = k.symbols().require("nr_cpu_ids")
                            .context("per-CPU values need the CPU count").orFault();
                    n = (int) u32(nr);
                }
                if (n < 1 || n > 8192) {
                    throw new Fault("CPU count " + n + " is outside 1..8192");
                }
                KernelVirtAddr table = k.symbols().require("__per_cpu_offset").orFault();
                byte[] raw = mem.bytes(table, 8L * n).context("__per_cpu_offset").orFault();
                long[] out = new long[n];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
                return out;
            }).context("per-CPU values");
        }
        return perCpuOffsets;
    }

    // ------------------------------------------------------------------------------------------- map kinds

    private Body array(Header h, Read<Btf> btf, boolean percpu) throws Fault {
        String ba = "struct bpf_array";
        long elemSize = u32(h.map.plus(off(ba, "elem_size")));
        if (elemSize != roundUp8(h.valueSize) || h.valueSize == 0) {
            throw new Fault("bpf_array elem_size " + elemSize + " does not fit value_size " + h.valueSize);
        }
        long n = Math.min(h.maxEntries, options.maxEntriesPerMap());
        List<MapEntry> entries = new ArrayList<>((int) n);
        KernelVirtAddr values = h.map.plus(off(ba, percpu ? "pptrs" : "value"));
        long cpus = percpu ? cpuOffsets().orFault().length : 1;
        n = Math.min(n, MAX_VALUES_PER_MAP / cpus);
        for (long i = 0; i < n; i++) {
            Value key = renderKey(h, btf, i);
            if (percpu) {
                KernelVirtAddr pptr = ptr(values.plus(8 * i));
                entries.add(MapEntry.perCpu(key, perCpu(btf, h.valueTypeId, pptr, h.valueSize)));
            } else {
                KernelVirtAddr at = values.plus(i * elemSize);
                entries.add(MapEntry.at(key, renderAt(btf, h.valueTypeId, at, h.valueSize), at));
            }
        }
        return new Body(entries, h.maxEntries > n, null, null);
    }

    private Body hash(Header h, Read<Btf> btf, boolean percpu) throws Fault {
        String bh = "struct bpf_htab";
        KernelVirtAddr buckets = ptr(h.map.plus(off(bh, "buckets")));
        long nBuckets = u32(h.map.plus(off(bh, "n_buckets")));
        if (h.maxEntries == 0 || nBuckets != Long.highestOneBit(h.maxEntries) << (Long.bitCount(h.maxEntries) > 1
                ? 1 : 0)) {
            throw new Fault("bpf_htab n_buckets " + nBuckets + " is not max_entries " + h.maxEntries
                    + " rounded up to a power of two");
        }
        if (h.keySize == 0 || h.keySize > 512) {
            throw new Fault("hash map key_size " + h.keySize + " is outside 1..512");
        }
        long bucketSize = types.sizeOf("struct bucket").orFault();
        long firstOff = off("struct bucket", "head") + off("struct hlist_nulls_head", "first");
        long nextOff = off("struct hlist_nulls_node", "next");
        long nodeOff = off("struct htab_elem", "hash_node");
        long keyOff = off("struct htab_elem", "key");
        long valueOff = keyOff + roundUp8(h.keySize);
        int cap = options.maxEntriesPerMap();
        int maxNodes = options.walkBudget().maxNodes();
        List<MapEntry> entries = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long scan = Math.min(nBuckets, MAX_BUCKETS);
        long cpus = percpu ? cpuOffsets().orFault().length : 1;
        cap = (int) Math.min(cap, MAX_VALUES_PER_MAP / cpus);
        int perChunk = (int) Math.max(1, 4096 / bucketSize);
        for (long b0 = 0; b0 < scan; b0 += perChunk) {
            int count = (int) Math.min(perChunk, scan - b0);
            byte[] chunk = mem.bytes(buckets.plus(b0 * bucketSize), count * bucketSize)
                    .context("hash buckets of " + h.name).orFault();
            ByteBuffer le = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < count; j++) {
                long p = le.getLong((int) (j * bucketSize + firstOff));
                while (p != 0 && (p & 1) == 0) { // is_a_nulls(): the chain ends in an odd marker
                    if (!seen.add(p)) {
                        throw new Fault("hash chain of bucket " + (b0 + j) + " of " + h.name + " loops at "
                                + KernelVirtAddr.of(p));
                    }
                    if (entries.size() >= cap || seen.size() > maxNodes) {
                        return new Body(entries, true, null, null);
                    }
                    KernelVirtAddr elem = KernelVirtAddr.of(p - nodeOff);
                    byte[] key = mem.bytes(elem.plus(keyOff), h.keySize).context("hash element key").orFault();
                    Value k0 = render(btf, h.keyTypeId, key);
                    if (percpu) {
                        KernelVirtAddr pptr = ptr(elem.plus(valueOff));
                        entries.add(MapEntry.perCpu(k0, perCpu(btf, h.valueTypeId, pptr, h.valueSize)));
                    } else {
                        KernelVirtAddr at = elem.plus(valueOff);
                        entries.add(MapEntry.at(k0, renderAt(btf, h.valueTypeId, at, h.valueSize), at));
                    }
                    p = u64(KernelVirtAddr.of(p + nextOff));
                }
            }
        }
        return new Body(entries, nBuckets > scan, null, null);
    }

    /**
     * A task storage map: the map's own buckets ({@code bpf_local_storage_map.buckets}, {@code 1 << bucket_log} of
     * them) chain every {@code bpf_local_storage_elem} through {@code map_node}; each element's
     * {@code local_storage->owner} is the task, whose pid is the key; the value is {@code sdata.data}.
     */
    private Body taskStorage(Header h, Read<Btf> btf) throws Fault {
        String sm = "struct bpf_local_storage_map";
        String el = "struct bpf_local_storage_elem";
        KernelVirtAddr buckets = ptr(h.map.plus(off(sm, "buckets")));
        long log = u32(h.map.plus(off(sm, "bucket_log")));
        if (log > 20) throw new Fault("task storage bucket_log " + log + " is above 20");
        if (h.valueSize == 0 || h.valueSize > 65536) throw new Fault("task storage value_size " + h.valueSize);
        long bucketSize = types.sizeOf("struct bpf_local_storage_map_bucket").orFault();
        long firstOff = off("struct bpf_local_storage_map_bucket", "list") + off("struct hlist_head", "first");
        long nextOff = off("struct hlist_node", "next");
        long nodeOff = off(el, "map_node");
        long storageOff = off(el, "local_storage");
        long dataOff = off(el, "sdata.data");
        long ownerOff = off("struct bpf_local_storage", "owner");
        long pidOff = off("struct task_struct", "pid");
        int cap = options.maxEntriesPerMap();
        int maxNodes = options.walkBudget().maxNodes();
        List<MapEntry> entries = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long n = 1L << log;
        byte[] raw = mem.bytes(buckets, n * bucketSize).context("task storage buckets of " + h.name).orFault();
        ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (long b = 0; b < n; b++) {
            long p = le.getLong((int) (b * bucketSize + firstOff));
            while (p != 0) {
                if (!seen.add(p)) {
                    throw new Fault("task storage chain of bucket " + b + " of " + h.name + " loops at "
                            + KernelVirtAddr.of(p));
                }
                if (entries.size() >= cap || seen.size() > maxNodes) return new Body(entries, true, null, null);
                KernelVirtAddr elem = KernelVirtAddr.of(p - nodeOff);
                KernelVirtAddr storage = ptr(elem.plus(storageOff));
                KernelVirtAddr task = storage.isNull() ? KernelVirtAddr.NULL : ptr(storage.plus(ownerOff));
                Value key = task.isNull() ? new Value.UnavailableValue("pid", "the element has no owner task")
                        : mem.u32(task.plus(pidOff)).map(pid -> renderKey(h, btf, pid)).orElse(new Value.UnavailableValue("pid", "owner task " + task + " unreadable"));
                entries.add(MapEntry.of(key, renderAt(btf, h.valueTypeId, elem.plus(dataOff), h.valueSize)));
                p = u64(KernelVirtAddr.of(p + nextOff));
            }
        }
        return new Body(entries, false, null, null);
    }

    private Body queueStack(Header h, Read<Btf> btf, boolean stack) throws Fault {
        String qs = "struct bpf_queue_stack";
        long head = u32(h.map.plus(off(qs, "head")));
        long tail = u32(h.map.plus(off(qs, "tail")));
        long size = u32(h.map.plus(off(qs, "size")));
        if (size != h.maxEntries + 1 || head >= size || tail >= size || h.valueSize == 0) {
            throw new Fault("bpf_queue_stack head " + head + ", tail " + tail + ", size " + size
                    + " do not fit max_entries " + h.maxEntries);
        }
        KernelVirtAddr elements = h.map.plus(off(qs, "elements"));
        long count = (head - tail + size) % size;
        long n = Math.min(count, options.maxEntriesPerMap());
        List<MapEntry> entries = new ArrayList<>((int) n);
        long i = stack ? head : tail;
        for (long done = 0; done < n; done++) {
            if (stack) {
                i = i == 0 ? size - 1 : i - 1;
            }
            KernelVirtAddr at = elements.plus(i * h.valueSize);
            entries.add(MapEntry.at(null, renderAt(btf, h.valueTypeId, at, h.valueSize), at));
            if (!stack) {
                i = (i + 1) % size;
            }
        }
        return new Body(entries, count > n, new MapSummary.QueueStack(head, tail, size), null);
    }

    private Body structOps(Header h) throws Fault {
        Btf vmlinux = types.btf();
        int vt = (int) h.vmlinuxValueTypeId;
        if (vt == 0) {
            throw new Fault("struct_ops map without btf_vmlinux_value_type_id");
        }
        long size;
        BtfType.Composite value;
        try {
            size = vmlinux.sizeOf(vt);
            if (!(vmlinux.resolve(vt) instanceof BtfType.Composite c)) {
                throw new Fault("struct_ops value type " + vmlinux.describe(vt) + " is not a struct");
            }
            value = c;
        } catch (BtfException e) {
            throw new Fault("struct_ops value type " + vt + ": " + e.getMessage());
        }
        KernelVirtAddr kvalue = h.map.plus(off("struct bpf_struct_ops_map", "kvalue"));
        byte[] bytes = mem.bytes(kvalue, size).context("struct_ops kvalue").orFault();
        Value rendered = renderer(vmlinux).render(vt, bytes);
        String opsName = null;
        List<String> set = new ArrayList<>();
        try {
            var data = vmlinux.member(value.id(), "data");
            if (vmlinux.resolve(data.typeId()) instanceof BtfType.Composite ops) {
                ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (BtfType.Member m : ops.members()) {
                    long at = data.byteOffset() + m.bitOffset() / 8;
                    BtfType t = vmlinux.skipQualifiers(m.type());
                    if (t instanceof BtfType.Ptr p && vmlinux.skipQualifiers(p.target()).kind() == BtfKind.FUNC_PROTO
                            && at + 8 <= bytes.length && le.getLong((int) at) != 0) {
                        set.add(m.name());
                    } else if (m.name().equals("name") && t instanceof BtfType.Array a
                            && at + a.nelems() <= bytes.length) {
                        int len = 0;
                        while (len < a.nelems() && bytes[(int) at + len] != 0) {
                            len++;
                        }
                        opsName = new String(bytes, (int) at, len, java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
            }
        } catch (BtfException e) {
            throw new Fault("struct_ops value type " + vmlinux.describe(vt) + ": " + e.getMessage());
        }
        return new Body(List.of(MapEntry.of(RawValues.of(new byte[4], 0), rendered)), false,
                new MapSummary.StructOps(vmlinux.describe(vt), opsName, set), null);
    }

    private Body ringbuf(Header h) throws Fault {
        KernelVirtAddr rb = ptr(h.map.plus(off("struct bpf_ringbuf_map", "rb")));
        String r = "struct bpf_ringbuf";
        long mask = u64(rb.plus(off(r, "mask")));
        long consumer = u64(rb.plus(off(r, "consumer_pos")));
        long producer = u64(rb.plus(off(r, "producer_pos")));
        Read<Long> pendingOff = types.offsetOf(r, "pending_pos");
        long pending = pendingOff.isOk() ? u64(rb.plus(pendingOff.orElse(0L))) : producer;
        return new Body(List.of(), false, new MapSummary.Ringbuf(mask + 1, consumer, producer, pending), null);
    }

    private Body arena(Header h) throws Fault {
        String ba = "struct bpf_arena";
        long start = u64(h.map.plus(off(ba, "user_vm_start")));
        long end = u64(h.map.plus(off(ba, "user_vm_end")));
        KernelVirtAddr vm = ptr(h.map.plus(off(ba, "kern_vm")));
        KernelVirtAddr addr = ptr(vm.plus(off("struct vm_struct", "addr")));
        KernelVirtAddr kernStart = addr.plus(ARENA_GUARD_HALF);
        long length = end - start;
        if (Long.compareUnsigned(length, 1L << 32) > 0) {
            throw new Fault("arena user range " + start + ".." + end + " is larger than 4 GiB");
        }
        Read<Long> nrOff = types.offsetOf(ba, "nr_pages");
        Long nrPages = nrOff.isOk() ? u64(h.map.plus(nrOff.orElse(0L))) : null;
        AddressSpace.PageCount count = mem.addressSpace().countMappedPages(kernStart, length, ARENA_COUNT_STEPS)
                .context("arena pages").orFault();
        return new Body(List.of(), false, new MapSummary.Arena(start, end, kernStart.value(), count.pages(),
                count.truncated(), nrPages), null);
    }

    static long roundUp8(long v) {
        return (v + 7) & ~7L;
    }

    /** Values without a BTF type: a u8/u16/u32/u64 for those sizes, else a {@code u8[N]}. */
    static final class RawValues {
        private RawValues() {
        }

        static Value of(byte[] bytes, int maxElements) {
            int n = bytes.length;
            if (n == 1 || n == 2 || n == 4 || n == 8) {
                long v = 0;
                for (int i = n - 1; i >= 0; i--) {
                    v = (v << 8) | (bytes[i] & 0xff);
                }
                BigInteger big = new BigInteger(Long.toUnsignedString(v));
                return new Value.IntValue("u" + (8 * n), false, 8 * n, big);
            }
            List<Value> elems = new ArrayList<>(Math.min(n, maxElements));
            for (int i = 0; i < n && i < maxElements; i++) {
                elems.add(new Value.IntValue("u8", false, 8, BigInteger.valueOf(bytes[i] & 0xff)));
            }
            return new Value.ArrayValue("u8[" + n + "]", n, elems, elems.size() < n);
        }
    }
}
