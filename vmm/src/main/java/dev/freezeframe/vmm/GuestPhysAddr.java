package dev.freezeframe.vmm;

/**
 * A guest-physical address. It is its own type so that it cannot be confused with a kernel-virtual address (which the
 * coordinator translates to this type through the kernel's mappings): guest RAM is only ever read by physical address.
 *
 * @param value the address as an unsigned 64-bit number
 */
public record GuestPhysAddr(long value) implements Comparable<GuestPhysAddr> {

    public static GuestPhysAddr of(long value) {
        return new GuestPhysAddr(value);
    }

    /** This address moved by {@code bytes}; throws on unsigned overflow so a wrapped pointer never aliases low RAM. */
    public GuestPhysAddr plus(long bytes) {
        long sum = value + bytes;
        boolean wrapped = bytes >= 0 ? Long.compareUnsigned(sum, value) < 0 : Long.compareUnsigned(sum, value) > 0;
        if (wrapped) {
            throw new VmmException(VmmException.Kind.MEMORY_OUT_OF_RANGE,
                    "The guest-physical address " + this + " + " + bytes + " wraps around the address space.");
        }
        return new GuestPhysAddr(sum);
    }

    @Override
    public int compareTo(GuestPhysAddr other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(value);
    }
}
