package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link TimelineSource} for tests: dense events as sorted time arrays per lane (and values per stats
 * kind), exact items as given. Like the archive, levels at and above {@link #STORED_FROM} exist only every second
 * level. {@link #hold()} holds every bucket fetch to test drawing while tiles load.
 */
final class MemorySource implements TimelineSource {
    static final int STORED_FROM = 16;

    private final Map<Lane, long[]> times = new EnumMap<>(Lane.class);
    private final Map<String, long[]> seriesTimes = new TreeMap<>();
    private final Map<String, double[]> seriesValues = new TreeMap<>();
    private volatile TimelineItems items = TimelineItems.EMPTY;
    private volatile long end;
    private volatile long version;
    private volatile long published;
    private volatile boolean live;
    private volatile CountDownLatch held;
    final AtomicInteger fetches = new AtomicInteger();

    MemorySource(long endNs) {
        this.end = endNs;
    }

    synchronized MemorySource lane(Lane lane, long[] at) {
        long[] copy = at.clone();
        Arrays.sort(copy);
        times.put(lane, copy);
        version++;
        return this;
    }

    synchronized MemorySource series(String kind, long[] at, double[] values) {
        seriesTimes.put(kind, at.clone());
        seriesValues.put(kind, values.clone());
        version++;
        return this;
    }

    synchronized MemorySource items(TimelineItems it) {
        items = it;
        version++;
        return this;
    }

    /** Holds every bucket fetch until {@link #release()}. */
    void hold() {
        held = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = held;
        held = null;
        if (h != null) h.countDown();
    }

    synchronized MemorySource live(boolean on) {
        live = on;
        return this;
    }

    /** A live run grew: new end, same events (tests add lanes with {@link #lane} first). */
    synchronized void grow(long newEnd) {
        end = newEnd;
        version++;
    }

    long[] times(Lane lane) {
        return times.getOrDefault(lane, new long[0]);
    }

    /** Events of {@code lane} in {@code [from, to)} that exist by the run's end. */
    long count(Lane lane, long from, long to) {
        long[] t = times(lane);
        to = Math.min(to, end);
        return lowerBound(t, to) - lowerBound(t, from);
    }

    @Override
    public synchronized long refresh() {
        published = version;
        return published;
    }

    @Override
    public long endNs() {
        return end;
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public TimelineItems items() {
        TimelineItems it = items;
        List<String> kinds = new ArrayList<>(seriesTimes.keySet());
        return new TimelineItems(it.steps(), it.lifecycle(), it.snapshots(), it.watchHits(),
                TimelineItems.frozenSpans(it.lifecycle(), end), kinds, it.branches());
    }

    @Override
    public int answerLevel(int idealLevel) {
        if (idealLevel < STORED_FROM) return Math.max(0, idealLevel);
        return STORED_FROM + ((idealLevel - STORED_FROM + 1) / 2) * 2;
    }

    @Override
    public BucketAggregate buckets(Set<Lane> lanes, int level, long fromNs, long requestedTo) {
        // like a live archive: nothing past the run's end exists yet
        long toNs = Math.min(requestedTo, end);
        CountDownLatch h = held;
        try {
            if (h != null && !h.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("fetch held too long");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        {
            fetches.incrementAndGet();
            List<BucketAggregate.LaneCounts> out = new ArrayList<>();
            for (Lane lane : lanes) {
                if (lane == Lane.STATS) continue;
                long[] t = times(lane);
                TreeMap<Long, long[]> counts = new TreeMap<>();
                for (int i = lowerBound(t, fromNs); i < t.length && t[i] < toNs; i++) {
                    counts.computeIfAbsent((t[i] >> level) << level, b -> new long[1])[0]++;
                }
                if (counts.isEmpty()) continue;
                long[] starts = counts.keySet().stream().mapToLong(Long::longValue).toArray();
                long[] n = counts.values().stream().mapToLong(a -> a[0]).toArray();
                out.add(new BucketAggregate.LaneCounts(lane, starts, n));
            }
            List<BucketAggregate.SeriesBuckets> series = new ArrayList<>();
            if (lanes.contains(Lane.STATS)) {
                for (String kind : seriesTimes.keySet()) {
                    long[] t = seriesTimes.get(kind);
                    double[] v = seriesValues.get(kind);
                    TreeMap<Long, double[]> agg = new TreeMap<>();
                    for (int i = 0; i < t.length; i++) {
                        if (t[i] < fromNs || t[i] >= toNs) continue;
                        double[] a = agg.computeIfAbsent((t[i] >> level) << level,
                                b -> new double[] {0, Double.MAX_VALUE, -Double.MAX_VALUE, 0});
                        a[0]++;
                        a[1] = Math.min(a[1], v[i]);
                        a[2] = Math.max(a[2], v[i]);
                        a[3] = v[i];
                    }
                    if (agg.isEmpty()) continue;
                    int n = agg.size();
                    long[] starts = new long[n];
                    long[] cnt = new long[n];
                    double[] mn = new double[n];
                    double[] mx = new double[n];
                    double[] ls = new double[n];
                    int i = 0;
                    for (Map.Entry<Long, double[]> e : agg.entrySet()) {
                        starts[i] = e.getKey();
                        cnt[i] = (long) e.getValue()[0];
                        mn[i] = e.getValue()[1];
                        mx[i] = e.getValue()[2];
                        ls[i] = e.getValue()[3];
                        i++;
                    }
                    series.add(new BucketAggregate.SeriesBuckets(kind, starts, cnt, mn, mx, ls));
                }
            }
            return new BucketAggregate(level, out, series);
        }
    }

    static int lowerBound(long[] a, long key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
