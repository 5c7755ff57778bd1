package dev.freezeframe.timeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Dense-lane tiles: an LRU cache (about {@link #BUDGET_BYTES}) filled by a two-thread platform pool (SQLite calls are
 * native and would pin virtual threads). The newest request wins: fetches the newest window no longer needs are
 * cancelled, and a tile only asks for a repaint when the newest window needs it. Thread-safe.
 */
final class TileStore implements AutoCloseable {
    static final long BUDGET_BYTES = 32L << 20;

    private final TimelineSource source;
    private final Runnable repaint;
    private final Consumer<String> onError;
    private final ExecutorService pool;
    private final LinkedHashMap<TileKey, Tile> cache = new LinkedHashMap<>(256, 0.75f, true);
    private final Set<TileKey> stale = new HashSet<>();
    private final Set<TileKey> failed = ConcurrentHashMap.newKeySet();
    private final Set<TileKey> pinned = ConcurrentHashMap.newKeySet();
    private final Map<TileKey, Future<?>> inFlight = new ConcurrentHashMap<>();
    private final AtomicReference<Set<TileKey>> wanted = new AtomicReference<>(Set.of());
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();
    private long bytes;
    private volatile long epoch;
    private volatile long knownEnd;

    TileStore(TimelineSource source, Runnable repaint, Consumer<String> onError) {
        this.source = source;
        this.repaint = repaint;
        this.onError = onError;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "timeline-tiles-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The extent the tiles are fetched against: a tile reaching past it is incomplete. */
    void setKnownEnd(long endNs) {
        knownEnd = endNs;
    }

    /** The cached tile, or null (a stale tile is still returned: it is drawn until its replacement arrives). */
    synchronized Tile get(TileKey key) {
        return cache.get(key);
    }

    /**
     * The tiles the newest window needs (in drawing priority order) plus ones to keep warm; fetches what is missing
     * or stale and cancels fetches that neither the newest window nor a pinned tile needs.
     */
    void request(List<TileKey> needed, Collection<TileKey> keepPinned) {
        pinned.addAll(keepPinned);
        Set<TileKey> want = new HashSet<>(needed);
        want.addAll(keepPinned);
        wanted.set(want);
        for (Iterator<Map.Entry<TileKey, Future<?>>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TileKey, Future<?>> e = it.next();
            if (!want.contains(e.getKey()) && e.getValue().cancel(false)) inFlight.remove(e.getKey(), e.getValue());
        }
        List<TileKey> order = new ArrayList<>(keepPinned);
        order.addAll(needed);
        for (TileKey k : order) {
            boolean present;
            synchronized (this) {
                present = cache.containsKey(k) && !stale.contains(k);
            }
            if (needed.contains(k)) {
                if (present) hits.incrementAndGet();
                else misses.incrementAndGet();
            }
            if (present || failed.contains(k) || inFlight.containsKey(k)) continue;
            fetch(k);
        }
    }

    private void fetch(TileKey k) {
        long end = knownEnd;
        Future<?>[] self = new Future<?>[1];
        synchronized (self) {
            self[0] = pool.submit(() -> {
                try {
                    BucketAggregate data = source.buckets(TimelineSource.DENSE_LANES, k.level(), k.fromNs(), k.toNs());
                    put(new Tile(k, data, k.toNs() <= end));
                } catch (RuntimeException e) {
                    failed.add(k);
                    onError.accept(e.getMessage() == null ? e.toString() : e.getMessage());
                } finally {
                    synchronized (self) {
                        inFlight.remove(k, self[0]);
                    }
                    if (wanted.get().contains(k) || inFlight.isEmpty()) repaint.run();
                }
            });
            inFlight.put(k, self[0]);
        }
    }

    private synchronized void put(Tile t) {
        Tile old = cache.put(t.key(), t);
        if (old != null) bytes -= old.bytes();
        bytes += t.bytes();
        stale.remove(t.key());
        epoch++;
        Iterator<Map.Entry<TileKey, Tile>> it = cache.entrySet().iterator();
        Set<TileKey> want = wanted.get();
        while (bytes > BUDGET_BYTES && it.hasNext()) {
            Map.Entry<TileKey, Tile> e = it.next();
            if (pinned.contains(e.getKey()) || want.contains(e.getKey())) continue;
            bytes -= e.getValue().bytes();
            stale.remove(e.getKey());
            it.remove();
        }
    }

    /** Grows whenever a tile is stored: columns built from the cache stay valid while it stands still. */
    long epoch() {
        return epoch;
    }

    /** New data arrived (live run, refresh): incomplete tiles are fetched again when next needed; failures retried. */
    synchronized void newData() {
        failed.clear();
        for (Tile t : cache.values()) if (!t.complete()) stale.add(t.key());
    }

    /** Forget pinned tiles (the overview moved to another level). */
    void unpin(Collection<TileKey> keys) {
        pinned.removeAll(keys);
    }

    int pending() {
        return inFlight.size();
    }

    int hits() {
        return hits.get();
    }

    int misses() {
        return misses.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
