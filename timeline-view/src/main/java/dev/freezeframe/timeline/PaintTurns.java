package dev.freezeframe.timeline;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hands the FX pulses out to the live views' heavy updates, one update per pulse.
 *
 * <p>A followed live run moves the timeline, the console, the events table and the toolbar about ten times a second
 * each. Each of those repaints costs the software renderer 15–30 ms; when two or three of them land in the same pulse
 * that frame takes 40–70 ms, which is what a user sees as a stutter. Queued here, they are spread over consecutive
 * pulses (a 60 Hz pulse has room for all of them) and none waits more than a few pulses.
 *
 * <p>One asker ({@code key}) holds at most one place: asking again before its turn replaces its work but keeps its
 * place, so a view that asks faster than it is served still gets its newest state drawn, once.
 */
public final class PaintTurns {

    private static final PaintTurns SHARED = new PaintTurns();

    /** One timer for every live view: it only hands a delayed request on to the FX thread. */
    private static final ScheduledExecutorService DELAYS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "paint-turn-delays");
        t.setDaemon(true);
        return t;
    });

    private final Queue queue = new Queue();
    private final AnimationTimer server = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (!queue.serveOne()) stop();
        }
    };

    private PaintTurns() {
    }

    /** The FX thread's one instance. */
    public static PaintTurns shared() {
        return SHARED;
    }

    /** FX thread: runs {@code work} on a coming pulse, after the askers already waiting. */
    public void request(Object key, Runnable work) {
        if (queue.offer(key, work)) server.start();
    }

    /** Any thread: {@link #request} once {@code delayNs} have passed (at once when it is not positive). */
    public void requestAfter(long delayNs, Object key, Runnable work) {
        after(delayNs, () -> Platform.runLater(() -> request(key, work)));
    }

    /**
     * Any thread: runs {@code handOver} on the shared delay thread once {@code delayNs} have passed (at once, on the
     * caller's thread, when it is not positive). It must only hand work on (e.g. to the FX thread), never do it.
     */
    public static void after(long delayNs, Runnable handOver) {
        if (delayNs <= 0) handOver.run();
        else DELAYS.schedule(handOver, delayNs, TimeUnit.NANOSECONDS);
    }

    /** FX thread: forgets {@code key}'s waiting work (a view that closes). */
    public void cancel(Object key) {
        queue.cancel(key);
    }

    /** FX thread: how many askers wait for a turn. */
    public int waiting() {
        return queue.size();
    }

    /** The first-come, one-place-per-asker order, apart from the pulses that serve it. */
    static final class Queue {
        private final Map<Object, Runnable> waiting = new LinkedHashMap<>();

        /** Queues or replaces {@code key}'s work; whether the queue was empty before. */
        boolean offer(Object key, Runnable work) {
            boolean wasEmpty = waiting.isEmpty();
            waiting.put(key, work); // a key already waiting keeps its place (LinkedHashMap insertion order)
            return wasEmpty;
        }

        /** Runs the longest-waiting work; false when there was none. */
        boolean serveOne() {
            Iterator<Map.Entry<Object, Runnable>> it = waiting.entrySet().iterator();
            if (!it.hasNext()) return false;
            Runnable work = it.next().getValue();
            it.remove();
            work.run();
            return true;
        }

        void cancel(Object key) {
            waiting.remove(key);
        }

        int size() {
            return waiting.size();
        }
    }
}
