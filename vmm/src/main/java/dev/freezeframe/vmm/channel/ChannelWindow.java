package dev.freezeframe.vmm.channel;

import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.GuestRamLayout;

/**
 * Where the shared-memory data channel lives in the guest: a window of guest RAM that the kernel is told to leave alone
 * ({@code memmap=SIZE$ADDR} makes it e820-reserved, so it is not System RAM and root may map it through /dev/mem even
 * with STRICT_DEVMEM; verified on the kit kernel). The guest agent finds it through {@code ff.chan=ADDR,SIZE}.
 *
 * <p>Placement: the middle of low RAM, 2 MiB-aligned. That is far above the kernel image (loaded at 16 MiB, < 100 MiB
 * decompressed) and far below what firmware and the loader put at the top of low RAM (initrd, ACPI tables).
 *
 * @param base  guest-physical start
 * @param bytes window size
 */
public record ChannelWindow(GuestPhysAddr base, long bytes) {

    /** Header page + 2 MiB guest → host + 1 MiB host → guest, rounded to 4 MiB. */
    public static final long DEFAULT_BYTES = 4L << 20;
    private static final long ALIGN = 2L << 20;
    /** The kernel's parameter name the guest agent looks for. */
    public static final String CMDLINE_KEY = "ff.chan";

    public static ChannelWindow placeIn(GuestRamLayout layout) {
        long base = (layout.lowRamBytes() / 2) & -ALIGN;
        return new ChannelWindow(GuestPhysAddr.of(base), DEFAULT_BYTES);
    }

    /** Kernel parameters that reserve the window and tell the guest agent where it is. */
    public String kernelParameters() {
        return "memmap=" + (bytes >> 10) + "K$" + base + " " + CMDLINE_KEY + "=" + base + ",0x" + Long.toHexString(bytes);
    }
}
