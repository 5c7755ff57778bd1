package dev.freezeframe.coordinator.live;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.watch.WatchSpec;
import dev.freezeframe.vmm.WatchKind;
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

    /** The refusal of {@link #captureForkable()} on a run that keeps no VM state. */
    String NOT_FORKABLE = "This run keeps no VM state: only a run started with forkable snapshots (--forkable) can"
            + " capture a forkable one.";

    /** Whether every snapshot of this run also keeps the whole VM state, so a run can be forked from it. */
    default boolean forkable() {
        return false;
    }

    /**
     * Captures now, keeping the whole VM state with the snapshot so a run can later be forked from it; refused (with
     * {@link #NOT_FORKABLE}) when the run was not started forkable. Completes with the snapshot's tag.
     */
    default CompletableFuture<String> captureForkable() {
        if (!forkable()) return CompletableFuture.failedFuture(new CoordinatorException(NOT_FORKABLE));
        return captureNow();
    }

    /** Arms a watch ({@code SYMBOL[+OFF][:SIZE][:KIND][@LABEL]} or {@code 0xADDR[:SIZE][:KIND][@LABEL]}) in the
     * lowest free user slot; completes with "armed slot N: ...". */
    CompletableFuture<String> arm(String watchSpec);

    /**
     * Arms a write watch on a kernel address under a label (a BPF map value's field: its entry's value address from the
     * snapshot report plus the field's byte offset, labelled {@code scx_qmap.bss:nr_enqueued}), with the same refusals as
     * {@link #arm(String)}: a bad size or label, the kernel's code, not a kernel address, misaligned, a fourth watch.
     */
    default CompletableFuture<String> watchAddress(long address, int size, String label) {
        try {
            return arm(WatchSpec.ofAddress(address, size, WatchKind.WRITE, label).text());
        } catch (CoordinatorException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sets whether a hit of user slot 1..3 keeps the guest frozen on the hit's snapshot until {@link #resume()}
     * ({@code stay}) or lets it run on; completes with "slot N: ... stays frozen on a hit until resumed".
     */
    CompletableFuture<String> setStayFrozen(int slot, boolean stay);

    /**
     * Runs the guest until the next hit of any armed user slot and keeps it frozen there, once (F9): resumes a frozen
     * guest; a running one simply stops at that hit. Refused when no watch is armed. Completes with "Running until the
     * next hit of slot N (…)".
     */
    CompletableFuture<String> runToNextHit();

    /**
     * The guest kernel's symbol table: completes once the guest has sent it (shortly after SYS_RDY), or exceptionally
     * when the run ended without it.
     */
    CompletableFuture<KernelSymbolTable> kernelSymbols();

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
