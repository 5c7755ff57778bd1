package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimelineQueriesTest {
    Path dir;
    Archive archive;
    long run;
    long end;

    @BeforeAll
    void ingest() throws java.io.IOException {
        dir = java.nio.file.Files.createTempDirectory("timeline-test");
        archive = Archive.open(dir.resolve("t.db"));
        run = TestRuns.createRun(archive, "scx_qmap", Instant.now());
        List<RunEvent> events = TestRuns.events(30_000, 7);
        // small batches, so tiles are reopened across commits, and late events reach into stored tiles
        try (EventIngest ingest = archive.startIngest(run, new EventIngest.Options(128, 333))) {
            events.forEach(ingest::append);
        }
        end = events.stream().mapToLong(RunEvent::atNanos).max().orElseThrow() + 1;
    }

    @AfterAll
    void close() throws java.io.IOException {
        archive.close();
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void everyStoredLevelAgreesWithTheRawEvents() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        TimelineQueries timeline = archive.timeline();
        for (int level = Lod.MIN_LEVEL; level <= Lod.MAX_LEVEL; level += Lod.STEP) {
            for (int w = 0; w < 3; w++) {
                long from = w == 0 ? 0 : random.nextLong(end);
                long to = w == 0 ? end : from + 1 + random.nextLong(end - from);
                TimelineQueries.Viewport pyramid = timeline.atLevel(run, from, to, level, EnumSet.allOf(Lane.class));
                TimelineQueries.Viewport raw = timeline.fromEvents(run, from, to, level, EnumSet.allOf(Lane.class));
                assertTrue(pyramid.fromPyramid());
                assertSame(raw, pyramid, "level " + level + " window [" + from + ", " + to + ")");
            }
        }
    }

    @Test
    void theWholeRunCountsEveryEventOnce() {
        TimelineQueries.Viewport v = archive.timeline().viewport(run, 0, end, 1200);
        assertEquals(30_000, v.lanes().stream().mapToLong(TimelineQueries.LaneBuckets::total).sum());
        long samples = v.series().stream().mapToLong(s -> java.util.Arrays.stream(s.counts()).sum()).sum();
        assertEquals(v.lanes().stream().filter(l -> l.lane() == Lane.STATS).findFirst().orElseThrow().total(), samples);
    }

    @Test
    void aViewportGetsAboutTwoBucketsPerPixel() {
        TimelineQueries.Viewport v = archive.timeline().viewport(run, 0, end, 1000);
        long buckets = (end - 1 >> v.level()) + 1;
        assertTrue(buckets >= 500 && buckets <= 4000, "buckets " + buckets + " at level " + v.level());
        assertTrue(Lod.isStored(v.level()));
    }

    @Test
    void aWindowFinerThanThePyramidIsAggregatedFromEvents() {
        TimelineQueries.Viewport v = archive.timeline().viewport(run, end / 2, end / 2 + 50_000, 1000);
        assertFalse(v.fromPyramid());
        assertTrue(v.level() < Lod.MIN_LEVEL);
    }

    @Test
    void levelChoiceIsTheIdealOrTheNextCoarserStoredLevel() {
        assertEquals(Lod.MIN_LEVEL, Lod.chooseLevel(Lod.MIN_LEVEL));
        assertEquals(Lod.MIN_LEVEL + 2, Lod.chooseLevel(Lod.MIN_LEVEL + 1));
        assertEquals(Lod.MIN_LEVEL + 2, Lod.chooseLevel(Lod.MIN_LEVEL + 2));
        assertEquals(Lod.MAX_LEVEL, Lod.chooseLevel(63));
        assertEquals(5, Lod.chooseLevel(5));
        assertEquals(20, Lod.idealLevel(1L << 31, 1024));
    }

    private static void assertSame(TimelineQueries.Viewport raw, TimelineQueries.Viewport pyramid, String where) {
        assertEquals(raw.lanes().size(), pyramid.lanes().size(), where);
        for (int i = 0; i < raw.lanes().size(); i++) {
            assertEquals(raw.lanes().get(i).lane(), pyramid.lanes().get(i).lane(), where);
            assertArrayEquals(raw.lanes().get(i).bucketStartNs(), pyramid.lanes().get(i).bucketStartNs(), where);
            assertArrayEquals(raw.lanes().get(i).counts(), pyramid.lanes().get(i).counts(), where);
        }
        assertEquals(raw.series().size(), pyramid.series().size(), where);
        for (int i = 0; i < raw.series().size(); i++) {
            TimelineQueries.SeriesBuckets r = raw.series().get(i);
            TimelineQueries.SeriesBuckets p = pyramid.series().get(i);
            assertEquals(r.kind(), p.kind(), where);
            assertArrayEquals(r.bucketStartNs(), p.bucketStartNs(), where);
            assertArrayEquals(r.counts(), p.counts(), where);
            assertArrayEquals(r.min(), p.min(), where);
            assertArrayEquals(r.max(), p.max(), where);
            assertArrayEquals(r.last(), p.last(), where);
        }
    }
}
