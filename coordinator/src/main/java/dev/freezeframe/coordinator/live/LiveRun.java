package dev.freezeframe.coordinator.live;

import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One run in progress, as a window drives it. Controls answer asynchronously: a future completes with a sentence for
 * the user once the engine has done it, or exceptionally with a {@link dev.freezeframe.coordinator.CoordinatorException}
 * whose message is the engine's own refusal ("the guest has not reached SYS_RDY", "the run has ended", a watch
 * refusal). Listeners are called on engine threads and must hand work off quickly (the UI posts to its own thread).
 */
public interface LiveRun {

    /** The run's id in the archive it is recorded into. */
    long runId();

    RunConfig config();

    /** The state now; never null. */
    LiveRunState state();

    /** Called after every change of {@link #state()} (at most a few times per second while nothing happens). */
    Subscription onState(Consumer<LiveRunState> listener);

    /** Called with each batch of events as the run records them, in seq order; events before subscribing are in the
     * archive. */
    Subscription onEvents(Consumer<List<RunEvent>> listener);

    /** Stops every vCPU and holds the guest until {@link #resume()}; a {@code freeze_NNN} snapshot is captured. */
    CompletableFuture<String> freeze();

    /** Lets a frozen guest run on. */
    CompletableFuture<String> resume();

    /** Freezes briefly, captures a snapshot (tag {@code manual_NNN}), resumes; completes with the tag. */
    CompletableFuture<String> captureNow();

    /** Arms a watch ({@code SYMBOL[+OFF][:SIZE][:KIND]}) in the lowest free user slot; completes with
     * "armed slot N: ...". */
    CompletableFuture<String> arm(String watchSpec);

    /** Disarms user slot 1..3; completes with "disarmed slot N: ...". */
    CompletableFuture<String> disarm(int slot);

    /** Ends the run with the verdict {@code inconclusive} and the reason given; what was recorded is kept. */
    void stop(String reason);

    /** Completes when the run has ended and its verdict is archived. */
    CompletableFuture<LiveRunState> finished();

    /** A registration that can be cancelled. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
