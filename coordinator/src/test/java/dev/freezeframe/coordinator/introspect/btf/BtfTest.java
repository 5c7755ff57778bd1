package dev.freezeframe.coordinator.introspect.btf;

import static dev.freezeframe.coordinator.introspect.btf.BtfBuilder.bf;
import static dev.freezeframe.coordinator.introspect.btf.BtfBuilder.m;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The parser, lookups, layout and C spelling on hand-made blobs with exactly known contents. */
class BtfTest {
    /** A small kernel-like world; ids are fields so assertions can name them. */
    static final class World {
        final BtfBuilder b = new BtfBuilder();
        final int u8Base = b.addInt("unsigned char", 1, false);
        final int charT = b.addInt("char", 1, 0, 0, 8);
        final int intT = b.addInt("int", 4, true);
        final int uint = b.addInt("unsigned int", 4, false);
        final int ull = b.addInt("long long unsigned int", 8, false);
        final int u64 = b.addTypedef("u64", ull);
        final int u32 = b.addTypedef("u32", uint);
        final int u8 = b.addTypedef("u8", u8Base);
        final int taskFwd = b.addFwd("task_struct", false);
        final int taskPtr = b.addPtr(taskFwd);
        final int constChar = b.addQualifier(BtfKind.CONST, charT);
        final int constCharPtr = b.addPtr(constChar);
        final int charPtr = b.addPtr(charT);
        final int charPtrConst = b.addQualifier(BtfKind.CONST, charPtr);
        final int u64x4 = b.addArray(u64, intT, 4);
        final int name16 = b.addArray(charT, intT, 16);
        final int proto = b.addFuncProto(intT, "p", taskPtr, "flags", u64);
        final int protoPtr = b.addPtr(proto);
        final int voidProto = b.addFuncProto(0);
        final int voidProtoPtr = b.addPtr(voidProto);
        final int variadic = b.addFuncProto(intT, "fmt", constCharPtr, "", 0);
        final int intx3 = b.addArray(intT, intT, 3);
        final int ptrToArray = b.addPtr(intx3);
        final int taskPtrx2 = b.addArray(taskPtr, intT, 2);
        final int exitKind = b.addEnum("scx_exit_kind", 4, false, "SCX_EXIT_NONE", 0, "SCX_EXIT_ERROR", 1024,
                "SCX_EXIT_ERROR_BPF", 1025);
        final int e64 = b.addEnum64("big", 8, false, "BIG_MAX", -1L, "BIG_ONE", 1L);
        final int e64s = b.addEnum64("sbig", 8, true, "SBIG_NEG", -5L);
        // struct ops { int (*enqueue)(...); char name[16]; };  ids: ops = next
        final int ops = b.addStruct("sched_ext_ops", 24, false, m("enqueue", protoPtr, 0), m("name", name16, 64));
        // struct inner { u32 lo; u32 hi; }
        final int inner = b.addStruct("inner", 8, false, m("lo", u32, 0), m("hi", u32, 32));
        // union { u64 whole; struct inner parts; }  (anonymous)
        final int anonUnion = b.addUnion("", 8, false, m("whole", u64, 0), m("parts", inner, 0));
        // struct { int x; int y; } (anonymous)
        final int anonStruct = b.addStruct("", 8, false, m("x", intT, 0), m("y", intT, 32));
        final int innerx3 = b.addArray(inner, intT, 3);
        // struct scx_sched { union { struct sched_ext_ops ops; u64 other; }; enum scx_exit_kind exit_kind;
        //                    u32 a:3, b:5 (kind_flag); struct inner cpus[3]; struct {int x,y;}; }
        final int opsUnion = b.addUnion("", 24, false, m("ops", ops, 0), m("other", u64, 0));
        final int sched = b.addStruct("scx_sched", 64, true, m("", opsUnion, 0), m("exit_kind", exitKind, 192),
                bf("a", u32, 224, 3), bf("b", u32, 227, 5), m("cpus", innerx3, 256), m("", anonStruct, 448));
        final int packed = b.addStruct("packed", 5, false, m("c", u8, 0), m("v", uint, 8));
        final int vol = b.addQualifier(BtfKind.VOLATILE, intT);
        final int restrictPtr = b.addQualifier(BtfKind.RESTRICT, charPtr);
        final int rcuTag = b.addTypeTag("rcu", taskFwd);
        final int rcuPtr = b.addPtr(rcuTag);
        final int dbl = b.addFloat("double", 8);
        final int func = b.addFunc("qmap_enqueue", proto, 1);
        final int var = b.addVar("nr_enqueued", u64, 1);
        final int sec = b.addDatasec(".bss", 8, new int[] {var, 0, 8});
        final int tag = b.addDeclTag("kfunc", func, -1);
        final int unionFwd = b.addFwd("bpf_attr", true);

