package dev.freezeframe.coordinator.introspect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.introspect.bpf.BpfMapReader;
import dev.freezeframe.coordinator.introspect.bpf.BpfProgStatsReader;
import dev.freezeframe.coordinator.introspect.bpf.MapEntry;
import dev.freezeframe.coordinator.introspect.bpf.MapReadOptions;
import dev.freezeframe.coordinator.introspect.bpf.MapSnapshot;
import dev.freezeframe.coordinator.introspect.btf.Value;
import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.kernel.WalkBudget;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernelReader;
import dev.freezeframe.coordinator.introspect.testing.SchedExtFixture;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.SyntheticVmlinux;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Corrupted memory images through every walker: random bit flips, pointers redirected at other objects or at
 * themselves (cycles), absurd lengths and counts, broken page-table entries — in the page tables, the symbols, the
 * xarray, the maps, their BTF, scx_root, the run queues, DSQs, tasks and struct_ops programs of a
 * {@link SchedulerFixture} (4-level and 5-level). For each of at least
 * 1 000 mutated images: no exception escapes, nothing hangs (the whole run has a timeout; every walk is bounded), and
 * every failure is a non-empty reason. The seed is fixed (printed, and named in a failure); {@code -Dfuzz.seed=N}
 * (or {@code -Dintrospect.fuzz.seed=N}) runs other inputs,
 * {@code -Dintrospect.fuzz.images=N} runs longer.
 */
