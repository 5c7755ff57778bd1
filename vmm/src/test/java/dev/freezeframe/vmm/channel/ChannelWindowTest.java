package dev.freezeframe.vmm.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.GuestRamLayout;
import org.junit.jupiter.api.Test;

class ChannelWindowTest {

    @Test
    void sitsInTheMiddleOfLowRamTwoMegabyteAligned() {
        assertEquals(GuestPhysAddr.of(0x2000_0000L), ChannelWindow.placeIn(GuestRamLayout.pcMachine(1L << 30)).base());
        assertEquals(GuestPhysAddr.of(0x0A00_0000L),
                ChannelWindow.placeIn(GuestRamLayout.pcMachine(321L << 20)).base()); // 160.5 MiB rounded down
        // 8 GiB: only 3 GiB are below 4 GiB; the window stays there
        assertEquals(GuestPhysAddr.of(0x6000_0000L), ChannelWindow.placeIn(GuestRamLayout.pcMachine(8L << 30)).base());
    }

    @Test
    void kernelParametersReserveTheWindowAndNameIt() {
        ChannelWindow window = new ChannelWindow(GuestPhysAddr.of(0x2000_0000L), 4L << 20);
        assertEquals("memmap=4096K$0x20000000 ff.chan=0x20000000,0x400000", window.kernelParameters());
    }
}