        Btf parse() throws BtfException {
            return b.parse();
        }
    }

    @Test
    void decodesEveryKind() throws BtfException {
        World w = new World();
        Btf btf = w.parse();
        assertEquals(1, btf.firstId());
        assertEquals(w.unionFwd + 1, btf.typeCount());
        assertInstanceOf(BtfType.Void.class, btf.type(0));
        BtfType.Int i = assertInstanceOf(BtfType.Int.class, btf.type(w.intT));
        assertEquals("int", i.name());
        assertTrue(i.signed());
        assertEquals(32, i.bits());
        assertTrue(((BtfType.Int) btf.type(w.charT)).isChar());
        assertFalse(((BtfType.Int) btf.type(w.u8Base)).isChar());
        assertEquals(w.taskFwd, ((BtfType.Ptr) btf.type(w.taskPtr)).target());
        BtfType.Array a = (BtfType.Array) btf.type(w.u64x4);
        assertEquals(List.of(w.u64, w.intT, 4L), List.of(a.elemType(), a.indexType(), a.nelems()));
        BtfType.Enum e = (BtfType.Enum) btf.type(w.exitKind);
        assertEquals(new BtfType.Enumerator("SCX_EXIT_ERROR_BPF", 1025), e.values().get(2));
        BtfType.Enum big = (BtfType.Enum) btf.type(w.e64);
        assertTrue(big.is64());
        assertEquals(BtfKind.ENUM64, big.kind());
        assertEquals(-1L, big.values().get(0).value()); // 0xffffffffffffffff as stored bits
        assertEquals(-5L, ((BtfType.Enum) btf.type(w.e64s)).values().get(0).value());
        assertTrue(((BtfType.Enum) btf.type(w.e64s)).signed());
        assertTrue(((BtfType.Fwd) btf.type(w.unionFwd)).union());
        assertEquals(BtfKind.RESTRICT, btf.type(w.restrictPtr).kind());
        assertEquals("rcu", btf.type(w.rcuTag).name());
        assertEquals(BtfKind.TYPE_TAG, btf.type(w.rcuTag).kind());
        assertEquals(new BtfType.Func(w.func, "qmap_enqueue", w.proto, 1), btf.type(w.func));
        BtfType.FuncProto fp = (BtfType.FuncProto) btf.type(w.proto);
        assertEquals(List.of(new BtfType.Param("p", w.taskPtr), new BtfType.Param("flags", w.u64)), fp.params());
        assertTrue(((BtfType.FuncProto) btf.type(w.variadic)).variadic());
        assertEquals(new BtfType.Var(w.var, "nr_enqueued", w.u64, 1), btf.type(w.var));
        assertEquals(List.of(new BtfType.SecVar(w.var, 0, 8)), ((BtfType.Datasec) btf.type(w.sec)).vars());
        assertEquals(new BtfType.DeclTag(w.tag, "kfunc", w.func, -1), btf.type(w.tag));
        assertEquals(new BtfType.Float(w.dbl, "double", 8), btf.type(w.dbl));
        BtfType.Composite s = (BtfType.Composite) btf.type(w.sched);
        assertTrue(s.kindFlag());
        assertEquals(new BtfType.Member("b", w.u32, 227, 5), s.members().get(3));
        assertThrows(BtfException.class, () -> btf.type(w.unionFwd + 1));
        assertThrows(BtfException.class, () -> btf.type(-1));
    }

