package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.capture.CaptureRequest;
import dev.freezeframe.coordinator.live.LiveRefusals;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.wire.SnapshotStatus;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmmException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's freeze of a live run (the workbench's Freeze and Resume): holds every vCPU stopped from {@link #freeze()}
 * until {@link #resume()}, captures a snapshot tagged {@code freeze_NNN} from the hold, and records the span on the
 * run's stream as {@link RunInput.UserFrozen} (stamped when the vCPUs stopped) and {@link RunInput.UserResumed} (when
 * they were let go). While held the watchdog waits ({@link RunFold}) and periodic captures wait and shift by the time
 * held ({@link RunCaptures}): the guest's clock stood still.
 *
 * <p>Other stops join the hold rather than wait for it ({@link RunningVm#freeze()}): a capture, an arm or a disarm
 * while frozen works on the stopped guest, and the guest resumes only when the user lets go.
 *
 * <p>"Freeze when the scheduler is enabled" rides on the guest's own snapshot request: the run's first step starts
 * with a capture tagged {@link #ON_ENABLE_TAG}; the agent waits for the answer before it starts the workload, and the
 * answer comes once the hold is in place, so the workload starts only on resume.
 */
public final class UserHold {
    private static final Logger LOG = LoggerFactory.getLogger(UserHold.class);
    /** The tag of the guest request that starts a hold as the scheduler is enabled (see {@link #holdOnEnable}). */
    public static final String ON_ENABLE_TAG = "freeze_on_enable";
    /** Longest wait for the watches to be armed before the freeze on enable (arming stops the guest briefly). */
    private static final Duration ARM_WAIT = Duration.ofSeconds(60);
    private static final long POLL_MS = 50;

    private final RunLoop loop;
    private final RunCaptures captures;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private FrozenVm hold;
    private int next;
    // read without the lock by status readers
    private volatile long frozenSinceNs = -1;
    private volatile String tag = "";
    private volatile long heldBeforeNs;
    private volatile CompletableFuture<?> onEnable;

    UserHold(RunLoop loop, RunCaptures captures) {
        this.loop = loop;
        this.captures = captures;
    }

    /** {@code freeze_000}, {@code freeze_001}, ... */
    public static String tag(int index) {
        return String.format("freeze_%03d", index);
    }

    public boolean frozen() {
        return frozenSinceNs >= 0;
    }

    /** Run time the current hold began, or -1 when not frozen. */
    public long frozenSinceNs() {
        return frozenSinceNs;
    }

    /** The tag of the latest hold's snapshot, empty before the first. */
    public String lastTag() {
        return tag;
    }

    /** Time the user has held the guest over the whole run, the current hold included. */
    public long heldNanos() {
        long since = frozenSinceNs;
        return heldBeforeNs + (since >= 0 ? Math.max(0, loop.elapsedNanos() - since) : 0);
    }

    /**
     * Stops the guest, keeps it stopped and captures {@code freeze_NNN} from the stop.
     *
     * @return the snapshot captured (a placeholder with the reason when the capture failed; the guest stays frozen)
     * @throws CoordinatorException when the guest is frozen already, not up, or did not stop
     */
    public SnapshotRecord freeze() {
        lock.lock();
        try {
            if (hold != null) {
                throw new CoordinatorException(LiveRefusals.alreadyFrozen(tag));
            }
            RunningVm vm = captures.vm().orElseThrow(() -> new CoordinatorException(
                    "The guest is not up yet: there is nothing to freeze."));
            FrozenVm stop;
            try {
                stop = vm.freeze();
            } catch (VmmException e) {
                throw new CoordinatorException("The guest could not be frozen: " + e.getMessage(), e);
            }
            // the span begins when the vCPUs stopped, not when anyone looked
            long start = Math.max(0, loop.elapsedNanos() - stop.duration().toNanos());
            String current = tag(next++);
            hold = stop;
            tag = current;
            frozenSinceNs = start;
            loop.submit(new RunInput.UserFrozen(start, current));
            return captures.capture(stop, CaptureRequest.of(current, SnapshotKind.REQUESTED, start,
                    loop.status().currentStep()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps the guest stopped after a watch hit of a "stay frozen on hit" slot: called while the hit holds the stop, it
     * joins that stop ({@link RunningVm#freeze()} joins a held stop at once) as the user's hold, labelled with the hit's
     * snapshot tag rather than a fresh {@code freeze_NNN} (the hit's snapshot is the state to look at). The guest then
     * runs again only on {@link #resume()}.
     *
     * @throws CoordinatorException when the user holds the guest already, or it cannot be held
     */
    public void holdAfterHit(String hitTag) {
        lock.lock();
        try {
            if (hold != null) throw new CoordinatorException(LiveRefusals.alreadyFrozen(tag));
            RunningVm vm = captures.vm().orElseThrow(() -> new CoordinatorException("The guest is not up."));
            FrozenVm stop;
            try {
                stop = vm.freeze();
            } catch (VmmException e) {
                throw new CoordinatorException("The guest could not be held: " + e.getMessage(), e);
            }
            long start = loop.elapsedNanos();
            hold = stop;
            tag = hitTag;
            frozenSinceNs = start;
            loop.submit(new RunInput.UserFrozen(start, hitTag));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets the guest run on.
     *
     * @return how long it was held, in nanoseconds
     * @throws CoordinatorException when it is not frozen, or the VMM did not take the resume (the hold is over either
     *                              way: the handle is released)
     */
    public long resume() {
        lock.lock();
        try {
            if (hold == null) throw new CoordinatorException(LiveRefusals.notFrozen());
            FrozenVm releasing = hold;
            VmmException failed = null;
            try {
                releasing.close();
            } catch (VmmException e) {
                failed = e;
            }
            long end = loop.elapsedNanos();
            long start = frozenSinceNs;
            hold = null;
            heldBeforeNs += end - start;
            frozenSinceNs = -1;
            loop.submit(new RunInput.UserResumed(start, end, tag));
            if (failed != null) {
                throw new CoordinatorException("The VMM did not take the resume request (" + failed.getMessage()
                        + "); the guest may still be stopped.", failed);
            }
            return end - start;
        } finally {
            lock.unlock();
        }
    }

    /** Lets go of a hold still in place (the run is ending); records the span's end. Never throws. */
    public void release() {
        try {
            if (frozen()) resume();
        } catch (CoordinatorException e) {
            LOG.info("releasing the user's hold: {}", e.getMessage());
        }
    }

    /**
     * Freeze when the scheduler is enabled: the guest's request tagged {@link #ON_ENABLE_TAG} starts a hold once
     * {@code armedFirst} has completed (either way), so the error trigger and the configured watches are in place
     * before the guest stops and the user can arm more while it is stopped.
     */
    public void holdOnEnable(CompletableFuture<?> armedFirst) {
        onEnable = armedFirst;
    }

    /** The answer to the freeze-on-enable request; empty for any other request. Runs on the run's action thread. */
    Optional<SnapshotHandler.Answer> answer(WireMessage.SnapshotRequest request) {
        CompletableFuture<?> armed = onEnable;
        if (armed == null || !request.tag().equals(ON_ENABLE_TAG)) return Optional.empty();
        long deadline = System.nanoTime() + ARM_WAIT.toNanos();
        while (!armed.isDone() && System.nanoTime() < deadline && !loop.status().ended()) {
            try {
                armed.get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // keep waiting (timeout) or go on without the watches (they failed; the failure is on the stream)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (loop.status().ended()) {
            return Optional.of(new SnapshotHandler.Answer(SnapshotStatus.REFUSED, "not frozen as the scheduler was"
                    + " enabled: the run has ended"));
        }
        if (frozen()) {
            return Optional.of(new SnapshotHandler.Answer(SnapshotStatus.TAKEN, "the guest is already frozen by the"
                    + " user (" + tag + ")"));
        }
        try {
            SnapshotRecord record = freeze();
            return Optional.of(new SnapshotHandler.Answer(SnapshotStatus.TAKEN, "frozen as the scheduler was enabled ("
                    + record.tag() + "); the workload starts on resume"));
        } catch (CoordinatorException e) {
            return Optional.of(new SnapshotHandler.Answer(SnapshotStatus.FAILED, "not frozen as the scheduler was"
                    + " enabled: " + e.getMessage()));
        }
    }
}
