package dev.freezeframe.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuestRamLayoutTest {

    @Test
    void smallGuestsAreOneRegionAtZero() {
        GuestRamLayout layout = GuestRamLayout.pcMachine(1L << 30);
        assertEquals(1, layout.regions().size());
        assertEquals(Optional.of(0x1234L), layout.fileOffset(GuestPhysAddr.of(0x1234), 8));
        assertEquals(Optional.of((1L << 30) - 8), layout.fileOffset(GuestPhysAddr.of((1L << 30) - 8), 8));
        assertTrue(layout.fileOffset(GuestPhysAddr.of((1L << 30) - 7), 8).isEmpty(), "straddles the end");
        assertTrue(layout.fileOffset(GuestPhysAddr.of(-8), 8).isEmpty(), "top of the address space");
        assertTrue(layout.fileOffset(GuestPhysAddr.of(0), -1).isEmpty());
    }

    @Test
    void ramThatDoesNotFitBelowTheHoleIsSplitAtThreeGigabytes() {
        GuestRamLayout layout = GuestRamLayout.pcMachine(5L << 30);
        assertEquals(0xC000_0000L, layout.lowRamBytes());
        assertTrue(layout.fileOffset(GuestPhysAddr.of(0xC000_0000L), 1).isEmpty(), "PCI hole");
        assertEquals(Optional.of(0xC000_0000L), layout.fileOffset(GuestPhysAddr.of(1L << 32), 1));
        assertEquals(Optional.of((5L << 30) - 1), layout.fileOffset(GuestPhysAddr.of((1L << 32) + (2L << 30) - 1), 1));
        assertTrue(layout.fileOffset(GuestPhysAddr.of((1L << 32) + (2L << 30)), 1).isEmpty());
    }

    @Test
    void justBelowTheTraditionalSplitStaysInOnePiece() {
        assertEquals(0xDFF0_0000L, GuestRamLayout.pcMachine(0xDFF0_0000L).lowRamBytes());
        assertEquals(0xC000_0000L, GuestRamLayout.pcMachine(0xE000_0000L).lowRamBytes());
    }
}
