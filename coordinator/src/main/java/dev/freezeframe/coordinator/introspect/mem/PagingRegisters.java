package dev.freezeframe.coordinator.introspect.mem;

/**
 * The vCPU registers address translation can use when the backend has frozen the guest and read them: {@code CR3}
 * (root page table; PCID bits and the no-flush bit are masked off) and {@code CR4} (bit 12, LA57, says 5-level paging).
 */
public record PagingRegisters(long cr3, long cr4) {
    public static final long CR4_LA57 = 1L << 12;
    /** Bits 12..51 of CR3: the root table's physical address. */
    public static final long CR3_ADDRESS_MASK = 0x000f_ffff_ffff_f000L;

    public boolean la57() {
        return (cr4 & CR4_LA57) != 0;
    }

    public long rootTablePhys() {
        return cr3 & CR3_ADDRESS_MASK;
    }
}
