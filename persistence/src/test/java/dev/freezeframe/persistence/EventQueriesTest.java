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
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EventQueries against the same answers computed by brute force over the events that were stored. */
class EventQueriesTest {
    private static final Set<Lane> CONSOLE = Set.of(Lane.CONSOLE, Lane.SCHEDULER);

    @TempDir
    Path dir;
    Archive archive;
    long run;
    List<RunEvent> stored;

    @BeforeEach
    void storeAMixedRun() {
        archive = Archive.open(dir.resolve("e.db"));
        run = TestRuns.createRun(archive, "scx_qmap", Instant.parse("2026-10-01T08:00:00Z"));
        stored = TestRuns.events(30_000, 7);
        // small batches: many blocks per lane, interleaved in seq, as a live run stores them
        try (EventIngest ingest = archive.startIngest(run, new EventIngest.Options(4096, 700, 0))) {
            stored.forEach(ingest::append);
        }
    }

    @AfterEach
    void close() {
        archive.close();
    }

    private List<RunEvent> where(Predicate<RunEvent> p) {
        return stored.stream().filter(p).toList();
    }

    @Test
    void countsAndLastSeq() {
        EventQueries q = archive.events();
        assertEquals(30_000, q.count(run));
        assertEquals(where(e -> e.lane() == Lane.CONSOLE).size(), q.count(run, Lane.CONSOLE));
        assertEquals(29_999, q.lastSeq(run));
        assertEquals(0, q.count(run + 99));
        assertEquals(-1, q.lastSeq(run + 99));
    }

    @Test
    void pagesBySeqAcrossLanes() {
        EventQueries q = archive.events();
        SplittableRandom random = new SplittableRandom(3);
        for (int k = 0; k < 50; k++) {
            long from = random.nextInt(30_000);
            long to = from + random.nextInt(1, 2000);
            assertEquals(where(e -> e.seq() >= from && e.seq() < to), q.bySeq(run, from, to), from + ".." + to);
        }
        assertEquals(stored.subList(29_488, 30_000), q.bySeq(run, 29_488, 30_512));
        assertTrue(q.bySeq(run, 5, 5).isEmpty());
    }

    @Test
    void firstSeqAtOrAfterATimeIsTheFirstInSeqOrder() {
        EventQueries q = archive.events();
        SplittableRandom random = new SplittableRandom(5);
        long end = stored.getLast().atNanos();
        for (int k = 0; k < 100; k++) {
            long t = random.nextLong(end + 1_000);
            for (Lane lane : List.of(Lane.CONSOLE, Lane.WATCHPOINTS, Lane.STATS)) {
                OptionalLong expected = where(e -> e.lane() == lane && e.atNanos() >= t).stream()
                        .mapToLong(RunEvent::seq).findFirst();
                assertEquals(expected, q.firstSeqAtOrAfter(run, lane, t), lane + " at " + t);
            }
            OptionalLong anyLane = where(e -> e.atNanos() >= t).stream().mapToLong(RunEvent::seq).findFirst();
            assertEquals(anyLane, q.firstSeqAtOrAfter(run, Set.of(), t));
        }
    }

    @Test
    void consolePagesAroundATimeAndStepByPage() {
        EventQueries q = archive.events();
        List<RunEvent> lines = where(e -> CONSOLE.contains(e.lane()));
        RunEvent middle = lines.get(lines.size() / 2);
        EventPage page = q.around(run, CONSOLE, middle.atNanos(), 100, 150);
        // the anchor is the first console line in seq order at or after the time
        RunEvent anchor = lines.stream().filter(e -> e.atNanos() >= middle.atNanos()).findFirst().orElseThrow();
        int at = lines.indexOf(anchor);
        assertEquals(lines.subList(at - 100, at + 150), page.events());
        assertEquals(100, page.anchor());
        assertFalse(page.atStart());
        assertFalse(page.atEnd());

        EventPage head = q.around(run, CONSOLE, 0, 100, 150);
        assertTrue(head.atStart());
        assertEquals(lines.subList(0, 150), head.events());

        EventPage tail = q.around(run, CONSOLE, Long.MAX_VALUE, 100, 150);
        assertEquals(-1, tail.anchor());
        assertTrue(tail.atEnd());
        assertEquals(lines.subList(lines.size() - 250, lines.size()), tail.events());

        EventPage next = q.after(run, CONSOLE, page.events().getLast().seq() + 1, 300);
        assertEquals(lines.subList(at + 150, at + 450), next.events());
        EventPage previous = q.before(run, CONSOLE, page.events().getFirst().seq(), 300);
        assertEquals(lines.subList(at - 400, at - 100), previous.events());
        EventPage toTheEnd = q.after(run, CONSOLE, lines.get(lines.size() - 10).seq(), 300);
        assertEquals(10, toTheEnd.events().size());
        assertTrue(toTheEnd.atEnd());
    }