class CorruptedImageFuzzTest {
    static final int IMAGES = Integer.getInteger("introspect.fuzz.images", 1200);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void walkersSurviveCorruptedImages() {
        // fixed unless asked otherwise: a clean CI run must not draw new inputs every time
        long seed = dev.freezeframe.coordinator.FuzzSeed.base(Long.getLong("introspect.fuzz.seed", 0x1DE0_F022L));
        Random rnd = new Random(seed);
        List<SchedulerFixture> fixtures = new ArrayList<>(List.of(new SchedulerFixture(),
                new SchedulerFixture(SyntheticVmlinux.build(), true)));
        realLayoutVmlinux().ifPresent(btf -> { // run queues, tasks and DSQs need the kernel's real layouts
            fixtures.add(new SchedExtFixture(new SchedulerFixture(btf, false)).f);
            fixtures.add(new SchedExtFixture(new SchedulerFixture(btf, true)).f);
        });
        Map<String, Integer> outcomes = new TreeMap<>();
        List<List<String>> baselines = new ArrayList<>();
        for (SchedulerFixture f : fixtures) {
            baselines.add(uncheckedWalk(f));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < IMAGES; i++) {
            SchedulerFixture f = fixtures.get(i % fixtures.size());
            List<long[]> undo = new ArrayList<>();
            String kind = mutate(f, rnd, undo);
            try {
                List<String> reasons = walkAll(f);
                String outcome = reasons.equals(baselines.get(i % fixtures.size())) ? "same as unmutated"
                        : reasons.size() == 1 && reasons.getFirst().startsWith("no address space")
                                ? "no address space" : "new reasons";
                outcomes.merge(kind + " → " + outcome, 1, Integer::sum);
            } catch (Throwable t) {
                fail("image " + i + " (seed " + seed + ", mutation " + kind + "): " + t + "; "
                        + dev.freezeframe.coordinator.FuzzSeed.rerun(seed), t);
            } finally {
                for (int u = undo.size() - 1; u >= 0; u--) {
                    f.img.ram[(int) undo.get(u)[0]] = (byte) undo.get(u)[1];
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("introspection fuzz: %d images in %.1f s (seed %d)%n", IMAGES, secs, seed);
        outcomes.forEach((k, v) -> System.out.printf("  %5d  %s%n", v, k));
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("new reasons")),
                "the mutations should break something: " + outcomes);
    }

    /** The kit kernel's BTF when a kit is there (the real-layout fixtures are skipped without one). */
    private static java.util.Optional<dev.freezeframe.coordinator.introspect.btf.Btf> realLayoutVmlinux() {
        try {
            return dev.freezeframe.vmm.kit.KitCache.defaultCache().current()
                    .map(dev.freezeframe.vmm.kit.Kit::vmlinux).filter(java.nio.file.Files::isRegularFile)
                    .map(p -> {
                        try {
                            return dev.freezeframe.coordinator.introspect.btf.Btf.fromElf(p);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static List<String> uncheckedWalk(SchedulerFixture f) {
        try {
            return walkAll(f);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs every walker and returns every reason given, in order; fails on an empty one. */
    private static List<String> walkAll(SchedulerFixture f) throws Exception {
        List<String> reasons = new ArrayList<>();
        Read<KernelView> view = Views.of(f.img, f.vmlinux);
        if (!view.isOk()) {
            reason(reasons, view.reasonOrNull());
            return List.of("no address space: " + reasons.getFirst());
        }
        KernelView k = view.orElse(null);
        BpfMapReader.BpfMaps maps = new BpfMapReader(k, MapReadOptions.DEFAULT).readAll();
        reason(reasons, maps.unavailable());
        for (MapSnapshot m : maps.maps()) {
            reason(reasons, m.unavailable());
            for (MapEntry e : m.entries()) {
                values(reasons, e.key());
                values(reasons, e.value());
                for (Value v : e.perCpu()) {
                    values(reasons, v);
                }
            }
        }
        ScxState scx = ScxStateReader.read(k);
        reason(reasons, scx.unavailable());
        SchedExtKernel kernel = SchedExtKernelReader.read(k, scx);
        reason(reasons, kernel.sched().unavailable());
        for (Walk<?> part : List.of(kernel.cpus(), kernel.dsqs(), kernel.tasks(), kernel.events(), kernel.cpuTime())) {
            reason(reasons, part.unavailable());
        }
        kernel.cpus().items().forEach(c -> reason(reasons, c.unavailable()));
        kernel.dsqs().items().forEach(d -> reason(reasons, d.unavailable()));
        JSON.writeValueAsString(kernel);
        Walk<BpfProgStatsReader.ProgStats> progs = BpfProgStatsReader.read(k);
        reason(reasons, progs.unavailable());
        JSON.writeValueAsString(progs.items());
        Walk<KernelVirtAddr> list = KernelHelpers.list_for_each_entry(k, f.listHead, "struct mm_struct", "pgd",
                WalkBudget.DEFAULT);
        reason(reasons, list.unavailable());
        JSON.writeValueAsString(IntrospectionJson.toJson(maps));
        JSON.writeValueAsString(IntrospectionJson.toJson(scx));
        return reasons;
    }

    private static void reason(List<String> reasons, String r) {
        if (r != null) {
            assertFalse(r.isBlank(), "a failure without a reason");
            reasons.add(r);
        }
    }

    /** Collects the reasons of every unavailable part of a value tree. */
    private static void values(List<String> reasons, Value v) {
        switch (v) {
            case null -> { }
            case Value.UnavailableValue u -> reason(reasons, u.reason());
            case Value.StructValue s -> s.fields().forEach(x -> values(reasons, x.value()));
            case Value.UnionValue s -> s.fields().forEach(x -> values(reasons, x.value()));
            case Value.ArrayValue a -> a.elements().forEach(x -> values(reasons, x));
            default -> { }
        }
    }

    // ------------------------------------------------------------------------------------------------ mutations

    private static String mutate(SchedulerFixture f, Random rnd, List<long[]> undo) {
        List<long[]> regions = f.img.regions();
        int n = 1 + rnd.nextInt(4);
        String kind = switch (rnd.nextInt(5)) {
            case 0 -> "bit flips";
            case 1 -> "pointer redirect";
            case 2 -> "absurd length";
            case 3 -> "page-table damage";
            default -> "mixed";
        };
        for (int m = 0; m < n; m++) {
            String k = kind.equals("mixed") ? List.of("bit flips", "pointer redirect", "absurd length",
                    "page-table damage").get(rnd.nextInt(4)) : kind;
            long[] r = regions.get(rnd.nextInt(regions.size()));
            long at = r[0] + (r[1] <= 8 ? 0 : rnd.nextLong(r[1] - 7));
            switch (k) {
                case "bit flips" -> {
                    for (int b = 0; b < 1 + rnd.nextInt(8); b++) {
                        long p = r[0] + rnd.nextLong(r[1]);
                        set(f, undo, p, (byte) (f.img.ram[(int) p] ^ (1 << rnd.nextInt(8))));
                    }
                }
                case "pointer redirect" -> put64(f, undo, at & ~7L, pointer(f, rnd, regions, at & ~7L));
                case "absurd length" -> {
                    long v = switch (rnd.nextInt(5)) {
                        case 0 -> 0xffff_ffffL;
                        case 1 -> 0x7fff_ffffL;
                        case 2 -> 0;
                        case 3 -> 1L << (8 + rnd.nextInt(24));
                        default -> rnd.nextInt() & 0xffff_ffffL;
                    };
                    long p = at & ~3L;
                    for (int b = 0; b < 4; b++) {
                        set(f, undo, p + b, (byte) (v >>> (8 * b)));
                    }
                }
                default -> { // a page-table entry: cleared, pointed elsewhere, or made a huge page
                    long entry = (at & ~7L);
                    long old = get64(f, entry);
                    long v = switch (rnd.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> old ^ 0x80;
                        case 2 -> (rnd.nextLong(f.img.ram.length) & ~0xfffL) | 0x63;
                        default -> (f.img.rootTablePhys()) | 0x63; // a loop back to the root table
                    };
                    put64(f, undo, entry, v);
                }
            }
        }
        return kind;
    }

    /** Some other object (or this very word: a self-loop), a node-tagged pointer, or junk. */
    private static long pointer(SchedulerFixture f, Random rnd, List<long[]> regions, long self) {
        long[] r = regions.get(rnd.nextInt(regions.size()));
        long target = r[0] + (r[1] <= 8 ? 0 : rnd.nextLong(r[1]) & ~7L);
        return switch (rnd.nextInt(7)) {
            case 0 -> f.img.pob + self; // points at itself
            case 1 -> f.img.pob + target;
            case 2 -> f.img.pob + target + 2; // an xa_node-tagged pointer
            case 3 -> 0;
            case 4 -> -1L;
            case 5 -> rnd.nextLong();
            default -> 0xffff_c900_0000_0000L + (rnd.nextLong(1L << 30) & ~7L);
        };
    }

    private static long get64(SchedulerFixture f, long p) {
        long v = 0;
        for (int b = 7; b >= 0; b--) {
            v = (v << 8) | (f.img.ram[(int) (p + b)] & 0xff);
        }
        return v;
    }

    private static void put64(SchedulerFixture f, List<long[]> undo, long p, long v) {
        for (int b = 0; b < 8; b++) {
            set(f, undo, p + b, (byte) (v >>> (8 * b)));
        }
    }

    private static void set(SchedulerFixture f, List<long[]> undo, long p, byte v) {
        if (p < 0 || p >= f.img.ram.length) {
            return;
        }
        undo.add(new long[] {p, f.img.ram[(int) p]});
        f.img.ram[(int) p] = v;
    }

}
