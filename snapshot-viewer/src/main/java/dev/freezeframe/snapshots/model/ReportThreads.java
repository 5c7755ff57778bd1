package dev.freezeframe.snapshots.model;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Two daemon threads shared by everything that reads report text: the two snapshots of a diff are read at once, and a
 * diff parses its two sides' differing entries at once. Two, not one per core: a diff has two sides, and the common
 * pool has a single thread on a 2-core machine (it would read the two snapshots one after the other).
 */
public final class ReportThreads {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "report-reader-" + NEXT.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private ReportThreads() {
    }

    /** The shared pool (bounded: two threads, tasks beyond them wait in its queue). */
    public static Executor pool() {
        return POOL;
    }

    /**
     * {@code other} on {@code pool} while {@code here} runs on the calling thread; both results. When no pool thread
     * has taken {@code other} by the time {@code here} is done, the caller runs it itself, so a caller that is itself a
     * pool thread (or a busy pool) never waits on a task nobody runs.
     */
    static <A, B> Both<A, B> both(Executor pool, Supplier<A> here, Supplier<B> other) {
        FutureTask<B> task = new FutureTask<>(other::get);
        pool.execute(task);
        A a = here.get();
        task.run(); // no-op when a pool thread has started (or finished) it
        try {
            return new Both<>(a, task.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a report", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Two results of {@link #both}. */
    record Both<A, B>(A here, B other) {
    }
}
