package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmmException;

/**
 * Reads guest-physical memory of a frozen QEMU guest through its gdbstub ({@code m} packets of at most 2 KiB in QEMU's
 * physical-memory mode). This is the slow path that {@link dev.freezeframe.vmm.GuestMemory} exists to avoid; it is here
 * as the baseline the freeze benchmark compares against and to cross-check the shared RAM mapping. Never use it to
 * capture state.
 */
public final class GdbstubMemoryReader {

    private final GdbVmControl control;

    private GdbstubMemoryReader(GdbVmControl control) {
        this.control = control;
    }

    /** @throws VmmException UNSUPPORTED when {@code vm} is not run by the QEMU backend */
    public static GdbstubMemoryReader of(RunningVm vm) {
        if (!(vm instanceof QemuVm qemu)) {
            throw new VmmException(VmmException.Kind.UNSUPPORTED, "Only guests of the QEMU backend can be read through "
                    + "a gdbstub.");
        }
        return new GdbstubMemoryReader(qemu.control());
    }

    /** Reads {@code length} bytes at {@code address}; {@code frozen} must be an open freeze of the same VM. */
    public byte[] read(FrozenVm frozen, GuestPhysAddr address, int length) {
        return control.readPhysical(frozen, address.value(), length);
    }
}
