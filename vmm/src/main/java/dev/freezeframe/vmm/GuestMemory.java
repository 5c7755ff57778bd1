package dev.freezeframe.vmm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.Supplier;

/**
 * Read-only, bounds-checked access to guest RAM by guest-physical address, straight from the shared RAM mapping. Reads
 * of a running guest see whatever the vCPUs last stored (no tearing protection beyond the access size); freeze the guest
 * first when a consistent picture matters. All values are little-endian, as on x86.
 *
 * <p>Reads after the VM has been closed fail with {@link VmmException.Kind#VM_GONE} instead of touching unmapped memory.
 */
public final class GuestMemory {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment ram;
    private final GuestRamLayout layout;

    /**
     * @param ram    the whole RAM backing file, mapped; must be exactly {@code layout.ramBytes()} long
     * @param layout where the file's bytes appear in guest-physical space
     */
    public GuestMemory(MemorySegment ram, GuestRamLayout layout) {
        if (ram.byteSize() != layout.ramBytes()) {
            throw new IllegalArgumentException("mapping is " + ram.byteSize() + " bytes, layout says " + layout.ramBytes());
        }
        this.ram = ram.asReadOnly();
        this.layout = layout;
    }

    public GuestRamLayout layout() {
        return layout;
    }

    /** Whether {@code length} bytes at {@code address} are guest RAM that this object can read. */
    public boolean isReadable(GuestPhysAddr address, long length) {
        return layout.fileOffset(address, length).isPresent();
    }

    public byte readU8(GuestPhysAddr address) {
        MemorySegment bytes = slice(address, 1);
        return whileOpen(() -> bytes.get(ValueLayout.JAVA_BYTE, 0));
    }

    public short readU16(GuestPhysAddr address) {
        MemorySegment bytes = slice(address, 2);
        return whileOpen(() -> bytes.get(U16, 0));
    }

    public int readU32(GuestPhysAddr address) {
        MemorySegment bytes = slice(address, 4);
        return whileOpen(() -> bytes.get(U32, 0));
    }

    public long readU64(GuestPhysAddr address) {
        MemorySegment bytes = slice(address, 8);
        return whileOpen(() -> bytes.get(U64, 0));
    }

    /** Copies {@code length} bytes starting at {@code address}. */
    public byte[] readBytes(GuestPhysAddr address, int length) {
        MemorySegment bytes = slice(address, length);
        return whileOpen(() -> bytes.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Copies into {@code target[offset, offset+length)}. */
    public void readBytes(GuestPhysAddr address, byte[] target, int offset, int length) {
        MemorySegment bytes = slice(address, length);
        whileOpen(() -> {
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, target, offset, length);
            return null;
        });
    }

    /**
     * Copies {@code length} bytes at guest-physical {@code gpa} into {@code target[offset, offset+length)} without
     * allocating, for readers that poll the same fields many times a second; false when the range is not guest RAM or
     * the VM has been closed.
     */
    public boolean copyInto(long gpa, byte[] target, int offset, int length) {
        long at = layout.fileOffsetOf(gpa, length);
        if (at < 0) return false;
        try {
            MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, at, target, offset, length);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /**
     * A read-only view of {@code length} bytes of guest RAM, for bulk readers that want to avoid copies. The view dies
     * with the VM: use it only while the VM is open.
     */
    public MemorySegment slice(GuestPhysAddr address, long length) {
        long offset = layout.fileOffset(address, length).orElseThrow(() -> new VmmException(
                VmmException.Kind.MEMORY_OUT_OF_RANGE,
                "Guest-physical range " + address + "+" + length + " is not guest RAM (the guest has "
                        + (layout.ramBytes() >> 20) + " MiB)."));
        return ram.asSlice(offset, length);
    }

    /** Runs an access, turning "segment already closed" (the VM went away meanwhile) into our error. */
    private static <T> T whileOpen(Supplier<T> access) {
        try {
            return access.get();
        } catch (IllegalStateException closed) {
            throw new VmmException(VmmException.Kind.VM_GONE, "The VM is closed; its memory can no longer be read.", closed);
        }
    }
}
