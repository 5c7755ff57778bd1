package dev.freezeframe.app.ui.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchiveException;
import dev.freezeframe.persistence.RunDetail;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.persistence.TimelineQueries;
import dev.freezeframe.timeline.BucketAggregate;
import dev.freezeframe.app.ui.fork.ForkBranches;
import dev.freezeframe.timeline.TimelineItems;
import dev.freezeframe.timeline.TimelineSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A run's timeline read from the archive, for archived and live runs alike (a live run's ingest commits within about
 * 25 ms and keeps the pyramid current, so the view just refreshes). An archive connection is single-threaded, so each
 * calling thread opens its own; {@link #close()} closes them all once the view is disposed.
 */
public final class ArchiveTimelineSource implements TimelineSource, AutoCloseable {
    /** More lifecycle, step or watch events than this in one run are not drawn one by one. */
    static final int ITEM_LIMIT = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path archivePath;
    private final long runId;
    private final ThreadLocal<Archive> perThread;
    private final ConcurrentLinkedQueue<Archive> opened = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private long version;
    private String lastState = "";
    private volatile long endNs;
    private volatile boolean live;
    private volatile boolean closed;

    public ArchiveTimelineSource(Path archivePath, long runId) {
        this.archivePath = Objects.requireNonNull(archivePath, "archivePath");
        this.runId = runId;
        this.perThread = ThreadLocal.withInitial(() -> {
            if (closed) throw new ArchiveException("The timeline of run " + runId + " was closed.");
            Archive a = Archive.open(this.archivePath);
            opened.add(a);
            return a;
        });
    }

    private Archive archive() {
        return perThread.get();
    }

    @Override
    public long refresh() {
        RunDetail d = archive().runs().detail(runId).orElseThrow(() -> new ArchiveException(
                "Run " + runId + " is not in the archive " + archivePath + " any more (deleted?)."));
        long end = d.lastEventNs().orElse(0L);
        end = Math.max(end, d.run().durationMs().orElse(0L) * 1_000_000L);
        boolean recording = d.run().recording() && d.run().endedAt().isEmpty();
        // A fork started from this run adds a branch without adding an event. Only an ended run can be forked, so a
        // run still recording (polled ten times a second) does not read the archive's fork links each time.
        int forks = recording ? -1 : ForkBranches.of(archive().forkLinks(), runId).size();
        String state = d.eventCount() + "/" + d.snapshotCount() + "/" + end + "/" + recording + "/" + forks;
        synchronized (lock) {
            if (!state.equals(lastState)) {
                lastState = state;
                version++;
                endNs = Math.max(1, end);
                live = recording;
            }
            return version;
        }
    }

    @Override
    public long endNs() {
        return endNs;
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public TimelineItems items() {
        Archive a = archive();
        long end = endNs;
        List<TimelineItems.Point> lifecycle = points(a, Lane.LIFECYCLE);
        List<TimelineItems.StepStart> stepStarts = new ArrayList<>();
        for (RunEvent e : a.runs().events(runId, Lane.STEPS, 0, Long.MAX_VALUE, ITEM_LIMIT)) {
            if (!e.kind().equals("step")) continue; // an exec's exit shares the lane; it starts no step
            int index = e.value() == null ? stepStarts.size() : (int) e.value().doubleValue();
            stepStarts.add(new TimelineItems.StepStart(e.atNanos(), index, e.text()));
        }
        List<TimelineItems.WatchHit> hits = new ArrayList<>();
        Map<String, Integer> slotOfTag = new HashMap<>();
        for (RunEvent e : a.runs().events(runId, Lane.WATCHPOINTS, 0, Long.MAX_VALUE, ITEM_LIMIT)) {
            if (!e.kind().equals("hit")) continue;
            JsonNode detail = parse(e.detailJson());
            int slot = detail.path("slot").asInt(0);
            if (slot < 1) continue;
            hits.add(new TimelineItems.WatchHit(e.seq(), e.atNanos(), slot, e.text()));
            if (detail.hasNonNull("tag")) slotOfTag.put(detail.get("tag").asText(), slot);
        }
        List<TimelineItems.SnapshotMark> snaps = new ArrayList<>();
        for (SnapshotInfo s : a.runs().snapshots(runId)) {
            int slot = s.kind() == SnapshotKind.WATCH ? slotOfTag.getOrDefault(s.tag(), 0) : 0;
            snaps.add(new TimelineItems.SnapshotMark(s.id(), s.tag(), s.kind(), s.atNanos(), s.placeholder(), slot));
        }
        return new TimelineItems(TimelineItems.stepsFromStarts(stepStarts, end), lifecycle, snaps, hits,
                TimelineItems.frozenSpans(lifecycle, end), seriesKinds(a, end), ForkBranches.of(a.forkLinks(), runId));
    }

    private List<TimelineItems.Point> points(Archive a, Lane lane) {
        List<TimelineItems.Point> out = new ArrayList<>();
        for (RunEvent e : a.runs().events(runId, lane, 0, Long.MAX_VALUE, ITEM_LIMIT)) {
            out.add(new TimelineItems.Point(e.seq(), e.atNanos(), e.kind(), e.text(), e.detailJson()));
        }
        return out;
    }

    /** The STATS kinds, from the whole run at a coarse level (one pyramid read of a few tiles). */
    private List<String> seriesKinds(Archive a, long end) {
        long span = Math.max(end, 1);
        int ideal = 63 - Long.numberOfLeadingZeros(Math.max(1, span / 256));
        int level = TimelineQueries.answerLevel(Math.max(ideal, 30));
        List<String> kinds = new ArrayList<>();
        for (TimelineQueries.SeriesBuckets s : a.timeline().atLevel(runId, 0, span, level, Set.of(Lane.STATS)).series()) {
            if (s.lane() == Lane.STATS && !kinds.contains(s.kind())) kinds.add(s.kind());
        }
        kinds.sort(String::compareTo);
        return kinds;
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isBlank()) return JSON.createObjectNode();
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public int answerLevel(int idealLevel) {
        return TimelineQueries.answerLevel(Math.max(0, idealLevel));
    }

    @Override
    public BucketAggregate buckets(Set<Lane> lanes, int level, long fromNs, long toNs) {
        TimelineQueries.Viewport v = archive().timeline().atLevel(runId, fromNs, toNs, level, lanes);
        List<BucketAggregate.LaneCounts> counts = new ArrayList<>();
        for (TimelineQueries.LaneBuckets b : v.lanes()) {
            if (b.lane() == Lane.STATS) continue;
            counts.add(new BucketAggregate.LaneCounts(b.lane(), b.bucketStartNs(), b.counts()));
        }
        List<BucketAggregate.SeriesBuckets> series = new ArrayList<>();
        for (TimelineQueries.SeriesBuckets s : v.series()) {
            if (s.lane() != Lane.STATS) continue;
            series.add(new BucketAggregate.SeriesBuckets(s.kind(), s.bucketStartNs(), s.counts(), s.min(), s.max(),
                    s.last()));
        }
        return new BucketAggregate(v.level(), counts, series);
    }

    /** Closes every connection the source opened. Call after the view using it is disposed. */
    @Override
    public void close() {
        closed = true;
        Archive a;
        while ((a = opened.poll()) != null) a.close();
    }
}
