package dev.freezeframe.vmm;

import java.time.Duration;
import java.util.List;

/**
 * A stop of the whole guest, held open: while any handle is open every vCPU is stopped, so registers and guest memory form
 * one consistent picture. Returned by {@link RunningVm#freeze()} and carried by each {@link WatchHit}. Several handles
 * may hold the same stop (a freeze requested while a watchpoint hit is being handled joins that stop); the guest resumes
 * exactly once, when the last of them is closed.
 *
 * <p>The guest does not see a freeze as elapsed time where the backend allows it (QEMU stops its virtual clock).
 */
public interface FrozenVm extends AutoCloseable {

    /**
     * Every vCPU's registers, in vCPU index order, read once per stop and shared by all handles of that stop.
     *
     * @throws VmmException CONTROL_FAILED when the VMM does not answer; VM_GONE when the VM ended or this handle is closed
     */
    List<VcpuRegisters> vcpus();

    /** One vCPU's registers; {@code index} is 0-based. */
    VcpuRegisters vcpu(int index);

    /** Guest RAM by guest-physical address, the same object as {@link RunningVm#memory()}: stable while frozen. */
    GuestMemory memory();

    /** From the freeze request until every vCPU had stopped; zero when this handle joined a stop already in place. */
    Duration timeToStop();

    /**
     * How long the guest has been held stopped by this handle: from the moment it was stopped (or this handle joined the
     * stop) until {@link #close()}, or until now while open. This is the freeze duration to record with a capture.
     */
    Duration duration();

    boolean isOpen();

    /**
     * Releases this handle; the guest resumes if no other handle holds the stop. Idempotent. Does not throw when the VM
     * has ended meanwhile (there is nothing left to resume).
     *
     * @throws VmmException CONTROL_FAILED when the VMM did not take the resume request
     */
    @Override
    void close();
}
