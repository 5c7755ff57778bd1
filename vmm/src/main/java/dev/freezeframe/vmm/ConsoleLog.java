package dev.freezeframe.vmm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend-independent {@link Console}: backends {@link #append} lines from their reader thread and {@link #end} it
 * once; readers subscribe or query. Delivery happens under the log's lock so that a subscriber's replay and the live
 * lines form one ordered sequence.
 */
public final class ConsoleLog implements Console {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleLog.class);
    /** A chatty guest must not exhaust the heap; subscribers still see every line live. */
    public static final int DEFAULT_HISTORY_LINES = 200_000;

    private final int historyLimit;
    private final long launchNanos;
    private final ArrayDeque<ConsoleLine> history = new ArrayDeque<>();
    private final List<Consumer<ConsoleLine>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private long nextIndex;
    private long dropped;

    /** @param launchNanos {@link System#nanoTime()} when the VMM was launched; line times count from it */
    public ConsoleLog(long launchNanos) {
        this(launchNanos, DEFAULT_HISTORY_LINES);
    }

    public ConsoleLog(long launchNanos, int historyLimit) {
        if (historyLimit < 1) {
            throw new IllegalArgumentException("historyLimit " + historyLimit);
        }
        this.launchNanos = launchNanos;
        this.historyLimit = historyLimit;
    }

    /** Adds one line (backend side). Ignored after {@link #end()}. */
    public synchronized void append(String text, boolean complete) {
        if (ended.isDone()) {
            return;
        }
        ConsoleLine line = new ConsoleLine(nextIndex++, System.nanoTime() - launchNanos, text, complete);
        if (history.size() == historyLimit) {
            history.removeFirst();
            dropped++;
        }
        history.addLast(line);
        for (Consumer<ConsoleLine> listener : listeners) {
            deliver(listener, line);
        }
        notifyAll();
    }

    /** Marks the stream ended (backend side); idempotent. */
    public synchronized void end() {
        ended.complete(null);
        notifyAll();
    }

    @Override
    public synchronized Subscription subscribe(Consumer<ConsoleLine> listener) {
        for (ConsoleLine line : history) {
            deliver(listener, line);
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized List<ConsoleLine> lines() {
        return List.copyOf(history);
    }

    @Override
    public synchronized long droppedFromHistory() {
        return dropped;
    }

    @Override
    public CompletableFuture<Void> ended() {
        return ended.copy();
    }

    @Override
    public synchronized Optional<ConsoleLine> awaitLine(Predicate<String> predicate, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long scannedUpTo = -1;
        while (true) {
            for (ConsoleLine line : linesAfter(scannedUpTo)) {
                scannedUpTo = line.index();
                if (predicate.test(line.text())) {
                    return Optional.of(line);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended.isDone() || left <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Kept lines with an index above {@code index}, oldest first; walks from the newest end so waits stay cheap. */
    private List<ConsoleLine> linesAfter(long index) {
        List<ConsoleLine> fresh = new ArrayList<>();
        for (Iterator<ConsoleLine> it = history.descendingIterator(); it.hasNext(); ) {
            ConsoleLine line = it.next();
            if (line.index() <= index) {
                break;
            }
            fresh.add(line);
        }
        return fresh.reversed();
    }

    /** A listener that throws must not stop the console for everyone else. */
    private static void deliver(Consumer<ConsoleLine> listener, ConsoleLine line) {
        try {
            listener.accept(line);
        } catch (RuntimeException e) {
            LOG.warn("A console listener failed on line {}; it keeps receiving lines", line.index(), e);
        }
    }
}
