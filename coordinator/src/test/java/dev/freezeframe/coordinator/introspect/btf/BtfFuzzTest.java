package dev.freezeframe.coordinator.introspect.btf;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutated BTF blobs — random byte flips, truncations, absurd header lengths, absurd or self-referencing type ids,
 * random kind/vlen words, huge array lengths, broken strings — through the parser, every lookup and the renderer.
 * Checked for every blob: no exception other than {@link BtfException} escapes, the renderer always returns a value
 * that serializes to JSON, and nothing hangs (the method timeouts; the slowest case is printed). Seeds are fixed; a
 * failure names the seed and mutation that reproduce it.
 */
class BtfFuzzTest {
    enum Mutation {
        FLIP_ANYWHERE, FLIP_TYPE_SECTION, HEADER_FIELD, TRUNCATE, ABSURD_TYPE_REF, ABSURD_INFO_WORD, SELF_REFERENCE,
        HUGE_ARRAY, BROKEN_STRINGS
    }

    /** A pristine blob and what the mutations aim at. */
    static final class Target {
        final byte[] blob;
        final int[] records;
        final int typeStart;
        final int typeEnd;
        final int strStart;
        final int strEnd;

        Target(byte[] blob) {
            this.blob = blob;
            this.records = BtfBuilder.recordOffsets(blob);
            ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
            int hdr = b.getInt(4);
            typeStart = hdr + b.getInt(8);
            typeEnd = typeStart + b.getInt(12);
            strStart = hdr + b.getInt(16);
            strEnd = strStart + b.getInt(20);
        }

