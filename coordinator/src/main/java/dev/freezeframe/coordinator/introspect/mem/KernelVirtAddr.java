package dev.freezeframe.coordinator.introspect.mem;

/**
 * A kernel-virtual address of the guest. Its own type, distinct from {@link dev.freezeframe.vmm.GuestPhysAddr}, so the
 * two cannot be mixed up: guest RAM is read by physical address only after {@link AddressSpace} has translated one of
 * these. Arithmetic wraps like C pointer arithmetic does; a wrapped address lands outside the kernel half and then fails
 * to translate, with a reason.
 *
 * @param value the address as an unsigned 64-bit number
 */
public record KernelVirtAddr(long value) implements Comparable<KernelVirtAddr> {
    public static final KernelVirtAddr NULL = new KernelVirtAddr(0);

    public static KernelVirtAddr of(long value) {
        return new KernelVirtAddr(value);
    }

    public boolean isNull() {
        return value == 0;
    }

    /** {@code this + bytes}, wrapping. */
    public KernelVirtAddr plus(long bytes) {
        return new KernelVirtAddr(value + bytes);
    }

    /** Whether bit 63 is set: kernel addresses on x86-64 live in the upper half. */
    public boolean isKernelHalf() {
        return value < 0;
    }

    @Override
    public int compareTo(KernelVirtAddr other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return String.format("0x%016x", value);
    }
}
