package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.SnapshotKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exact items of a run — few enough (tens of thousands at most) to load whole and draw one by one. Every list is
 * in time order.
 *
 * @param seriesKinds the kinds of the STATS lane, one series lane each
 * @param branches    where forks left this run, and where this run came from when it is a fork
 */
public record TimelineItems(List<Step> steps, List<Point> lifecycle, List<SnapshotMark> snapshots,
                            List<WatchHit> watchHits, List<FrozenSpan> frozen, List<String> seriesKinds,
                            List<Branch> branches) {
    public static final TimelineItems EMPTY =
            new TimelineItems(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** A run with no forks. */
    public TimelineItems(List<Step> steps, List<Point> lifecycle, List<SnapshotMark> snapshots,
                         List<WatchHit> watchHits, List<FrozenSpan> frozen, List<String> seriesKinds) {
        this(steps, lifecycle, snapshots, watchHits, frozen, seriesKinds, List.of());
    }

    public TimelineItems {
        steps = sorted(steps, Comparator.comparingLong(Step::startNs));
        lifecycle = sorted(lifecycle, Comparator.comparingLong(Point::atNs));
        snapshots = sorted(snapshots, Comparator.comparingLong(SnapshotMark::atNs));
        watchHits = sorted(watchHits, Comparator.comparingLong(WatchHit::atNs));
        frozen = sorted(frozen, Comparator.comparingLong(FrozenSpan::fromNs));
        seriesKinds = List.copyOf(seriesKinds);
        branches = sorted(branches, Comparator.comparingLong(Branch::atNs));
    }

    /** The same items with {@code forks} as the branches. */
    public TimelineItems withBranches(List<Branch> forks) {
        return new TimelineItems(steps, lifecycle, snapshots, watchHits, frozen, seriesKinds, forks);
    }

    /**
     * A branch of the run tree drawn on this run's timeline: a fork that left this run at {@code atNs}
     * ({@code origin} false), or, at the start of a fork, the run it came from ({@code origin} true).
     *
     * @param runId the run a click opens: the fork, or the parent for an origin
     * @param label what the hover and the choice menu say ("fork #14 from periodic_000")
     */
    public record Branch(long atNs, long runId, String label, boolean origin) {
        public Branch {
            Objects.requireNonNull(label, "label");
        }
    }

    /** A scenario step: from its start to the next step's start (or the run's end). */
    public record Step(int index, String name, long startNs, long endNs) {
        public Step {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A lifecycle event (boot, SYS_RDY, attach, exit, frozen, resumed, verdict ...). */
    public record Point(long seq, long atNs, String kind, String text, String detailJson) {
        public Point {
            Objects.requireNonNull(kind, "kind");
            text = text == null ? "" : text;
        }
    }

    /**
     * A stored snapshot.
     *
     * @param id   the archive's snapshot id
     * @param slot the watch slot (1..3) of a watch capture, 0 otherwise
     */
    public record SnapshotMark(long id, String tag, SnapshotKind kind, long atNs, boolean placeholder, int slot) {
        public SnapshotMark {
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** A watchpoint hit of one slot (1..3). */
    public record WatchHit(long seq, long atNs, int slot, String text) {
        public WatchHit {
            text = text == null ? "" : text;
        }
    }

    /**
     * A span the user's freeze held the guest; {@code open} while it is still frozen (then {@code toNs} is the run's
     * known end). {@code guestClockPaused} is false when the backend could not pause guest time.
     */
    public record FrozenSpan(long fromNs, long toNs, boolean open, boolean guestClockPaused) {
        public long durationNs() {
            return toNs - fromNs;
        }
    }

    /**
     * A step's start as the engine numbers it (0 a baseline phase before the first step, 1..N the scenario's steps), so
     * the lane reads as the toolbar, the snapshot list and {@code runs show} do.
     */
    public record StepStart(long atNs, int index, String name) {
        public StepStart {
            name = name == null ? "" : name;
        }
    }

    /** Steps from their start events: each lasts until the next one starts, the last until {@code endNs}. */
    public static List<Step> stepsFromStarts(List<StepStart> starts, long endNs) {
        List<StepStart> s = sorted(starts, Comparator.comparingLong(StepStart::atNs));
        List<Step> steps = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            long end = i + 1 < s.size() ? s.get(i + 1).atNs() : Math.max(endNs, s.get(i).atNs());
            steps.add(new Step(s.get(i).index(), s.get(i).name(), s.get(i).atNs(), end));
        }
        return steps;
    }

    private static final Pattern CLOCK = Pattern.compile("\"guest_clock\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern FROZEN_AT = Pattern.compile("\"frozen_at_ns\"\\s*:\\s*(\\d+)");

    /**
     * Frozen spans from the lifecycle lane's {@code frozen} / {@code resumed} events: a span opens at {@code frozen}
     * and closes at the next {@code resumed} (whose {@code frozen_at_ns} names its start); one left open runs to
     * {@code endNs}.
     */
    public static List<FrozenSpan> frozenSpans(List<Point> lifecycle, long endNs) {
        List<FrozenSpan> spans = new ArrayList<>();
        Point open = null;
        for (Point p : sorted(lifecycle, Comparator.comparingLong(Point::atNs))) {
            if (p.kind().equals("frozen")) {
                if (open == null) open = p;
            } else if (p.kind().equals("resumed")) {
                long from = open != null ? open.atNs() : longField(FROZEN_AT, p.detailJson(), p.atNs());
                spans.add(new FrozenSpan(from, Math.max(from, p.atNs()), false, clockPaused(p, open)));
                open = null;
            }
        }
        if (open != null) spans.add(new FrozenSpan(open.atNs(), Math.max(open.atNs(), endNs), true,
                clockPaused(open, null)));
        return spans;
    }

    private static boolean clockPaused(Point p, Point other) {
        String clock = field(CLOCK, p.detailJson());
        if (clock == null && other != null) clock = field(CLOCK, other.detailJson());
        return clock == null || clock.equals("paused");
    }

    private static String field(Pattern pattern, String json) {
        if (json == null) return null;
        Matcher m = pattern.matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static long longField(Pattern pattern, String json, long otherwise) {
        String v = field(pattern, json);
        return v == null ? otherwise : Long.parseLong(v);
    }

    private static <T> List<T> sorted(List<T> list, Comparator<T> by) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(by);
        return List.copyOf(copy);
    }
}