    @Test
    void matchingByLaneKindAndTextThenPagingTheRefs() {
        EventQueries q = archive.events();
        EventRefs hits = q.matching(run, new EventFilter(Set.of(Lane.WATCHPOINTS), Set.of("hit"), ""), -1);
        List<RunEvent> expected = where(e -> e.lane() == Lane.WATCHPOINTS && e.kind().equals("hit"));
        assertEquals(expected.size(), hits.size());
        assertEquals(expected, q.events(run, hits, 0, hits.size()));

        EventRefs twoLanes = q.matching(run, new EventFilter(Set.of(Lane.WATCHPOINTS, Lane.SCHEDULER), Set.of(), ""),
                -1);
        assertEquals(where(e -> e.lane() == Lane.WATCHPOINTS || e.lane() == Lane.SCHEDULER),
                q.events(run, twoLanes, 0, twoLanes.size()));

        EventRefs kind = q.matching(run, new EventFilter(Set.of(), Set.of("nr_dispatched_1"), ""), -1);
        assertEquals(where(e -> e.kind().equals("nr_dispatched_1")).size(), kind.size());

        EventRefs text = q.matching(run, new EventFilter(Set.of(), Set.of(), "cpu3"), -1);
        List<RunEvent> cpu3 = where(e -> e.text().endsWith(" cpu3"));
        assertEquals(cpu3, q.events(run, text, 0, text.size()));
        assertEquals(cpu3.size(), archive.runs().search(run, "cpu3", CONSOLE, 1_000_000).size());

        EventRefs later = q.matching(run, new EventFilter(Set.of(Lane.WATCHPOINTS), Set.of("hit"), ""), 20_000);
        assertEquals(expected.stream().filter(e -> e.seq() > 20_000).count(), later.size());
        EventRefs joined = q.matching(run, new EventFilter(Set.of(Lane.WATCHPOINTS), Set.of("hit"), ""), -1);
        int split = joined.indexAtOrBefore(20_000) + 1;
        assertEquals(joined.seq(split), later.seq(0));
        assertEquals(q.events(run, joined, split, joined.size()), q.events(run, later, 0, later.size()));
        assertEquals(-1, hits.indexAtOrBefore(expected.getFirst().seq() - 1));
        assertThrows(IllegalArgumentException.class, () -> later.append(hits));
    }

    @Test
    void aLiveRunIsCaughtUpOnEveryCall() {
        long live = TestRuns.createRun(archive, "scx_simple", Instant.parse("2026-10-02T08:00:00Z"));
        EventQueries q = archive.events();
        try (EventIngest ingest = archive.startIngest(live, new EventIngest.Options(4096, 100, 0))) {
            List<RunEvent> first = new ArrayList<>();
            for (int i = 0; i < 250; i++) first.add(RunEvent.of(i, i * 10L, Lane.CONSOLE, "line", "line " + i));
            first.forEach(ingest::append);
            ingest.flush();
            assertEquals(250, q.count(live));
            assertEquals(first.subList(200, 250), q.bySeq(live, 200, 400));
            for (int i = 250; i < 260; i++) ingest.append(RunEvent.of(i, i * 10L, Lane.SCHEDULER, "stderr", "e" + i));
            ingest.flush();
            assertEquals(260, q.count(live));
            assertEquals(259, q.lastSeq(live));
            assertEquals(10, q.after(live, Set.of(Lane.SCHEDULER), 0, 100).events().size());
        }
    }

    @Test
    void aDeletedRunReadsAsEmpty() {
        EventQueries q = archive.events();
        assertEquals(30_000, q.count(run));
        archive.deleteRun(run);
        assertEquals(0, q.count(run));
    }
}
