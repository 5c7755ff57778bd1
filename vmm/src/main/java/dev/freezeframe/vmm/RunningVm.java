package dev.freezeframe.vmm;

import dev.freezeframe.vmm.template.ForkableCapture;
import dev.freezeframe.vmm.template.PageDelta;
import dev.freezeframe.vmm.template.RamImage;
import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A guest that a {@link VmBackend} has started. Its life: running (stopped while a {@link FrozenVm} or a
 * {@link WatchHit} is open) → ended, with exactly one {@link VmExit}. Guest memory stays readable after the VM has ended, until {@link #close()}, so a caller can
 * still look at the final state.
 *
 * <p>Thread-safe: console listeners, data-channel users and control calls may run on different threads.
 */
public interface RunningVm extends AutoCloseable {

    VmSpec spec();

    /** The accelerator actually used and why it was chosen. */
    AcceleratorDetector.Decision accelerator();

    /** COM1, line by line, from the first byte on. */
    Console console();

    /** Guest RAM by guest-physical address (read-only). */
    GuestMemory memory();

    /** The data channel, when {@link VmSpec#dataChannel()} asked for one. */
    Optional<DataChannel> dataChannel();

    /**
     * Asks the VMM whether the vCPUs are running.
     *
     * @throws VmmException {@link VmmException.Kind#VM_GONE} after the VM has ended, {@link VmmException.Kind#CONTROL_FAILED}
     *                      when the VMM does not answer
     */
    VmRunState runState();

    /**
     * Stops every vCPU and returns once they have all stopped; the guest resumes when the handle is closed (and no other
     * handle holds the stop). Use try-with-resources. A freeze requested while a watchpoint hit holds the guest joins
     * that stop instead of waiting for it.
     *
     * @throws VmmException VM_GONE after the VM has ended; CONTROL_FAILED when the VMM does not stop the guest in time;
     *                      UNSUPPORTED when this backend cannot freeze
     */
    FrozenVm freeze();

    /** The watchpoint kinds this backend and accelerator can arm; empty when it cannot watch at all. */
    Set<WatchKind> supportedWatchKinds();

    /**
     * Arms a data watchpoint on the live guest (briefly stopping it if it runs). Hits go to the
     * {@linkplain #setWatchHitListener listener}.
     *
     * @throws VmmException WATCHPOINT_REFUSED when the kind is not supported, the same watchpoint is already armed, or
     *                      the VMM refused it (for instance out of debug registers); VM_GONE after the VM has ended
     */
    void arm(Watchpoint watchpoint);

    /**
     * Disarms a watchpoint armed earlier. Returns false if it was not armed (nothing happens then).
     *
     * @throws VmmException CONTROL_FAILED when the VMM refused; VM_GONE after the VM has ended
     */
    boolean disarm(Watchpoint watchpoint);

    /** The watchpoints armed now, in arming order. */
    List<Watchpoint> armedWatchpoints();

    /**
     * Where watchpoint hits go. Without a listener (or with {@code null}) each hit is logged and the guest resumed at
     * once, so an armed watchpoint never leaves the guest stopped.
     */
    void setWatchHitListener(WatchHitListener listener);

    /**
     * Stops the VM cleanly: asks the VMM to quit, waits up to the spec's shutdown grace, then kills it. Returns once the
     * VM has ended. Does nothing if it has already ended.
     */
    VmExit shutdown();

    /** Kills the VMM at once (no clean-up inside the guest). Returns once the VM has ended. */
    VmExit kill();

    /** Completes exactly once, when the VM has ended and its console has been drained. Never completes exceptionally. */
    CompletableFuture<VmExit> exit();

    /** Waits for the VM to end by itself; empty on timeout (the VM keeps running). */
    Optional<VmExit> awaitExit(Duration timeout) throws InterruptedException;

    /**
     * Saves the guest as it is now into {@code folder} (device state and RAM), for {@link VmBackend#restore}; the guest is
     * stopped meanwhile and runs on afterwards. Call it when the guest waits for its run plan.
     *
     * @throws VmmException TEMPLATE_FAILED saying why; UNSUPPORTED when this backend cannot
     */
    default RamImage.Stats saveTemplate(Path folder) {
        throw new VmmException(VmmException.Kind.UNSUPPORTED, "This VM cannot be saved as a boot template.");
    }

    /**
     * Takes the whole state of the guest for a forkable snapshot into {@code folder}: the device state and a copy of the
     * RAM pages that differ from {@code base} (the run's boot template's RAM image, or an all-zero base). Call it while the guest
     * is frozen (it joins that stop); {@link ForkableCapture#finish} writes the pages after the guest resumed.
     *
     * @throws VmmException TEMPLATE_FAILED saying why; UNSUPPORTED when this backend cannot
     */
    default ForkableCapture captureForkable(Path folder, PageDelta.BaseImage base) {
        throw new VmmException(VmmException.Kind.UNSUPPORTED, "This VM cannot take forkable snapshots.");
    }

    /** Kills the VM if it still runs, removes its runtime files, and releases guest memory. Idempotent. */
    @Override
    void close();
}
