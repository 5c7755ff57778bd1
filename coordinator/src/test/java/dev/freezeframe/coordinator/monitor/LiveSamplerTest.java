package dev.freezeframe.coordinator.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.introspect.testing.SchedExtFixture;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live monitor's reader over a synthetic image with the kit kernel's real layouts: the values it samples are the
 * fixture's, the user's fields resolve or say why not, and a guest changing under it (random bytes anywhere) never
 * makes it throw or hang. Skipped without a kit.
 */
class LiveSamplerTest {
    static Btf vmlinux;

    @BeforeAll
    static void loadVmlinux() throws Exception {
        vmlinux = dev.freezeframe.coordinator.introspect.testing.KitBtf.vmlinux();
    }

    private static LiveSampler.Prepared prepare(SchedExtFixture s, List<String> specs) {
        KernelView k = Views.require(s.img, vmlinux);
        Read<LiveSampler.Prepared> p = LiveSampler.prepare(k, ScxStateReader.read(k),
                specs.stream().map(MonitorSpec::parse).toList(), SchedulerFixture.CPUS);
        assertTrue(p.isOk(), p::reasonOrNull);
        return p.orElse(null);
    }

    private static Map<String, Double> values(LiveSampler.Sample sample) {
        Map<String, Double> out = new java.util.HashMap<>();
        MonitorPoints p = sample.points();
        for (int i = 0; i < p.size(); i++) {
            assertEquals(null, out.put(p.series(i), p.value(i)), "one point per series: " + p.series(i));
        }
        return out;
    }

    @Test
    void samplesRunQueuesDsqsCountersAgesAndFields() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        LiveSampler.Prepared p = prepare(s, List.of("scx_qmap.bss:nr_enqueued", "arena:qa.calls", "cpu_ctx[1]:calls"));
        assertEquals(List.of(), p.problems());
        LiveSampler.Sample sample = p.sampler().sample();
        assertEquals(0, sample.failedReads());
        Map<String, Double> v = values(sample);
        assertEquals(2.0, v.get("cpu0/nr_running"));
        assertEquals(1.0, v.get("cpu1/nr_running"));
        assertEquals((double) SchedExtFixture.STALLED_WAIT_MS, v.get("cpu1/oldest_runnable_ms"));
        assertEquals(0.0, v.get("dsq/global"));
        assertTrue(v.containsKey("dsq/user " + SchedExtFixture.USER_DSQ), v.keySet().toString());
        assertEquals(12.0, v.get("events/SCX_EV_DISPATCH_KEEP_LAST"));
        assertEquals((double) SchedulerFixture.NR_ENQUEUED, v.get("field/scx_qmap.bss:nr_enqueued"));
        assertEquals((double) SchedulerFixture.ARENA_CALLS, v.get("field/arena:qa.calls"));
        // per-CPU array, entry 1: calls = 100 * cpu + 1 on each CPU, plus their sum
        assertEquals(1.0, v.get("field/cpu_ctx[1]:calls/cpu0"));
        assertEquals(101.0, v.get("field/cpu_ctx[1]:calls/cpu1"));
        assertEquals(102.0, v.get("field/cpu_ctx[1]:calls/sum"));
    }

    /** The stall-onset watch's cheap look is the largest of the oldest-runnable series, and a broken list no number. */
    @Test
    void theOldestRunnableAgeOverAllCpusIsTheLargestOfTheSeries() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        LiveSampler sampler = prepare(s, List.of()).sampler();
        Map<String, Double> v = values(sampler.sample());
        assertEquals(Math.max(v.get("cpu0/oldest_runnable_ms"), v.get("cpu1/oldest_runnable_ms")),
                (double) sampler.oldestRunnableMs());
        assertEquals(SchedExtFixture.STALLED_WAIT_MS, sampler.oldestRunnableMs(), "cpu 1's stalled task");

        // cpu 1's runnable list loops on the stalled task without reaching its head
        var node = s.stalled.plus(s.img.off("struct task_struct", "scx.runnable_node"));
        s.img.w64(node, node.value());
        assertEquals(Long.MIN_VALUE, sampler.oldestRunnableMs(), "a list that cannot be walked gives no age");
    }

    @Test
    void fieldsTheSchedulerDoesNotHaveAreProblemsInWordsAndTheRestIsSampled() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        LiveSampler.Prepared p = prepare(s, List.of("no_map:x", "scx_qmap.bss:nope", "arena:qa.nope", "pids:x",
                "counts[9999]:x", "arena:qa"));
        List<String> problems = p.problems();
        assertEquals(6, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("no_map:x not monitored: no BPF map is named 'no_map'"), problems.get(0));
        assertTrue(problems.get(1).contains("has no variable 'nope'"), problems.get(1));
        assertTrue(problems.get(2).contains("no member 'nope'"), problems.get(2));
        assertTrue(problems.get(3).contains("BPF_MAP_TYPE_HASH map: only arrays"), problems.get(3));
        assertTrue(problems.get(4).contains("key 9999 is outside"), problems.get(4));
        assertTrue(problems.get(5).contains("not a number"), problems.get(5));
        assertTrue(values(p.sampler().sample()).containsKey("cpu0/nr_running"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aGuestChangingUnderTheReaderNeverMakesItThrowOrHang() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        LiveSampler sampler = prepare(s, List.of("scx_qmap.bss:nr_enqueued", "cpu_ctx[0]:calls")).sampler();
        byte[] ram = s.img.ram;
        byte[] clean = ram.clone();
        Random rnd = new Random(0x5A3B1E);
        int withFailures = 0;
        for (int i = 0; i < 3000; i++) {
            // torn or corrupted: a run of random bytes somewhere in the kernel's memory, then a sample
            if (rnd.nextBoolean()) {
                int at = rnd.nextInt(ram.length - 64);
                for (int b = 0; b < 1 + rnd.nextInt(64); b++) ram[at + b] = (byte) rnd.nextInt();
            } else { // a word of what the sampler walks: run queues, list links, DSQs, the DSQ hash, a task
                var targets = List.of(s.rq[0], s.rq[1], s.userDsq, s.globalDsq, s.bucketTable, s.stalled, s.queued);
                var base = targets.get(rnd.nextInt(targets.size()));
                long word = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> base.value() + 8L * rnd.nextInt(64); // a link into itself: a cycle
                    default -> 0;
                };
                s.img.w64(base.plus(8L * rnd.nextInt(512)), word);
            }
            LiveSampler.Sample sample = sampler.sample();
            if (sample.failedReads() > 0) withFailures++;
            for (int p = 0; p < sample.points().size(); p++) assertFalse(sample.points().series(p).isBlank());
            if (i % 50 == 49) System.arraycopy(clean, 0, ram, 0, ram.length);
        }
        System.out.println("samples of corrupted images with failed reads: " + withFailures + " of 3000");
    }
}
