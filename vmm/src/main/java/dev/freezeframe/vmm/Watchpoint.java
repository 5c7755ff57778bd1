package dev.freezeframe.vmm;

import java.util.Objects;

/**
 * A hardware-style data watchpoint: a naturally aligned range of 1, 2, 4 or 8 bytes at a guest-virtual address (a
 * kernel address: kernel mappings are the same in every address space, so the watch fires whichever task runs). Invalid
 * shapes are refused here, before any backend sees them, with {@link VmmException.Kind#WATCHPOINT_REFUSED}.
 *
 * @param address guest-virtual address of the first watched byte
 * @param length  1, 2, 4 or 8; {@code address} must be a multiple of it (as x86 debug registers require)
 * @param kind    which accesses stop the guest
 */
public record Watchpoint(long address, int length, WatchKind kind) {

    public Watchpoint {
        Objects.requireNonNull(kind, "kind");
        if (length != 1 && length != 2 && length != 4 && length != 8) {
            throw new VmmException(VmmException.Kind.WATCHPOINT_REFUSED, "A watchpoint covers 1, 2, 4 or 8 bytes, not "
                    + length + ".");
        }
        if ((address & (length - 1)) != 0) {
            throw new VmmException(VmmException.Kind.WATCHPOINT_REFUSED, "A " + length + "-byte watchpoint must start at a "
                    + "multiple of " + length + "; 0x" + Long.toHexString(address) + " is not, so watch the aligned "
                    + length + " bytes at 0x" + Long.toHexString(address & -length) + " or fewer bytes.");
        }
    }

    public static Watchpoint write(long address, int length) {
        return new Watchpoint(address, length, WatchKind.WRITE);
    }

    /** Whether an access of {@code accessLength} bytes at {@code accessAddress} overlaps the watched bytes. */
    public boolean covers(long accessAddress, int accessLength) {
        return Long.compareUnsigned(accessAddress, address + length) < 0
                && Long.compareUnsigned(address, accessAddress + accessLength) < 0;
    }

    @Override
    public String toString() {
        return kind.word() + " " + length + "@0x" + Long.toHexString(address);
    }
}
