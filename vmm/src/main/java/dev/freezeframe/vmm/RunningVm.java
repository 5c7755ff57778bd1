package dev.freezeframe.vmm;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A guest that a {@link VmBackend} has started. Its life: running (possibly paused by later capabilities) → ended, with
 * exactly one {@link VmExit}. Guest memory stays readable after the VM has ended, until {@link #close()}, so a caller can
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

    /** Kills the VM if it still runs, removes its runtime files, and releases guest memory. Idempotent. */
    @Override
    void close();
}
