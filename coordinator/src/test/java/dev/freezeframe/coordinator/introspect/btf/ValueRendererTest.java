package dev.freezeframe.coordinator.introspect.btf;

import static dev.freezeframe.coordinator.introspect.btf.BtfBuilder.bf;
import static dev.freezeframe.coordinator.introspect.btf.BtfBuilder.m;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.btf.Value.ArrayValue;
import dev.freezeframe.coordinator.introspect.btf.Value.BoolValue;
import dev.freezeframe.coordinator.introspect.btf.Value.CharArrayValue;
import dev.freezeframe.coordinator.introspect.btf.Value.EnumValue;
import dev.freezeframe.coordinator.introspect.btf.Value.Field;
import dev.freezeframe.coordinator.introspect.btf.Value.FloatValue;
import dev.freezeframe.coordinator.introspect.btf.Value.IntValue;
import dev.freezeframe.coordinator.introspect.btf.Value.PointerValue;
import dev.freezeframe.coordinator.introspect.btf.Value.StructValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnavailableValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnionValue;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The renderer on hand-made BTF and hand-made bytes: every value is computed independently and compared exactly. */
class ValueRendererTest {
    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] leBytes(BigInteger v, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = v.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    private static Value field(Value struct, String name) {
        List<Field> fields = switch (struct) {
            case StructValue s -> s.fields();
            case UnionValue u -> u.fields();
            default -> throw new AssertionError("not a struct: " + struct);
        };
        return fields.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + struct)).value();
    }

    private static BigInteger intOf(Value v) {
        return assertInstanceOf(IntValue.class, v).value();
    }

    @Test
    void integersOfEveryWidthAndSign() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int u8 = b.addInt("unsigned char", 1, false);
        int s16 = b.addInt("short", 2, true);
        int u32 = b.addInt("unsigned int", 4, false);
        int s64 = b.addInt("long", 8, true);
        int u64 = b.addInt("long unsigned int", 8, false);
        int s128 = b.addInt("__int128", 16, true);
        int bool = b.addInt("_Bool", 1, BtfType.Int.BOOL, 0, 8);
        int s = b.addStruct("ints", 48, false, m("a", u8, 0), m("b", s16, 16), m("c", u32, 32), m("d", s64, 64),
                m("e", u64, 128), m("f", s128, 192), m("g", bool, 320));
        ValueRenderer r = new ValueRenderer(b.parse());
        ByteBuffer buf = le(48);
        buf.put(0, (byte) 0xfe).putShort(2, (short) -2).putInt(4, 0xfffffffe).putLong(8, Long.MIN_VALUE)
                .putLong(16, -1L).putLong(24, -3L).putLong(32, -1L).put(40, (byte) 2);
        Value v = r.render(s, buf.array());
        assertEquals(new IntValue("unsigned char", false, 8, BigInteger.valueOf(254)), field(v, "a"));
        assertEquals(new IntValue("short", true, 16, BigInteger.valueOf(-2)), field(v, "b"));
        assertEquals(BigInteger.valueOf(0xfffffffeL), intOf(field(v, "c")));
        assertEquals(BigInteger.valueOf(Long.MIN_VALUE), intOf(field(v, "d")));
        assertEquals(new BigInteger("18446744073709551615"), intOf(field(v, "e")));
        assertEquals(BigInteger.valueOf(-3), intOf(field(v, "f")), "__int128 -3");
        assertEquals(new BoolValue("_Bool", true), field(v, "g"));
        assertEquals(new IntValue("short", true, 16, BigInteger.valueOf(-2)), r.render(s16, new byte[] {-2, -1}));
    }

    /** u32 a:3, int b:5, u32 c:24, u64 d:40, _Bool e:1, enum f:11, u32 g (INT offset 2, 4 bits) */
    private static final long A = 5;
    private static final long B = -3;
    private static final long C = 0xABCDEF;
    private static final long D = 0x12_3456_789AL;
    private static final long E = 1;
    private static final long F = 1025;
    private static final long G = 9;

    private static byte[] bitfieldBytes() {
        BigInteger v = BigInteger.valueOf(A)
                .or(BigInteger.valueOf(B & 0x1f).shiftLeft(3))
                .or(BigInteger.valueOf(C).shiftLeft(8))
                .or(BigInteger.valueOf(D).shiftLeft(32))
                .or(BigInteger.valueOf(E).shiftLeft(72))
                .or(BigInteger.valueOf(F).shiftLeft(73))
                .or(BigInteger.valueOf(G).shiftLeft(98));
        return leBytes(v, 16);
    }

    private static void assertBitfields(Value v, boolean withG) {
        assertEquals(new IntValue("u32", false, 3, BigInteger.valueOf(A)), field(v, "a"));
        assertEquals(new IntValue("int", true, 5, BigInteger.valueOf(B)), field(v, "b"));
        assertEquals(BigInteger.valueOf(C), intOf(field(v, "c")));
        assertEquals(40, assertInstanceOf(IntValue.class, field(v, "d")).bits());
        assertEquals(BigInteger.valueOf(D), intOf(field(v, "d")));
        if (withG) {
            assertEquals(BigInteger.valueOf(G), intOf(field(v, "g")));
        }
    }

    @Test
    void bitfieldsWithKindFlagSet() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int uint = b.addInt("unsigned int", 4, false);
        int u32 = b.addTypedef("u32", uint);
        int sint = b.addInt("int", 4, true);
        int ull = b.addInt("long long unsigned int", 8, false);
        int bool = b.addInt("_Bool", 1, BtfType.Int.BOOL, 0, 8);
        int kind = b.addEnum("scx_exit_kind", 4, false, "SCX_EXIT_ERROR_BPF", 1025);
        int s = b.addStruct("bits", 16, true, bf("a", u32, 0, 3), bf("b", sint, 3, 5), bf("c", u32, 8, 24),
                bf("d", ull, 32, 40), bf("e", bool, 72, 1), bf("f", kind, 73, 11), m("whole", u32, 96));
        Btf btf = b.parse();
        Value v = new ValueRenderer(btf).render(s, bitfieldBytes());
        assertBitfields(v, false);
        assertEquals(new BoolValue("_Bool", true), field(v, "e"));
        assertEquals(new EnumValue("enum scx_exit_kind", BigInteger.valueOf(1025), "SCX_EXIT_ERROR_BPF"),
                field(v, "f"));
        StructValue sv = (StructValue) v;
        assertEquals(new Field("b", 3, 5, new IntValue("int", true, 5, BigInteger.valueOf(B))), sv.fields().get(1));
        assertEquals(new MemberLocation("f", kind, 73, 11), btf.member(s, "f"));
    }

    @Test
    void bitfieldsWithoutKindFlagComeFromTheIntEncoding() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int u3 = b.addInt("unsigned int", 4, 0, 0, 3);
        int u32 = b.addTypedef("u32", u3);
        int s5 = b.addInt("int", 4, BtfType.Int.SIGNED, 0, 5);
        int u24 = b.addInt("unsigned int", 4, 0, 0, 24);
        int u40 = b.addInt("long long unsigned int", 8, 0, 0, 40);
        int g = b.addInt("unsigned int", 4, 0, 2, 4); // BTF_INT_OFFSET 2: bits 2..5 of the storage at bit 96
        int s = b.addStruct("bits", 16, false, m("a", u32, 0), m("b", s5, 3), m("c", u24, 8), m("d", u40, 32),
                m("g", g, 96));
        Btf btf = b.parse();
        Value v = new ValueRenderer(btf).render(s, bitfieldBytes());
        assertBitfields(v, true);
        assertEquals(new FieldLayout(98, 4), btf.layout((BtfType.Composite) btf.type(s),
                ((BtfType.Composite) btf.type(s)).members().get(4)));
        assertEquals(new MemberLocation("g", g, 98, 4), btf.member(s, "g"));
        // the same INT rendered on its own honours its bit offset too
        byte[] storage = le(4).putInt(0, (int) (G << 2) | 0b11).array();
        assertEquals(new IntValue("unsigned int", false, 4, BigInteger.valueOf(G)),
                new ValueRenderer(btf).render(g, storage));
    }

    @Test
    void enumsByNameOrNumber() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int kind = b.addEnum("scx_exit_kind", 4, false, "SCX_EXIT_NONE", 0, "SCX_EXIT_ERROR", 1024);
        int signed = b.addEnum("sgn", 4, true, "NEG", -2);
        int big = b.addEnum64("big", 8, false, "TOP", 0xF000_0000_0000_0001L);
        int sbig = b.addEnum64("sbig", 8, true, "LOW", Long.MIN_VALUE);
        int small = b.addEnum("tiny", 1, false, "T255", 255);
        ValueRenderer r = new ValueRenderer(b.parse());
        assertEquals(new EnumValue("enum scx_exit_kind", BigInteger.valueOf(1024), "SCX_EXIT_ERROR"),
                r.render(kind, le(4).putInt(0, 1024).array()));
        assertEquals(new EnumValue("enum scx_exit_kind", BigInteger.valueOf(7), null),
                r.render(kind, le(4).putInt(0, 7).array()));
        assertEquals(new EnumValue("enum sgn", BigInteger.valueOf(-2), "NEG"),
                r.render(signed, le(4).putInt(0, -2).array()));
        assertEquals(new EnumValue("enum big", new BigInteger("F000000000000001", 16), "TOP"),
                r.render(big, le(8).putLong(0, 0xF000_0000_0000_0001L).array()));
        assertEquals(new EnumValue("enum sbig", BigInteger.valueOf(Long.MIN_VALUE), "LOW"),
                r.render(sbig, le(8).putLong(0, Long.MIN_VALUE).array()));
        assertEquals(new EnumValue("enum tiny", BigInteger.valueOf(255), "T255"), r.render(small, new byte[] {-1}));
    }

    @Test
    void floats() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int f = b.addFloat("float", 4);
        int d = b.addFloat("double", 8);
        int h = b.addFloat("_Float16", 2);
        int ld = b.addFloat("long double", 16);
        ValueRenderer r = new ValueRenderer(b.parse());
        assertEquals(new FloatValue("float", 32, 1.5), r.render(f, le(4).putFloat(0, 1.5f).array()));
        assertEquals(new FloatValue("double", 64, -2.25), r.render(d, le(8).putDouble(0, -2.25).array()));
        assertEquals(new FloatValue("_Float16", 16, 1.0), r.render(h, le(2).putShort(0, (short) 0x3c00).array()));
        // x87: 1.5 = mantissa 0xC000000000000000, exponent 16383
        byte[] x = le(16).putLong(0, 0xC000_0000_0000_0000L).putShort(8, (short) 16383).array();
        assertEquals(new FloatValue("long double", 80, 1.5), r.render(ld, x));
        byte[] negInf = le(16).putLong(0, Long.MIN_VALUE).putShort(8, (short) 0xffff).array();
        assertEquals(Double.NEGATIVE_INFINITY, ((FloatValue) r.render(ld, negInf)).value());
    }

    @Test
    void nestedAnonymousStructsAndUnions() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.addInt("unsigned int", 4, false);
        int u64 = b.addInt("long long unsigned int", 8, false);
        int parts = b.addStruct("", 8, false, m("lo", u32, 0), m("hi", u32, 32));
        int un = b.addUnion("", 8, false, m("whole", u64, 0), m("", parts, 0));
        int outer = b.addStruct("outer", 12, false, m("", un, 0), m("tail", u32, 64));
        ValueRenderer r = new ValueRenderer(b.parse());
        byte[] bytes = le(12).putLong(0, 0x0000_0002_0000_0001L).putInt(8, 3).array();
        StructValue v = (StructValue) r.render(outer, bytes);
        assertEquals(2, v.fields().size());
        assertEquals("", v.fields().get(0).name());
        UnionValue u = assertInstanceOf(UnionValue.class, v.fields().get(0).value());
        assertEquals("union (anonymous)", u.type());
        assertEquals(BigInteger.valueOf(0x2_0000_0001L), intOf(field(u, "whole")));
        StructValue p = assertInstanceOf(StructValue.class, field(u, ""));
        assertEquals(BigInteger.ONE, intOf(field(p, "lo")));
        assertEquals(BigInteger.TWO, intOf(field(p, "hi")));
        assertEquals(4, p.fields().get(1).byteOffset());
        assertEquals(BigInteger.valueOf(3), intOf(field(v, "tail")));
    }

    @Test
    void arraysOfStructsWithCapsAndShortBytes() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.addInt("unsigned int", 4, false);
        int idx = b.addInt("int", 4, true);
        int pair = b.addStruct("pair", 8, false, m("k", u32, 0), m("v", u32, 32));
        int pairs = b.addArray(pair, idx, 5);
        int u8 = b.addTypedef("u8", b.addInt("unsigned char", 1, false));
        int mac = b.addArray(u8, idx, 6);
        Btf btf = b.parse();
        ByteBuffer buf = le(40);
        for (int i = 0; i < 5; i++) {
            buf.putInt(i * 8, i).putInt(i * 8 + 4, i * 100);
        }
        ArrayValue all = (ArrayValue) new ValueRenderer(btf).render(pairs, buf.array());
        assertEquals("struct pair[5]", all.type());
        assertEquals(5, all.length());
        assertEquals(5, all.elements().size());
        assertFalse(all.truncated());
        assertEquals(BigInteger.valueOf(400), intOf(field(all.elements().get(4), "v")));

        ValueRenderer capped = new ValueRenderer(btf, SymbolResolver.NONE, new ValueRenderer.Limits(8, 2, 1000, 64));
        ArrayValue two = (ArrayValue) capped.render(pairs, buf.array());
        assertEquals(2, two.elements().size());
        assertTrue(two.truncated());
        assertEquals(5, two.length());

        ArrayValue shortBytes = (ArrayValue) new ValueRenderer(btf).render(pairs, buf.array(), 0, 20);
        assertTrue(shortBytes.truncated());
        assertEquals(3, shortBytes.elements().size(), "two whole elements, then the reason");
        assertInstanceOf(UnavailableValue.class, shortBytes.elements().get(2));

        ArrayValue macv = assertInstanceOf(ArrayValue.class,
                new ValueRenderer(btf).render(mac, new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}),
                "u8[6] is numbers, not text");
        assertEquals(BigInteger.valueOf(0x56), intOf(macv.elements().get(5)));
        assertEquals("u8", macv.elements().get(5).type());
    }

    @Test
    void charArraysAsText() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int ch = b.addInt("char", 1, 0, 0, 8);
        int idx = b.addInt("int", 4, true);
        int name = b.addArray(ch, idx, 16);
        int cname = b.addArray(b.addQualifier(BtfKind.CONST, ch), idx, 8);
        int flagged = b.addArray(b.addInt("signed char", 1, BtfType.Int.SIGNED | BtfType.Int.CHAR, 0, 8), idx, 4);
        Btf btf = b.parse();
        ValueRenderer r = new ValueRenderer(btf);
        byte[] qmap = new byte[16];
        System.arraycopy("qmap\0junk".getBytes(StandardCharsets.US_ASCII), 0, qmap, 0, 9);
        assertEquals(new Value.CharArrayValue("char[16]", 16, "qmap", true, false), r.render(name, qmap));
        byte[] odd = {'a', 1, '\n', '\\', (byte) 0xc3, 'z', '\t', '"'};
        assertEquals(new CharArrayValue("const char[8]", 8, "a\\x01\\n\\\\\\xc3z\\t\"", false, false),
                r.render(cname, odd), "no NUL in a full array: not terminated, not truncated");
        assertEquals("ab", ((CharArrayValue) r.render(flagged, new byte[] {'a', 'b', 0, 'c'})).text());
        CharArrayValue cut = (CharArrayValue) r.render(name, "0123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals("0123456789", cut.text());
        assertTrue(cut.truncated(), "the bytes ended before the array did");
        ValueRenderer small = new ValueRenderer(btf, SymbolResolver.NONE, new ValueRenderer.Limits(8, 8, 100, 3));
        CharArrayValue capped = (CharArrayValue) small.render(name, qmap);
        assertEquals("qma", capped.text());
        assertTrue(capped.truncated());
        assertFalse(capped.terminated());
    }

    @Test
    void pointersWithSymbols() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int task = b.addStruct("task_struct", 8, false);
        int ptr = b.addPtr(task);
        int vp = b.addPtr(0);
        int s = b.addStruct("holder", 32, false, m("known", ptr, 0), m("unknown", ptr, 64), m("null", vp, 128),
                m("boom", vp, 192));
        long known = 0xffffffff82a0_1000L;
        long unknown = 0xffff8880_0123_4560L;
        long boom = 0xdeadL;
        AtomicInteger calls = new AtomicInteger();
        SymbolResolver symbols = address -> {
            calls.incrementAndGet();
            if (address == boom) {
                throw new IllegalStateException("resolver bug");
            }
            return address == known ? Optional.of("init_task") : Optional.empty();
        };
        ValueRenderer r = new ValueRenderer(b.parse(), symbols, ValueRenderer.Limits.DEFAULT);
        byte[] bytes = le(32).putLong(0, known).putLong(8, unknown).putLong(16, 0).putLong(24, boom).array();
        Value v = r.render(s, bytes);
        assertEquals(new PointerValue("struct task_struct *", "struct task_struct", known, "init_task"),
                field(v, "known"));
        assertNull(((PointerValue) field(v, "unknown")).symbol());
        assertEquals(unknown, ((PointerValue) field(v, "unknown")).address());
        assertEquals(new PointerValue("void *", "void", 0, null), field(v, "null"));
        assertNull(((PointerValue) field(v, "boom")).symbol(), "a throwing resolver means unknown");
        assertEquals(3, calls.get(), "never asked about NULL");
    }

    @Test
    void dataSectionsRenderAsStructsOfTheirVariables() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int u64 = b.addTypedef("u64", b.addInt("long long unsigned int", 8, false));
        int ch = b.addInt("char", 1, 0, 0, 8);
        int name = b.addArray(ch, u64, 4);
        int nrEnq = b.addVar("nr_enqueued", u64, 1);
        int nrDisp = b.addVar("nr_dispatched", u64, 1);
        int tag = b.addVar("tag", name, 1);
        int bss = b.addDatasec(".bss", 20, new int[] {nrEnq, 0, 8}, new int[] {nrDisp, 8, 8}, new int[] {tag, 16, 4});
        ValueRenderer r = new ValueRenderer(b.parse());
        byte[] bytes = le(20).putLong(0, 42).putLong(8, 40).put(16, (byte) 'q').array();
        StructValue v = (StructValue) r.render(bss, bytes);
        assertEquals("datasec .bss", v.type());
        assertEquals(List.of("nr_enqueued", "nr_dispatched", "tag"), v.fields().stream().map(Field::name).toList());
        assertEquals(new IntValue("u64", false, 64, BigInteger.valueOf(42)), field(v, "nr_enqueued"));
        assertEquals(8, v.fields().get(1).byteOffset());
        assertEquals("q", ((CharArrayValue) field(v, "tag")).text());
    }

    @Test
    void badInputBecomesUnavailableWithAReason() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.addInt("unsigned int", 4, false);
        int self = b.nextId();
        b.addStruct("loop", 8, false, m("n", u32, 0), m("again", self, 0));
        int fwd = b.addFwd("opaque", false);
        int cyc = b.addTypedef("cyc", b.nextId() + 1);
        b.addTypedef("cyc2", cyc);
        int odd = b.addStruct("odd", 8, false, m("x", u32, 3)); // not byte aligned, not a bitfield
        int two = b.addStruct("two", 8, false, m("a", u32, 0), m("b", u32, 32));
        int deep = b.addArray(b.addArray(b.addArray(u32, u32, 2), u32, 2), u32, 2);
        Btf btf = b.parse();
        ValueRenderer r = new ValueRenderer(btf);

        StructValue loop = (StructValue) r.render(self, new byte[8]);
        UnavailableValue again = assertInstanceOf(UnavailableValue.class, field(loop, "again"));
        assertTrue(again.reason().contains("contains itself by value"), again.reason());

        assertTrue(((UnavailableValue) r.render(fwd, new byte[8])).reason().contains("forward"));
        assertTrue(((UnavailableValue) r.render(cyc, new byte[8])).reason().contains("cycle"));
        assertTrue(((UnavailableValue) r.render(0, new byte[8])).reason().contains("void"));
        assertTrue(((UnavailableValue) r.render(9999, new byte[8])).reason().contains("out of range"));
        assertTrue(((UnavailableValue) field(r.render(odd, new byte[8]), "x")).reason().contains("byte-aligned"));

        StructValue half = (StructValue) r.render(two, new byte[6]);
        assertInstanceOf(IntValue.class, field(half, "a"));
        UnavailableValue b2 = assertInstanceOf(UnavailableValue.class, field(half, "b"));
        assertEquals("needs bytes 4..8 but only 6 are given", b2.reason());

        ValueRenderer shallow = new ValueRenderer(btf, SymbolResolver.NONE, new ValueRenderer.Limits(2, 8, 1000, 8));
        ArrayValue d = (ArrayValue) shallow.render(deep, new byte[32]);
        ArrayValue d1 = (ArrayValue) d.elements().get(0);
        ArrayValue d2 = (ArrayValue) d1.elements().get(0);
        assertTrue(((UnavailableValue) d2.elements().get(0)).reason().contains("deeper than 2"));

        ValueRenderer tiny = new ValueRenderer(btf, SymbolResolver.NONE, new ValueRenderer.Limits(8, 8, 4, 8));
        ArrayValue budget = (ArrayValue) tiny.render(deep, new byte[32]);
        assertTrue(budget.truncated(), "the node budget truncates");

        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ValueRenderer.Limits(ValueRenderer.Limits.MAX_DEPTH + 1, 8, 100, 8));

        MemorySegment seg = MemorySegment.ofArray(le(8).putInt(0, 7).putInt(4, 9).array());
        assertEquals(BigInteger.valueOf(9), intOf(field(r.render(two, seg), "b")));
        ByteBuffer offset = le(12).putInt(4, 7).putInt(8, 9).position(4);
        assertEquals(BigInteger.valueOf(9), intOf(field(r.render(two, offset), "b")));
    }

    @Test
    void jsonFormHasStableFieldNames() throws Exception {
        BtfBuilder b = new BtfBuilder();
        int ull = b.addInt("long long unsigned int", 8, false);
        int u64 = b.addTypedef("u64", ull);
        int ch = b.addInt("char", 1, 0, 0, 8);
        int name = b.addArray(ch, u64, 4);
        int kind = b.addEnum("k", 4, false, "K_ONE", 1);
        int task = b.addStruct("task_struct", 8, false);
        int ptr = b.addPtr(task);
        int bool = b.addInt("_Bool", 1, BtfType.Int.BOOL, 0, 8);
        int dbl = b.addFloat("double", 8);
        int fwd = b.addFwd("opaque", false);
        int arr = b.addArray(u64, u64, 3);
        int un = b.addUnion("", 8, false, m("d", dbl, 0));
        int s = b.addStruct("demo", 64, true, m("n", u64, 0), m("name", name, 64), m("k", kind, 96),
                m("p", ptr, 128), bf("flag", bool, 192, 1), bf("three", ull, 193, 3), m("a", arr, 256),
                m("", un, 448), m("o", fwd, 448));
        ValueRenderer r = new ValueRenderer(b.parse(), a -> a == 0xffffffff81000000L ? Optional.of("init_task")
                : Optional.empty(), new ValueRenderer.Limits(8, 2, 1000, 64));
        ByteBuffer buf = le(64).putLong(0, -1L).put(8, (byte) 'h').put(9, (byte) 'i').putInt(12, 1)
                .putLong(16, 0xffffffff81000000L).put(24, (byte) 0b1011).putLong(32, 10).putLong(40, 20)
                .putDouble(56, 0.5);
        String json = ValueJson.toJsonString(r.render(s, buf.array()));
        String expected = """
                {"kind":"struct","type":"struct demo","size":64,"fields":[\
                {"name":"n","offset":0,"value":{"kind":"int","type":"u64","signed":false,"bits":64,\
                "value":18446744073709551615}},\
                {"name":"name","offset":8,"value":{"kind":"text","type":"char[4]","length":4,"text":"hi",\
                "terminated":true,"truncated":false}},\
                {"name":"k","offset":12,"value":{"kind":"enum","type":"enum k","value":1,"name":"K_ONE"}},\
                {"name":"p","offset":16,"value":{"kind":"pointer","type":"struct task_struct *",\
                "address":"0xffffffff81000000","target":"struct task_struct","symbol":"init_task"}},\
                {"name":"flag","offset":24,"bitOffset":192,"bitSize":1,"value":{"kind":"bool","type":"_Bool",\
                "value":true}},\
                {"name":"three","offset":24,"bitOffset":193,"bitSize":3,"value":{"kind":"int",\
                "type":"long long unsigned int","signed":false,"bits":3,"value":5}},\
                {"name":"a","offset":32,"value":{"kind":"array","type":"u64[3]","length":3,"elements":[\
                {"kind":"int","type":"u64","signed":false,"bits":64,"value":10},\
                {"kind":"int","type":"u64","signed":false,"bits":64,"value":20}],"truncated":true}},\
                {"name":"","offset":56,"value":{"kind":"union","type":"union (anonymous)","size":8,"fields":[\
                {"name":"d","offset":0,"value":{"kind":"float","type":"double","bits":64,"value":0.5}}],\
                "truncated":false}},\
                {"name":"o","offset":56,"value":{"kind":"unavailable","type":"struct opaque",\
                "reason":"only declared (forward): the layout is unknown"}}],"truncated":false}""";
        assertEquals(expected, json);
        // every node kind's JSON names are the documented ones
        Map<String, List<String>> keys = Map.of("unavailable", List.of("kind", "type", "reason"));
        assertEquals(keys.get("unavailable"), fieldNames(ValueJson.toJson(new UnavailableValue("t", "r"))));
        assertEquals(List.of("kind", "type", "value", "name"),
                fieldNames(ValueJson.toJson(new EnumValue("enum k", BigInteger.TEN, null))));
        assertTrue(ValueJson.toJson(new EnumValue("enum k", BigInteger.TEN, null)).get("name").isNull());
        assertEquals("NaN", ValueJson.toJson(new FloatValue("double", 64, Double.NaN)).get("value").asText());
    }

    private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
