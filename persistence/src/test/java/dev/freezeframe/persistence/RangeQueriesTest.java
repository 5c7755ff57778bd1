package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Range summaries against the same figures computed by brute force over the events that were stored. */
class RangeQueriesTest {
    @TempDir
    Path dir;
    Archive archive;
    long run;
    List<RunEvent> stored;

    @BeforeEach
    void storeAMixedRun() {
        archive = Archive.open(dir.resolve("r.db"));
        run = TestRuns.createRun(archive, "scx_qmap", Instant.parse("2026-10-01T08:00:00Z"));
        stored = new ArrayList<>();
        for (RunEvent e : TestRuns.events(40_000, 11)) {
            // watch hits carry their slot in the detail, as the engine writes them; some lines read as errors
            if (e.lane() == Lane.WATCHPOINTS) {
                e = new RunEvent(e.seq(), e.atNanos(), e.lane(), e.kind(), e.text(), null,
                        "{\"slot\":" + (1 + e.seq() % 3) + "}");
            } else if (e.lane() == Lane.CONSOLE && e.seq() % 97 == 0) {
                e = RunEvent.of(e.seq(), e.atNanos(), e.lane(), e.kind(), "sched_ext: BPF scheduler error " + e.seq());
            }
            stored.add(e);
        }
        // small batches: many blocks per lane, some of them wholly inside a range and some cut by it
        try (EventIngest ingest = archive.startIngest(run, new EventIngest.Options(4096, 500, 0))) {
            stored.forEach(ingest::append);
        }
    }

    @AfterEach
    void close() {
        archive.close();
    }

    @Test
    void countsSeriesDigestAndHitsMatchTheEventsInTheRange() {
        SplittableRandom random = new SplittableRandom(17);
        long end = stored.stream().mapToLong(RunEvent::atNanos).max().orElseThrow();
        for (int k = 0; k < 25; k++) {
            long from = random.nextLong(end);
            long to = Math.min(end, from + random.nextLong(end / 4));
            check(from, to);
        }
        check(0, end);
        check(end + 1, end + 1000);
    }

    private void check(long from, long to) {
        RangeSummary s = archive.ranges().summarize(run, from, to);
        List<RunEvent> in = stored.stream().filter(e -> e.atNanos() >= from && e.atNanos() <= to).toList();
        String where = from + ".." + to;
        for (RangeSummary.LaneCount c : s.lanes()) {
            List<RunEvent> lane = in.stream().filter(e -> e.lane() == c.lane()).toList();
            assertEquals(lane.size(), c.count(), c.lane() + " " + where);
            assertEquals(lane.isEmpty() ? -1 : lane.stream().mapToLong(RunEvent::atNanos).min().orElseThrow(),
                    c.firstNs(), c.lane() + " first " + where);
            assertEquals(lane.isEmpty() ? -1 : lane.stream().mapToLong(RunEvent::atNanos).max().orElseThrow(),
                    c.lastNs(), c.lane() + " last " + where);
        }
        Map<String, List<RunEvent>> byKind = in.stream().filter(e -> e.lane() == Lane.STATS)
                .collect(Collectors.groupingBy(RunEvent::kind, TreeMap::new, Collectors.toList()));
        assertEquals(List.copyOf(byKind.keySet()), s.series().stream().map(RangeSummary.SeriesStats::kind).toList());
        for (RangeSummary.SeriesStats st : s.series()) {
            List<RunEvent> samples = new ArrayList<>(byKind.get(st.kind()));
            samples.sort((a, b) -> a.atNanos() != b.atNanos() ? Long.compare(a.atNanos(), b.atNanos())
                    : Long.compare(a.seq(), b.seq()));
            assertEquals(samples.size(), st.count());
            assertEquals(samples.getFirst().value(), st.first(), 0.0);
            assertEquals(samples.getLast().value(), st.last(), 0.0);
            assertEquals(samples.stream().mapToDouble(RunEvent::value).min().orElseThrow(), st.min(), 0.0);
            assertEquals(samples.stream().mapToDouble(RunEvent::value).max().orElseThrow(), st.max(), 0.0);
            assertEquals(samples.getLast().value() - samples.getFirst().value(), st.delta(), 1e-9);
        }
        List<RunEvent> lines = in.stream().filter(e -> e.lane() == Lane.CONSOLE || e.lane() == Lane.SCHEDULER)
                .toList();
        assertEquals(lines.size(), s.console().lines());
        assertEquals(lines.stream().filter(e -> e.kind().equals("stderr")).count(), s.console().stderr());
        assertEquals(lines.stream().filter(RangeQueries::readsAsError).count(), s.console().errors(), where);
        assertFalse(s.console().truncated());
        Map<Integer, Long> hits = in.stream().filter(e -> e.lane() == Lane.WATCHPOINTS)
                .collect(Collectors.groupingBy(e -> (int) (1 + e.seq() % 3), TreeMap::new, Collectors.counting()));
        assertEquals(hits, new TreeMap<>(s.watchHitsBySlot()), where);
    }

    @Test
    void mostRepeatedMessagesFoldNumbers() {
        RangeSummary s = archive.ranges().summarize(run, 0, Long.MAX_VALUE);
        List<RangeSummary.Repeated> top = s.console().mostRepeated();
        assertFalse(top.isEmpty());
        // "console line N cpuK" and "scx_qmap: tick N" are the two shapes of the stream
        assertTrue(top.stream().anyMatch(r -> r.message().equals("console line # cpu#")), top.toString());
        assertTrue(top.stream().anyMatch(r -> r.message().equals("scx_qmap: tick #")), top.toString());
        for (int i = 1; i < top.size(); i++) assertTrue(top.get(i - 1).count() >= top.get(i).count());
        assertEquals("sched_ext: BPF scheduler error #", RangeQueries.shape("sched_ext: BPF scheduler error 0x1f"));
    }

    @Test
    void anInvertedRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> archive.ranges().summarize(run, 10, 5));
    }
}
