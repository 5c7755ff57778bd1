package dev.freezeframe.vmm;

import java.util.List;
import java.util.Optional;

/**
 * Where guest RAM appears in guest-physical address space and where each piece lives in the RAM backing file. The
 * backing file is one contiguous block; the machine splits it around the 32-bit PCI hole.
 *
 * @param ramBytes total guest RAM (= size of the backing file)
 * @param regions  the RAM regions, ascending and non-overlapping
 */
public record GuestRamLayout(long ramBytes, List<Region> regions) {

    /** A run of guest RAM: {@code size} bytes at guest-physical {@code start}, stored at {@code fileOffset}. */
    public record Region(GuestPhysAddr start, long size, long fileOffset) {
        boolean contains(long gpa, long length) {
            long offset = gpa - start.value(); // unsigned arithmetic: addresses use all 64 bits
            return Long.compareUnsigned(gpa, start.value()) >= 0 && Long.compareUnsigned(offset, size) <= 0
                    && Long.compareUnsigned(length, size - offset) <= 0;
        }
    }

    private static final long FOUR_GIB = 1L << 32;
    /** QEMU's pc (i440fx) machine: RAM below 4 GiB is capped at 3.5 GiB ... */
    private static final long PC_MAX_BELOW_4G = 0xE000_0000L;
    /** ... and when RAM does not fit, the split moves to 3 GiB (gigabyte_align, all current pc machine types). */
    private static final long PC_GIGABYTE_SPLIT = 0xC000_0000L;

    public GuestRamLayout {
        regions = List.copyOf(regions);
    }

    /** The layout QEMU's {@code pc} machine gives {@code ramBytes} of RAM (hw/i386/pc_piix.c, QEMU 7.2). */
    public static GuestRamLayout pcMachine(long ramBytes) {
        if (ramBytes <= 0) {
            throw new IllegalArgumentException("RAM size must be positive: " + ramBytes);
        }
        long below4g = ramBytes >= PC_MAX_BELOW_4G ? PC_GIGABYTE_SPLIT : ramBytes;
        long above4g = ramBytes - below4g;
        Region low = new Region(GuestPhysAddr.of(0), below4g, 0);
        if (above4g == 0) {
            return new GuestRamLayout(ramBytes, List.of(low));
        }
        return new GuestRamLayout(ramBytes, List.of(low, new Region(GuestPhysAddr.of(FOUR_GIB), above4g, below4g)));
    }

    /** RAM below 4 GiB (where the kernel, initrd and the data-channel window live). */
    public long lowRamBytes() {
        return regions.getFirst().size();
    }

    /** The backing-file offset of {@code length} bytes at {@code address}, if they lie inside one RAM region. */
    public Optional<Long> fileOffset(GuestPhysAddr address, long length) {
        long offset = fileOffsetOf(address.value(), length);
        return offset < 0 ? Optional.empty() : Optional.of(offset);
    }

    /** {@link #fileOffset} without allocating, for hot readers: -1 when the bytes are not inside one RAM region. */
    public long fileOffsetOf(long gpa, long length) {
        if (length < 0) {
            return -1;
        }
        for (Region region : regions) {
            if (region.contains(gpa, length)) {
                return region.fileOffset() + (gpa - region.start().value());
            }
        }
        return -1;
    }
}