        int kindAt(int record) {
            return (ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).getInt(record + 4) >>> 24) & 0x7f;
        }
    }

    private final EnumMap<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private long slowestNanos;
    private String slowest = "";

    /** Returns the mutated copy; {@code focus[0]} gets the id of a type the mutation touched, or 0. */
    static byte[] mutate(Target t, Mutation m, Random r, int[] focus) {
        byte[] c = t.blob.clone();
        ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        int rec = r.nextInt(t.records.length);
        int at = t.records[rec];
        focus[0] = rec + 1;
        switch (m) {
            case FLIP_ANYWHERE -> {
                for (int i = 1 + r.nextInt(32); i > 0; i--) {
                    c[r.nextInt(c.length)] = (byte) r.nextInt(256);
                }
            }
            case FLIP_TYPE_SECTION -> {
                for (int i = 1 + r.nextInt(8); i > 0; i--) {
                    int p = Math.min(t.typeEnd - 1, at + r.nextInt(24));
                    c[p] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case HEADER_FIELD -> {
                int field = 4 * (1 + r.nextInt(Math.min(7, b.getInt(4) / 4 - 1))); // 5 fields, 7 with a layout
                int v = switch (r.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> -1;
                    case 2 -> r.nextInt();
                    case 3 -> b.getInt(field) + r.nextInt(64) - 32;
                    case 4 -> Integer.MAX_VALUE;
                    default -> c.length;
                };
                b.putInt(field, v);
            }
            case TRUNCATE -> {
                return Arrays.copyOf(c, r.nextInt(c.length));
            }
            case ABSURD_TYPE_REF -> {
                int typeCount = t.records.length + 1;
                int v = switch (r.nextInt(5)) {
                    case 0 -> -1;
                    case 1 -> r.nextInt();
                    case 2 -> typeCount;
                    case 3 -> rec + 1; // itself
                    default -> r.nextInt(typeCount); // in range: new shapes, maybe cycles
                };
                int kind = t.kindAt(at);
                int info = b.getInt(at + 4);
                int vlen = info & 0xffffff;
                if ((kind == 4 || kind == 5) && vlen > 0) {
                    b.putInt(at + 12 + 12 * r.nextInt(vlen) + 4, v); // a member's type
                } else if (kind == 3) {
                    b.putInt(at + 12 + 4 * r.nextInt(2), v); // element or index type
                } else {
                    b.putInt(at + 8, v);
                }
            }
            case ABSURD_INFO_WORD -> b.putInt(at + 4, switch (r.nextInt(3)) {
                case 0 -> r.nextInt();
                case 1 -> (b.getInt(at + 4) & 0xff000000) | (r.nextBoolean() ? 0xffff : 0xffffff); // huge vlen
                default -> (b.getInt(at + 4) & 0x80ffffff) | (r.nextInt(128) << 24); // another kind
            });
            case SELF_REFERENCE -> {
                // a struct containing itself by value, or a typedef/qualifier/pointer/array pointing at itself
                int kind = t.kindAt(at);
                int vlen = b.getInt(at + 4) & 0xffffff;
                if ((kind == 4 || kind == 5) && vlen > 0) {
                    b.putInt(at + 12 + 4, rec + 1);
                } else if (kind == 3) {
                    b.putInt(at + 12, rec + 1);
                } else {
                    b.putInt(at + 8, rec + 1);
                }
            }
            case HUGE_ARRAY -> {
                for (int i = 0; i < t.records.length; i++) {
                    int cand = t.records[(rec + i) % t.records.length];
                    if (t.kindAt(cand) == 3) {
                        b.putInt(cand + 20, r.nextBoolean() ? -1 : r.nextInt());
                        focus[0] = (rec + i) % t.records.length + 1;
                        break;
                    }
                }
            }
            case BROKEN_STRINGS -> {
                if (t.strEnd > t.strStart) {
                    for (int i = 1 + r.nextInt(16); i > 0; i--) {
                        int p = t.strStart + r.nextInt(t.strEnd - t.strStart);
                        c[p] = (byte) (r.nextBoolean() ? 0 : r.nextInt(256));
                    }
                    if (r.nextInt(4) == 0) {
                        c[t.strEnd - 1] = 'x';
                    }
                }
            }
        }
        return c;
    }

    /** Parses and exercises one blob; any exception but BtfException propagates. */
    void exercise(byte[] blob, Random r, int focus) {
        Btf btf;
        try {
            btf = Btf.parse(blob);
        } catch (BtfException e) {
            count("rejected");
            assertNotNull(e.getMessage());
            return;
        }
        count("parsed");
        ValueRenderer renderer = new ValueRenderer(btf, a -> (a & 0xfff) == 0 ? java.util.Optional.of("sym")
                : java.util.Optional.empty(), new ValueRenderer.Limits(12, 32, 3000, 128));
        int n = btf.typeCount();
        int[] ids = new int[24];
        ids[0] = focus;
        ids[1] = n;
        ids[2] = -1;
        for (int i = 3; i < ids.length; i++) {
            ids[i] = i < 12 ? Math.max(0, focus - 6 + i) : r.nextInt(n);
        }
        for (int id : ids) {
            try {
                BtfType t = btf.type(id);
                if (t instanceof BtfType.Composite c) {
                    for (BtfType.Member mem : c.members().subList(0, Math.min(4, c.members().size()))) {
                        try {
                            btf.member(id, mem.name().isEmpty() ? "x" : mem.name());
                        } catch (BtfException e) {
                            count("member reason");
                        }
                    }
                }
            } catch (BtfException e) {
                count("type reason");
            }
            assertNotNull(btf.describe(id));
            try {
                btf.sizeOf(id);
                btf.alignOf(id);
                btf.resolve(id);
            } catch (BtfException e) {
                count("layout reason");
            }
            byte[] bytes = new byte[r.nextInt(1024)];
            r.nextBytes(bytes);
            Value v = renderer.render(id, bytes);
            assertNotNull(v);
            String json = ValueJson.toJsonString(v);
            if (json.contains("\"unavailable\"")) {
                count("rendered with reasons");
            } else {
                count("rendered clean");
            }
        }
        if (r.nextInt(8) == 0) {
            btf.findType("struct scx_sched").ifPresent(s -> {
                for (String path : List.of("exit_kind", "ops.name", "ops.name[3]")) {
                    try {
                        btf.member(s.id(), path);
                    } catch (BtfException e) {
                        count("member reason");
                    }
                }
            });
            btf.findAll("task_struct");
        }
    }

    private void count(String what) {
        outcomes.merge(what, 1, Integer::sum);
    }

    private void run(Target target, long fixedSeed, int cases) {
        long firstSeed = dev.freezeframe.coordinator.FuzzSeed.base(fixedSeed);
        Mutation[] all = Mutation.values();
        for (int i = 0; i < cases; i++) {
            long seed = firstSeed + i;
            Random r = new Random(seed);
            Mutation m = all[i % all.length];
            applied.merge(m, 1, Integer::sum);
            int[] focus = new int[1];
            long t0 = System.nanoTime();
            try {
                byte[] blob = mutate(target, m, r, focus);
                exercise(blob, r, focus[0]);
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                throw new AssertionError("seed " + seed + " (" + m + ") let " + e + " escape; "
                        + dev.freezeframe.coordinator.FuzzSeed.rerun(firstSeed), e);
            }
            long took = System.nanoTime() - t0;
            if (took > slowestNanos) {
                slowestNanos = took;
                slowest = "seed " + seed + " (" + m + ")";
            }
        }
    }

    private void assertEveryPathExercised(int cases) {
        for (Mutation m : Mutation.values()) {
            assertTrue(applied.getOrDefault(m, 0) >= cases / Mutation.values().length, m::toString);
        }
        for (String o : List.of("rejected", "parsed", "type reason", "layout reason", "rendered with reasons",
                "rendered clean")) {
            assertTrue(outcomes.getOrDefault(o, 0) > 0, () -> o + " never happened: " + outcomes);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void twentyThousandMutationsOfAHandMadeBlob() throws BtfException {
        BtfTest.World world = new BtfTest.World();
        byte[] blob = world.b.build();
        Btf.parse(blob); // the pristine blob is valid
        int cases = 20_000;
        run(new Target(blob), 0xB7F_0000L, cases);
        System.out.printf("BTF fuzz (hand-made, %d bytes): %d cases, mutations %s, outcomes %s, slowest %.1f ms (%s)%n",
                blob.length, cases, applied, outcomes, slowestNanos / 1e6, slowest);
        assertEveryPathExercised(cases);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fiveThousandMutationsOfABlobWithALayoutSectionAndANewerKind() throws BtfException {
        BtfTest.World world = new BtfTest.World();
        world.b.raw(world.b.str("future"), BtfBuilder.info(42, 2, false), 0, 7, 8, 9);
        byte[] blob = world.b.buildWithLayout(Map.of(42, new int[] {4, 4}));
        Btf.parse(blob);
        int cases = 5_004;
        run(new Target(blob), 0x1A70_0000L, cases);
        System.out.printf("BTF fuzz (7.x header with layout, %d bytes): %d cases, outcomes %s, slowest %.1f ms (%s)%n",
                blob.length, cases, outcomes, slowestNanos / 1e6, slowest);
        assertEveryPathExercised(cases);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aThousandMutationsOfTheRealVmlinuxBtf() throws BtfException {
        byte[] blob = KitVmlinux.btfSection();
        Btf.parse(blob);
        int cases = 1_008; // a multiple of the 9 mutations
        long t0 = System.nanoTime();
        run(new Target(blob), 0x5EED_0000L, cases);
        System.out.printf("BTF fuzz (vmlinux, %d bytes): %d cases in %.1f s, mutations %s, outcomes %s, "
                        + "slowest %.1f ms (%s)%n", blob.length, cases, (System.nanoTime() - t0) / 1e9, applied,
                outcomes, slowestNanos / 1e6, slowest);
        assertEveryPathExercised(cases);
    }
}