    @Test
    void spellsTypesAsC() throws BtfException {
        World w = new World();
        Btf btf = w.parse();
        assertEquals("struct task_struct *", btf.describe(w.taskPtr));
        assertEquals("u64[4]", btf.describe(w.u64x4));
        assertEquals("char[16]", btf.describe(w.name16));
        assertEquals("const char *", btf.describe(w.constCharPtr));
        assertEquals("char *const", btf.describe(w.charPtrConst));
        assertEquals("char *restrict", btf.describe(w.restrictPtr));
        assertEquals("volatile int", btf.describe(w.vol));
        assertEquals("int (*)(struct task_struct *p, u64 flags)", btf.describe(w.protoPtr));
        assertEquals("void (*)(void)", btf.describe(w.voidProtoPtr));
        assertEquals("int (const char *fmt, ...)", btf.describe(w.variadic));
        assertEquals("int (*)[3]", btf.describe(w.ptrToArray));
        assertEquals("struct task_struct *[2]", btf.describe(w.taskPtrx2));
        assertEquals("struct task_struct *", btf.describe(w.rcuPtr), "type tags are left out");
        assertEquals("enum scx_exit_kind", btf.describe(w.exitKind));
        assertEquals("struct scx_sched", btf.describe(w.sched));
        assertEquals("union (anonymous)", btf.describe(w.anonUnion));
        assertEquals("struct (anonymous)", btf.describe(w.anonStruct));
        assertEquals("union bpf_attr", btf.describe(w.unionFwd));
        assertEquals("int qmap_enqueue(struct task_struct *p, u64 flags)", btf.describe(w.func));
        assertEquals("u64 nr_enqueued", btf.describe(w.var));
        assertEquals("datasec .bss", btf.describe(w.sec));
        assertEquals("void", btf.describe(0));
        assertTrue(btf.describe(99_999).startsWith("<bad type 99999"));
    }

    @Test
    void sizesAndAlignments() throws BtfException {
        World w = new World();
        Btf btf = w.parse();
        assertEquals(8, btf.sizeOf(w.u64));
        assertEquals(32, btf.sizeOf(w.u64x4));
        assertEquals(8, btf.sizeOf(w.taskPtr));
        assertEquals(64, btf.sizeOf(w.sched));
        assertEquals(24, btf.sizeOf(w.innerx3));
        assertEquals(4, btf.sizeOf(w.vol));
        assertEquals(8, btf.sizeOf(w.var));
        assertEquals(8, btf.alignOf(w.u64x4));
        assertEquals(4, btf.alignOf(w.inner));
        assertEquals(8, btf.alignOf(w.sched));
        assertEquals(1, btf.alignOf(w.packed), "an unsigned int at byte 1 means packed");
        assertEquals(1, btf.alignOf(w.name16));
        BtfException fwd = assertThrows(BtfException.class, () -> btf.sizeOf(w.taskFwd));
        assertTrue(fwd.getMessage().contains("forward"), fwd.getMessage());
        assertThrows(BtfException.class, () -> btf.sizeOf(0));
        assertThrows(BtfException.class, () -> btf.sizeOf(w.proto));
        assertEquals(w.ull, btf.resolve(w.u64).id());
        assertEquals(w.charT, btf.skipQualifiers(w.constChar).id());
        assertEquals(w.u8, btf.skipQualifiers(w.u8).id(), "typedefs are not qualifiers");
    }

