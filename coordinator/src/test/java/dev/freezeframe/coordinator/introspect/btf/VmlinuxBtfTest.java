package dev.freezeframe.coordinator.introspect.btf;

import static dev.freezeframe.coordinator.introspect.btf.BtfBuilder.m;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.btf.Value.CharArrayValue;
import dev.freezeframe.coordinator.introspect.btf.Value.Field;
import dev.freezeframe.coordinator.introspect.btf.Value.IntValue;
import dev.freezeframe.coordinator.introspect.btf.Value.PointerValue;
import dev.freezeframe.coordinator.introspect.btf.Value.StructValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnavailableValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnionValue;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The parser and renderer on the real vmlinux BTF of the guest kit (a 7.x kernel): the layouts introspection depends
 * on ({@code struct scx_sched}, {@code struct bpf_map}, {@code struct xarray}, {@code struct idr},
 * {@code enum scx_exit_kind}), every one of its ~120k types decoding and spelling, and split BTF over it. Skipped
 * without a kit, failing under CI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmlinuxBtfTest {
    Btf btf;
    byte[] raw;

    @BeforeAll
    void parseTheKitsVmlinux() throws BtfException {
        raw = KitVmlinux.btfSection();
        long t0 = System.nanoTime();
        btf = Btf.parse(raw);
        long cold = System.nanoTime() - t0;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            Btf.parse(raw);
            best = Math.min(best, System.nanoTime() - t);
        }
        long t1 = System.nanoTime();
        btf.findType("struct scx_sched").orElseThrow();
        long index = System.nanoTime() - t1;
        System.out.printf("vmlinux BTF (%s): %d bytes, %d types; parse %.1f ms cold, %.1f ms warm (best of 5); "
                        + "first name lookup (builds the index) %.1f ms%n", KitVmlinux.path(), raw.length,
                btf.localTypeCount(), cold / 1e6, best / 1e6, index / 1e6);
    }

    @Test
    void fromElfReadsTheSameSection() throws BtfException {
        Btf viaElf = Btf.fromElf(KitVmlinux.path());
        assertEquals(btf.typeCount(), viaElf.typeCount());
        assertEquals(btf.stringsEnd(), viaElf.stringsEnd());
    }

    @Test
    void scxSchedHasExitKindAndOpsName() throws BtfException {
        BtfType.Composite sched = assertInstanceOf(BtfType.Composite.class, btf.requireType("struct scx_sched"));
        MemberLocation exitKind = btf.member(sched.id(), "exit_kind");
        assertFalse(exitKind.isBitfield());
        assertEquals(0, exitKind.bitOffset() % 32, "exit_kind is a 4-byte aligned word the watchpoint can watch");
        assertEquals(4, btf.sizeOf(exitKind.typeId()));
        assertTrue(exitKind.byteOffset() + 4 <= sched.size());
        assertEquals(exitKind.byteOffset(), btf.offsetOf("struct scx_sched", "exit_kind"));
        // the same offset read straight from the member records
        BtfType.Member raw = sched.members().stream().filter(mem -> mem.name().equals("exit_kind")).findFirst()
                .orElseThrow();
        assertEquals(raw.bitOffset(), exitKind.bitOffset());

        MemberLocation ops = btf.member(sched.id(), "ops");
        assertEquals("struct sched_ext_ops", btf.describe(ops.typeId()));
        MemberLocation name = btf.member(sched.id(), "ops.name");
        BtfType.Array nameArray = assertInstanceOf(BtfType.Array.class, btf.resolve(name.typeId()));
        assertTrue(((BtfType.Int) btf.skipQualifiers(nameArray.elemType())).isChar(), "ops.name is a char array");
        assertEquals(128, nameArray.nelems(), "SCX_OPS_NAME_LEN");
        assertEquals(ops.byteOffset() + btf.offsetOf("struct sched_ext_ops", "name"), name.byteOffset());
        System.out.printf("struct scx_sched: %d bytes, exit_kind (%s) at byte %d, ops.name (%s) at byte %d%n",
                sched.size(), btf.describe(exitKind.typeId()), exitKind.byteOffset(), btf.describe(name.typeId()),
                name.byteOffset());
    }

    @Test
    void bpfMapHasTheFieldsTheMapWalkerReads() throws BtfException {
        int map = btf.requireType("struct bpf_map").id();
        Map<String, String> expected = Map.of("map_type", "enum bpf_map_type", "key_size", "u32", "value_size", "u32",
                "max_entries", "u32", "name", "char[16]", "btf", "struct btf *", "btf_key_type_id", "u32",
                "btf_value_type_id", "u32");
        for (var e : expected.entrySet()) {
            MemberLocation loc = btf.member(map, e.getKey());
            assertEquals(e.getValue(), btf.describe(loc.typeId()), e.getKey());
            assertFalse(loc.isBitfield(), e.getKey());
            assertTrue(loc.byteOffset() < btf.sizeOf(map), e.getKey());
        }
        assertEquals(btf.offsetOf("struct bpf_map", "key_size") + 4, btf.offsetOf("struct bpf_map", "value_size"));
        assertEquals(btf.offsetOf("struct bpf_map", "btf_key_type_id") + 4,
                btf.offsetOf("struct bpf_map", "btf_value_type_id"));
        System.out.println("struct bpf_map: " + expected.keySet().stream().sorted().map(k -> {
            try {
                return k + "@" + btf.offsetOf("struct bpf_map", k);
            } catch (BtfException e) {
                throw new AssertionError(e);
            }
        }).collect(Collectors.joining(", ")));
    }

    @Test
    void xarrayAndIdrLayouts() throws BtfException {
        assertEquals(16, btf.sizeOf(btf.requireType("struct xarray").id()));
        assertEquals(0, btf.offsetOf("struct xarray", "xa_lock"));
        assertEquals(4, btf.offsetOf("struct xarray", "xa_flags"));
        assertEquals(8, btf.offsetOf("struct xarray", "xa_head"));
        assertEquals("void *", btf.describe(btf.member(btf.requireType("struct xarray").id(), "xa_head").typeId()));
        int idr = btf.requireType("struct idr").id();
        assertEquals(24, btf.sizeOf(idr));
        assertEquals(8, btf.alignOf(idr));
        assertEquals("struct xarray", btf.describe(btf.member(idr, "idr_rt").typeId()));
        assertEquals(0, btf.offsetOf("struct idr", "idr_rt"));
        assertEquals(16, btf.offsetOf("struct idr", "idr_base"));
        assertEquals(20, btf.offsetOf("struct idr", "idr_next"));
        assertEquals(8, btf.offsetOf("struct idr", "idr_rt.xa_head"));
    }

    @Test
    void scxExitKindValues() throws BtfException {
        BtfType.Enum kind = assertInstanceOf(BtfType.Enum.class, btf.requireType("enum scx_exit_kind"));
        Map<String, Long> values = kind.values().stream()
                .collect(Collectors.toMap(BtfType.Enumerator::name, BtfType.Enumerator::value));
        assertEquals(1024L, values.get("SCX_EXIT_ERROR"));
        assertEquals(1025L, values.get("SCX_EXIT_ERROR_BPF"));
        assertEquals(0L, values.get("SCX_EXIT_NONE"));
    }

    @Test
    void everyTypeDecodesSpellsAndHasConsistentLayout() throws BtfException {
        EnumSet<BtfKind> seen = EnumSet.noneOf(BtfKind.class);
        int members = 0;
        int composites = 0;
        for (int id = 1; id < btf.typeCount(); id++) {
            BtfType t = btf.type(id);
            seen.add(t.kind());
            String text = btf.describe(id);
            assertFalse(text.startsWith("<bad type"), () -> "type " + t + " spells as " + text);
            if (t instanceof BtfType.Composite c) {
                composites++;
                assertEquals(c.size(), btf.sizeOf(id));
                for (BtfType.Member mem : c.members()) {
                    FieldLayout fl = btf.layout(c, mem);
                    members++;
                    if (fl.isBitfield()) {
                        assertTrue(fl.bitOffset() + fl.bitSize() <= c.size() * 8, () -> c.name() + "." + mem.name());
                    } else {
                        assertEquals(0, fl.bitOffset() % 8, () -> c.name() + "." + mem.name());
                        long size = btf.sizeOf(mem.type());
                        assertTrue(fl.bitOffset() / 8 + size <= c.size(), () -> c.name() + "." + mem.name());
                    }
                }
            }
        }
        assertEquals(EnumSet.range(BtfKind.INT, BtfKind.ENUM64), seen, "vmlinux BTF uses every kind this parser knows");
        System.out.printf("vmlinux BTF: %d composites, %d members checked%n", composites, members);
    }

    private static Value field(Value v, String name) {
        List<Field> fields = v instanceof StructValue s ? s.fields() : ((UnionValue) v).fields();
        return fields.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no " + name)).value();
    }

    @Test
    void rendersAnScxSchedFromBytes() throws BtfException {
        int sched = btf.requireType("struct scx_sched").id();
        long size = btf.sizeOf(sched);
        ByteBuffer bytes = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        long nameOff = btf.offsetOf("struct scx_sched", "ops.name");
        bytes.put((int) nameOff, "qmap".getBytes(StandardCharsets.US_ASCII));
        long exitOff = btf.offsetOf("struct scx_sched", "exit_kind");
        bytes.putInt((int) exitOff, 1025);
        long enqueueOff = btf.offsetOf("struct scx_sched", "ops.enqueue");
        bytes.putLong((int) enqueueOff, 0xffffffffc0001230L);
        ValueRenderer r = new ValueRenderer(btf, a -> a == 0xffffffffc0001230L ? Optional.of("qmap_enqueue")
                : Optional.empty(), ValueRenderer.Limits.DEFAULT);
        Value v = r.render(sched, bytes.array());
        StructValue s = assertInstanceOf(StructValue.class, v);
        assertFalse(s.truncated());
        Value anon = s.fields().getFirst().name().isEmpty() ? s.fields().getFirst().value() : s;
        Value ops = field(anon, "ops");
        assertEquals(new CharArrayValue("char[128]", 128, "qmap", true, false), field(ops, "name"));
        PointerValue enqueue = assertInstanceOf(PointerValue.class, field(ops, "enqueue"));
        assertEquals("qmap_enqueue", enqueue.symbol());
        assertTrue(enqueue.type().contains("(*)(struct task_struct *"), enqueue.type());
        Value exit = field(s, "exit_kind");
        // atomic_t on 7.x ({ int counter; }), an enum on older kernels
        BigInteger exitValue = exit instanceof StructValue a ? ((IntValue) field(a, "counter")).value()
                : ((Value.EnumValue) exit).value();
        assertEquals(BigInteger.valueOf(1025), exitValue);
        String json = ValueJson.toJsonString(v);
        assertTrue(json.contains("\"text\":\"qmap\""));
        System.out.printf("struct scx_sched rendered: %d bytes of JSON%n", json.length());

        // the biggest struct of the kernel renders within its budget, from too few bytes too
        int task = btf.requireType("struct task_struct").id();
        Value t = r.render(task, new byte[(int) btf.sizeOf(task)]);
        assertFalse(((StructValue) t).truncated());
        String taskJson = ValueJson.toJsonString(t);
        assertFalse(taskJson.contains("rendering budget"), "a whole task_struct fits the default budget");
        System.out.printf("struct task_struct (%d bytes) rendered: %d values, %d bytes of JSON%n", btf.sizeOf(task),
                countValues(t), taskJson.length());
        Value half = r.render(task, new byte[100]);
        assertTrue(ValueJson.toJsonString(half).contains("but only 100 are given"));
    }

    static int countValues(Value v) {
        return 1 + switch (v) {
            case StructValue s -> s.fields().stream().mapToInt(f -> countValues(f.value())).sum();
            case UnionValue u -> u.fields().stream().mapToInt(f -> countValues(f.value())).sum();
            case Value.ArrayValue a -> a.elements().stream().mapToInt(VmlinuxBtfTest::countValues).sum();
            default -> 0;
        };
    }

    @Test
    void splitBtfOverVmlinux() throws BtfException {
        BtfBuilder b = new BtfBuilder(btf);
        int u64 = btf.requireType("u64").id();
        int taskPtrs = btf.requireType("struct task_struct").id();
        int comm = btf.member(taskPtrs, "comm").typeId();
        int taskPtr = b.addPtr(taskPtrs);
        int val = b.addStruct("qmap_stat", 32, false, m("p", taskPtr, 0), m("nr", u64, 64), m("comm", comm, 128));
        int var = b.addVar("stats", val, 1);
        int bss = b.addDatasec(".bss", 32, new int[] {var, 0, 32});
        Btf split = Btf.parse(b.build(), btf);
        assertEquals(btf.typeCount(), split.firstId());
        assertEquals("struct task_struct *", split.describe(taskPtr));
        assertEquals(val, split.requireType("struct qmap_stat").id());
        assertEquals(btf.requireType("struct scx_sched").id(), split.requireType("struct scx_sched").id());
        byte[] bytes = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0xffff888001000000L)
                .putLong(8, 77).put(16, "kworker".getBytes(StandardCharsets.US_ASCII)).array();
        Value v = new ValueRenderer(split).render(bss, bytes);
        Value stats = field(v, "stats");
        assertEquals(new IntValue("u64", false, 64, BigInteger.valueOf(77)), field(stats, "nr"));
        assertEquals("kworker", ((CharArrayValue) field(stats, "comm")).text());
        assertFalse(ValueJson.toJsonString(v).contains("unavailable"));
        assertInstanceOf(UnavailableValue.class, new ValueRenderer(btf).render(val, bytes), "the base cannot see it");
    }
}
