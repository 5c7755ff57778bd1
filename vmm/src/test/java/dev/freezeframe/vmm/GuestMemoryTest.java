package dev.freezeframe.vmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {

    @Test
    void readsLittleEndianValuesByGuestPhysicalAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(1 << 20);
            ram.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0x1001, 0x1122334455667788L);
            GuestMemory memory = new GuestMemory(ram, GuestRamLayout.pcMachine(1 << 20));
            GuestPhysAddr at = GuestPhysAddr.of(0x1001);
            assertEquals(0x1122334455667788L, memory.readU64(at));
            assertEquals(0x55667788, memory.readU32(at));
            assertEquals((short) 0x7788, memory.readU16(at));
            assertEquals((byte) 0x88, memory.readU8(at));
            assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66}, memory.readBytes(at, 3));
            assertTrue(memory.slice(at, 8).isReadOnly());
        }
    }

    @Test
    void refusesAddressesOutsideRamWithAReason() {
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory memory = new GuestMemory(arena.allocate(4096), GuestRamLayout.pcMachine(4096));
            assertFalse(memory.isReadable(GuestPhysAddr.of(4093), 4));
            VmmException e = assertThrows(VmmException.class, () -> memory.readU32(GuestPhysAddr.of(4093)));
            assertEquals(VmmException.Kind.MEMORY_OUT_OF_RANGE, e.kind());
        }
    }

    @Test
    void readsAfterTheMappingIsReleasedFailCleanly() {
        Arena arena = Arena.ofShared();
        GuestMemory memory = new GuestMemory(arena.allocate(4096), GuestRamLayout.pcMachine(4096));
        arena.close();
        assertEquals(VmmException.Kind.VM_GONE,
                assertThrows(VmmException.class, () -> memory.readU64(GuestPhysAddr.of(0))).kind());
    }

    @Test
    void addressArithmeticRefusesToWrap() {
        assertEquals(GuestPhysAddr.of(0x1010), GuestPhysAddr.of(0x1000).plus(0x10));
        assertThrows(VmmException.class, () -> GuestPhysAddr.of(-1).plus(1));
        assertThrows(VmmException.class, () -> GuestPhysAddr.of(0).plus(-1));
        assertEquals("0xffffffff81000000", GuestPhysAddr.of(0xffffffff81000000L).toString());
    }
}