    @Test
    void locatesMembersByPath() throws BtfException {
        World w = new World();
        Btf btf = w.parse();
        assertEquals(new MemberLocation("exit_kind", w.exitKind, 192, 0), btf.member(w.sched, "exit_kind"));
        assertEquals(24, btf.offsetOf("struct scx_sched", "exit_kind"));
        MemberLocation name = btf.member(w.sched, "ops.name");
        assertEquals(64, name.bitOffset(), "through the anonymous union");
        assertEquals(w.name16, name.typeId());
        assertEquals(8, btf.offsetOf("struct scx_sched", "ops.name"));
        assertEquals(new MemberLocation("b", w.u32, 227, 5), btf.member(w.sched, "b"));
        assertTrue(btf.member(w.sched, "a").isBitfield());
        assertEquals(28, btf.member(w.sched, "b").byteOffset());
        assertEquals((32 + 2 * 8 + 4) * 8L, btf.member(w.sched, "cpus[2].hi").bitOffset());
        assertEquals(w.inner, btf.member(w.sched, "cpus[1]").typeId());
        assertEquals(60 * 8L, btf.member(w.sched, "y").bitOffset(), "anonymous struct member");
        assertEquals(3 * 8L, btf.member(w.sched, "ops.name[3]").bitOffset() - 64);

        for (String bad : List.of("nope", "ops.nope", "exit_kind.x", "cpus[3]", "cpus[x]", "cpus[1", "a.b", "",
                "ops..name", ".ops", "ops.")) {
            BtfException e = assertThrows(BtfException.class, () -> btf.member(w.sched, bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
        BtfException e = assertThrows(BtfException.class, () -> btf.member(w.sched, "ops.nope"));
        assertEquals("struct sched_ext_ops has no member 'nope'", e.getMessage());
        assertThrows(BtfException.class, () -> btf.offsetOf("struct scx_sched", "a"), "bitfields have no byte offset");
        assertThrows(BtfException.class, () -> btf.offsetOf("struct nosuch", "a"));
    }

    @Test
    void findsTypesByNameAndKind() throws BtfException {
        World w = new World();
        Btf btf = w.parse();
        assertEquals(w.sched, btf.find("scx_sched", BtfKind.STRUCT).orElseThrow().id());
        assertTrue(btf.find("scx_sched", BtfKind.UNION).isEmpty());
        assertEquals(w.sched, btf.findType("struct scx_sched").orElseThrow().id());
        assertEquals(w.exitKind, btf.findType("enum scx_exit_kind").orElseThrow().id());
        assertEquals(w.e64, btf.findType("enum big").orElseThrow().id(), "enum finds ENUM64 too");
        assertTrue(btf.findType("union bpf_attr").isEmpty(), "a forward declaration is not a union definition");
        assertEquals(w.u64, btf.findType("u64").orElseThrow().id());
        assertTrue(btf.findType("task_struct").isEmpty(), "only declared here");
        assertEquals(w.taskFwd, btf.find("task_struct", BtfKind.FWD).orElseThrow().id());
        assertEquals(w.func, btf.find("qmap_enqueue", BtfKind.FUNC).orElseThrow().id());
        assertArrayEquals(new int[] {w.taskFwd}, btf.idsNamed("task_struct"));
        assertTrue(btf.findAll("no_such_type").isEmpty());
        assertThrows(BtfException.class, () -> btf.requireType("struct nope"));
    }

    @Test
    void splitBtfContinuesTheBasesIdsAndStrings() throws BtfException {
        World w = new World();
        Btf base = w.parse();
        BtfBuilder sb = new BtfBuilder(base);
        int first = sb.nextId();
        assertEquals(base.typeCount(), first);
        // struct task_struct { int pid; char comm[16]; } defined in the split part, referring to base types
        int task = sb.addStruct("task_struct", 24, false, m("pid", w.intT, 0), m("comm", w.name16, 32));
        int taskPtr = sb.addPtr(task);
        int val = sb.addStruct("qmap_val", 16, false, m("p", taskPtr, 0), m("n", w.u64, 64));
        // a split record whose name offset 0 is the base's empty string
        int alias = sb.raw(0, BtfBuilder.info(BtfKind.TYPEDEF, 0, false), w.intT);
        Btf split = Btf.parse(sb.build(), base);

        assertEquals(first, split.firstId());
        assertEquals(3 + 1, split.localTypeCount());
        assertEquals(base, split.base().orElseThrow());
        assertEquals("qmap_val", split.type(val).name());
        assertEquals("struct task_struct *", split.describe(taskPtr));
        assertEquals("struct task_struct", split.describe(task));
        assertEquals("u64", split.describe(w.u64), "base ids work through the split BTF");
        assertEquals(w.sched, split.findType("struct scx_sched").orElseThrow().id());
        assertEquals(task, split.findType("struct task_struct").orElseThrow().id());
        assertArrayEquals(new int[] {w.taskFwd, task}, split.idsNamed("task_struct"), "base first, then split");
        assertEquals(0, split.offsetOf("struct qmap_val", "p"));
        assertEquals(8, split.offsetOf("struct qmap_val", "n"));
        assertEquals(taskPtr, split.member(val, "p").typeId());
        assertEquals(4, split.member(task, "comm").byteOffset());
        assertEquals(16, split.sizeOf(val));
        assertEquals("", split.type(alias).name(), "name offset 0 is the base's empty string");
        assertThrows(BtfException.class, () -> base.type(task), "the base does not see the split types");

        // split strings must continue after the base's: an offset past both is rejected
        BtfBuilder bad = new BtfBuilder(base);
        bad.raw(base.stringsEnd() + 1000, BtfBuilder.info(BtfKind.TYPEDEF, 0, false), w.intT);
        assertThrows(BtfException.class, () -> Btf.parse(bad.build(), base));
        // the same blob without its base has dangling ids
        assertThrows(BtfException.class, () -> Btf.parse(sb.build()));
    }

    @Test
    void acceptsByteBufferAndSegmentInput() throws BtfException {
        World w = new World();
        byte[] blob = w.b.build();
        ByteBuffer padded = ByteBuffer.allocate(blob.length + 10);
        padded.position(5);
        padded.put(blob).position(5).limit(5 + blob.length);
        Btf fromBuffer = Btf.parse(padded, null);
        assertEquals(5, padded.position(), "position untouched");
        assertEquals(w.unionFwd + 1, fromBuffer.typeCount());
        Btf fromSegment = Btf.parse(java.lang.foreign.MemorySegment.ofArray(blob), null);
        assertEquals("struct scx_sched", fromSegment.describe(w.sched));
    }

    @Test
    void fromElfFailsWithAReasonOnFilesThatAreNotElfWithBtf(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path garbage = java.nio.file.Files.write(tmp.resolve("garbage"), new byte[] {1, 2, 3});
        BtfException e = assertThrows(BtfException.class, () -> Btf.fromElf(garbage));
        assertTrue(e.getMessage().contains("garbage"), e.getMessage());
        assertThrows(BtfException.class, () -> Btf.fromElf(tmp.resolve("missing")));
        java.nio.file.Path truncatedElf = java.nio.file.Files.write(tmp.resolve("elf"),
                new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        assertThrows(BtfException.class, () -> Btf.fromElf(truncatedElf));
    }

    // ------------------------------------------------------------------------------------------ broken blobs

    private static byte[] mutate(byte[] blob, Consumer<ByteBuffer> edit) {
        byte[] copy = blob.clone();
        edit.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
        return copy;
    }

    private static void rejects(byte[] blob, String expectedFragment) {
        BtfException e = assertThrows(BtfException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains(expectedFragment), () -> "'" + e.getMessage() + "' lacks '"
                + expectedFragment + "'");
    }

    @Test
    void rejectsBrokenHeadersAndSectionsWithAReason() {
        byte[] good = new World().b.build();
        int typeLen = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        rejects(new byte[10], "shorter than its 24-byte header");
        rejects(mutate(good, b -> b.putShort(0, (short) 0x1234)), "magic is 0x1234");
        rejects(mutate(good, b -> b.putShort(0, (short) 0x9FEB)), "big-endian");
        rejects(mutate(good, b -> b.put(2, (byte) 2)), "version 2");
        rejects(mutate(good, b -> b.putInt(4, 8)), "header length 8");
        rejects(mutate(good, b -> b.putInt(4, Integer.MAX_VALUE)), "header length");
        rejects(mutate(good, b -> b.putInt(12, -1)), "type section");
        rejects(mutate(good, b -> b.putInt(20, -1)), "string section");
        rejects(mutate(good, b -> b.putInt(16, -16)), "string section");
        rejects(mutate(good, b -> b.putInt(8, 2)), "aligned");
        rejects(mutate(good, b -> b.putInt(16, 0)), "overlap");
        rejects(mutate(good, b -> b.put(24 + typeLen, (byte) 'x')), "start with an empty string");
        rejects(mutate(good, b -> b.put(b.capacity() - 1, (byte) 'x')), "does not end with a NUL");
        rejects(mutate(good, b -> b.putInt(12, typeLen - 2)), "cut off");
        rejects(java.util.Arrays.copyOf(good, good.length - 5), "string section");
    }

    @Test
    void rejectsBrokenRecordsWithAReason() {
        BtfBuilder b1 = new BtfBuilder();
        b1.raw(0, BtfBuilder.info(BtfKind.INT, 0, false) | (25 << 24), 4, 32);
        rejects(b1.build(), "unknown kind 25");

        BtfBuilder b2 = new BtfBuilder();
        b2.addPtr(7);
        rejects(b2.build(), "refers to type 7");

        BtfBuilder b3 = new BtfBuilder();
        b3.raw(5000, BtfBuilder.info(BtfKind.TYPEDEF, 0, false), 0);
        rejects(b3.build(), "name offset 5000");

        BtfBuilder b4 = new BtfBuilder();
        b4.addInt("odd", 3, false);
        rejects(b4.build(), "has size 3");

        BtfBuilder b5 = new BtfBuilder();
        b5.addInt("wide", 4, 0, 8, 30);
        rejects(b5.build(), "30 bits at offset 8");

        BtfBuilder b6 = new BtfBuilder();
        int i = b6.addInt("int", 4, true);
        b6.raw(b6.str("s"), BtfBuilder.info(BtfKind.STRUCT, 0xffff, false), 4, 0, i, 0); // vlen 65535, one member
        rejects(b6.build(), "runs past the end");

        BtfBuilder b7 = new BtfBuilder();
        b7.addStruct("s", 4, false, m("x", 42, 0));
        rejects(b7.build(), "refers to type 42");

        BtfBuilder b8 = new BtfBuilder();
        b8.addEnum("e", 3, false, "A", 1);
        rejects(b8.build(), "(ENUM) has size 3");

        BtfBuilder b9 = new BtfBuilder();
        b9.addFloat("f", 7);
        rejects(b9.build(), "(FLOAT) has size 7");
    }

    @Test
    void cyclesEndInBtfExceptionsNotHangs() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int a = b.addTypedef("a", 2);       // 1 -> 2
        int c = b.addQualifier(BtfKind.CONST, 1); // 2 -> 1
        int p = b.addPtr(3);                  // pointer to itself
        int arr = b.addArray(4, 4, 2);        // array of itself
        int self = b.addStruct("self", 8, false, m("me", 5, 0)); // struct containing itself by value
        int i = b.addInt("int", 4, true);
        Btf btf = b.parse();
        BtfException e = assertThrows(BtfException.class, () -> btf.resolve(a));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertThrows(BtfException.class, () -> btf.sizeOf(c));
        assertThrows(BtfException.class, () -> btf.sizeOf(arr));
        assertThrows(BtfException.class, () -> btf.alignOf(self));
        assertThrows(BtfException.class, () -> btf.alignOf(arr));
        assertEquals(8, btf.sizeOf(self), "declared size");
        assertEquals("a", btf.describe(a), "a typedef is spelled by its name, no need to follow it");
        assertEquals("const a", btf.describe(c));
        assertTrue(btf.describe(p).startsWith("<bad type"), btf.describe(p));
        assertTrue(btf.describe(arr).startsWith("<bad type"), btf.describe(arr));
        assertEquals("struct self", btf.describe(self));
        assertEquals(0, btf.member(self, "me.me.me").bitOffset());
        assertEquals("int", btf.describe(i));
    }

    @Test
    void layoutSectionStepsOverKindsNewerThanThisParser() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int intT = b.addInt("int", 4, true);
        // kind 42 (unknown here): 8 bytes of info, 4 bytes per vlen element, vlen 3
        int future = b.raw(b.str("future_thing"), BtfBuilder.info(42, 3, false), 0, 1, 2, 3, 4, 5);
        int ptr = b.addPtr(future);
        int s = b.addStruct("after", 8, false, m("x", intT, 0), m("f", ptr, 0));
        byte[] blob = b.buildWithLayout(Map.of(42, new int[] {8, 4}));
        Btf btf = Btf.parse(blob);
        assertEquals(s + 1, btf.typeCount());
        BtfType.Unknown u = assertInstanceOf(BtfType.Unknown.class, btf.type(future));
        assertEquals(42, u.kindCode());
        assertEquals("future_thing", u.name());
        assertEquals(BtfKind.UNKNOWN, u.kind());
        assertEquals("<kind 42> future_thing *", btf.describe(ptr));
        assertEquals(4, btf.offsetOf("struct after", "x") + 4);
        assertThrows(BtfException.class, () -> btf.sizeOf(future));
        Value v = new ValueRenderer(btf).render(future, new byte[16]);
        assertTrue(((Value.UnavailableValue) v).reason().contains("kind 42 is newer"), v.toString());

        // without a layout entry for it, kind 42 cannot be stepped over
        rejects(b.build(), "unknown kind 42");
        rejects(b.buildWithLayout(Map.of(41, new int[] {0, 0})), "layout section does not describe");
        // a layout that contradicts a known kind is corruption
        rejects(b.buildWithLayout(Map.of(42, new int[] {8, 4}, 1, new int[] {8, 0})), "kind INT 8+0*vlen");
        byte[] misaligned = mutate(blob, bb -> bb.putInt(24, bb.getInt(24) + 2));
        rejects(misaligned, "not 4-byte aligned");
        rejects(mutate(blob, bb -> bb.putInt(28, 1_000_000)), "layout section");
        rejects(mutate(blob, bb -> bb.putInt(24, 0)), "overlaps");
    }

    @Test
    void vlenHasTwentyFourBits() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        Object[] pairs = new Object[2 * 70_000];
        for (int i = 0; i < 70_000; i++) {
            pairs[2 * i] = "E" + i;
            pairs[2 * i + 1] = i;
        }
        int e = b.addEnum("wide", 4, false, pairs);
        int after = b.addInt("int", 4, true);
        Btf btf = b.parse();
        BtfType.Enum wide = (BtfType.Enum) btf.type(e);
        assertEquals(70_000, wide.values().size());
        assertEquals(new BtfType.Enumerator("E69999", 69_999), wide.values().getLast());
        assertEquals("int", btf.type(after).name(), "the record after it is found");
    }

    /** Shared by-value subtrees and parameter graphs whose naive walk takes 2^50 steps: linear or budgeted. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, unit = java.util.concurrent.TimeUnit.SECONDS)
    void sharedSubgraphsAndCyclesStayFast() throws BtfException {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.addInt("unsigned int", 4, false);
        int levels = 50;
        int first = b.nextId();
        for (int i = 0; i < levels; i++) { // each struct holds the next one twice, anonymously
            int next = i == levels - 1 ? u32 : b.nextId() + 1;
            b.addStruct("s" + i, 8, false, m("", next, 0), m("", next, 0));
        }
        int firstProto = b.nextId();
        int protoLevels = 25; // 50 links: within the nesting cap, so only the step budget stops 2^25 spellings
        for (int i = 0; i < protoLevels; i++) { // each prototype takes two pointers to the next prototype
            b.addFuncProto(u32, "a", b.nextId() + 1, "b", b.nextId() + 1);
            b.addPtr(i == protoLevels - 1 ? u32 : b.nextId() + 1);
        }
        int a = b.nextId();
        b.addStruct("A", 8, false, m("x", a + 1, 0), m("y", a + 1, 0));
        b.addStruct("B", 8, false, m("p", a, 0), m("q", a, 0));
        Btf btf = b.parse();

        assertEquals(4, btf.alignOf(first), "memoized: linear in the number of types");
        BtfException lookup = assertThrows(BtfException.class, () -> btf.member(first, "nope"));
        assertTrue(lookup.getMessage().contains("visited more than"), lookup.getMessage());
        assertTrue(btf.describe(firstProto).contains("steps to spell"), btf.describe(firstProto));
        assertThrows(BtfException.class, () -> btf.alignOf(a));
        assertThrows(BtfException.class, () -> btf.member(a, "x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p"
                + ".x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.x.p.nope"));

        ValueRenderer r = new ValueRenderer(btf);
        String json = ValueJson.toJsonString(r.render(first, new byte[8]));
        assertTrue(json.contains("nested deeper than") || json.contains("budget"), "bounded by depth and budget");
        Value.StructValue av = (Value.StructValue) r.render(a, new byte[8]);
        Value.StructValue bx = (Value.StructValue) av.fields().getFirst().value();
        assertTrue(((Value.UnavailableValue) bx.fields().getFirst().value()).reason().contains("contains itself"));
    }
}
