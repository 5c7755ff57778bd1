package dev.freezeframe.vmm.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.testing.FfchanPump;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host end against the real guest end: the C code of ffchan.c runs in a host process on a file that the test maps
 * too, exactly as QEMU's guest RAM file is shared (only /dev/mem is replaced by the file).
 */
class SharedMemoryDataChannelTest {

    private static final long WINDOW = ChannelWindow.DEFAULT_BYTES;

    @TempDir
    Path dir;
    private Arena arena;
    private Path file;
    private MemorySegment window;

    @BeforeEach
    void mapWindow() throws IOException {
        arena = Arena.ofShared();
        file = dir.resolve("window");
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            fc.write(java.nio.ByteBuffer.wrap(new byte[1]), WINDOW - 1);
            window = fc.map(FileChannel.MapMode.READ_WRITE, 0, WINDOW, arena);
        }
        RingLayout.initialize(window);
    }

    @AfterEach
    void unmap() {
        arena.close();
    }

    private Process pump(String mode, long bytes) throws Exception {
        Path pump = FfchanPump.build(dir);
        return new ProcessBuilder(pump.toString(), mode, Long.toString(bytes), "--file", file.toString(), "0",
                Long.toString(WINDOW)).redirectErrorStream(true).start();
    }

    @Test
    void guestToHostStreamArrivesCompleteAndInOrderAcrossManyWraps() throws Exception {
        SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
        long total = 24L << 20; // 12 times the ring
        Process guest = pump("send", total);
        InputStream in = channel.fromGuest();
        byte[] buf = new byte[100_003]; // odd size: reads straddle the ring's end
        long seen = 0;
        while (seen < total) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, total - seen));
            for (int i = 0; i < n; i++) {
                if (buf[i] != FfchanPump.pattern(seen + i)) {
                    throw new AssertionError("byte " + (seen + i) + " differs");
                }
            }
            seen += n;
        }
        assertTrue(guest.waitFor(60, TimeUnit.SECONDS));
        String out = new String(guest.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, guest.exitValue(), out);
        assertTrue(out.contains("FFCHAN-PUMP mode=send bytes=" + total), out);
        assertEquals(total, channel.bytesFromGuest());
        channel.guestGone();
        assertEquals(-1, in.read(buf), "nothing more after the guest is gone");
    }

    @Test
    void hostToGuestBytesComeBackThroughTheEcho() throws Exception {
        SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
        byte[] sent = new byte[3 << 20]; // three times the host → guest ring: the writer must wait for the guest
        new Random(42).nextBytes(sent);
        Process guest = pump("echo", sent.length);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                channel.toGuest().write(sent);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back = channel.fromGuest().readNBytes(sent.length);
        writer.get(60, TimeUnit.SECONDS);
        assertArrayEquals(sent, back);
        assertTrue(guest.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, guest.exitValue());
        assertEquals(sent.length, channel.bytesToGuest());
    }

    @Test
    void bytesFromAGuestThatNeverSaysItAttachedAreStillRead() throws Exception {
        // before the attach the reader polls rarely (a boot sends nothing), but it must never stop reading: the state
        // word is the guest's to write, and a guest that skips it still gets its bytes through
        SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
        RingLayout.Sizes sizes = RingLayout.Sizes.forWindow(WINDOW);
        RingProducer guest = new RingProducer(window, sizes.g2hOffset(), sizes.g2hBytes(), RingLayout.OFF_G2H_HEAD,
                RingLayout.OFF_G2H_TAIL);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return channel.fromGuest().readNBytes(10);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(5, guest.write("hello".getBytes(StandardCharsets.US_ASCII), 0, 5));
        assertEquals(5, guest.write("world".getBytes(StandardCharsets.US_ASCII), 0, 5));
        assertArrayEquals("helloworld".getBytes(StandardCharsets.US_ASCII), read.get(30, TimeUnit.SECONDS));
        assertFalse(channel.guestAttached());
    }

    @Test
    void attachedFlagFollowsTheGuest() throws Exception {
        SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
        assertFalse(channel.guestAttached());
        Process guest = pump("send", 1000);
        channel.fromGuest().readNBytes(1000);
        assertTrue(guest.waitFor(60, TimeUnit.SECONDS));
        assertFalse(channel.guestAttached(), "ffchan_close detaches");
        window.set(RingLayout.U32, RingLayout.OFF_GUEST_STATE, RingLayout.GUEST_ATTACHED);
        assertTrue(channel.guestAttached());
        channel.guestGone();
        assertFalse(channel.guestAttached(), "a gone guest is not attached, whatever its memory says");
    }

    @Test
    void aGuestClaimingMoreBytesThanTheRingHoldsIsRefused() {
        SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
        window.set(RingLayout.U64, RingLayout.OFF_G2H_HEAD, (2L << 20) + 1);
        VmmException e = assertThrows(VmmException.class, () -> channel.fromGuest().read(new byte[16]));
        assertEquals(VmmException.Kind.CHANNEL_CORRUPT, e.kind());
        window.set(RingLayout.U64, RingLayout.OFF_G2H_HEAD, -5L); // "behind" the host's tail
        assertEquals(VmmException.Kind.CHANNEL_CORRUPT,
                assertThrows(VmmException.class, () -> channel.fromGuest().read(new byte[16])).kind());
    }

    @Test
    void aGuestMovingItsReadPositionPastTheHostsWritesIsRefused() {
        SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
        window.set(RingLayout.U64, RingLayout.OFF_H2G_TAIL, 10L);
        assertEquals(VmmException.Kind.CHANNEL_CORRUPT,
                assertThrows(VmmException.class, () -> channel.toGuest().write(new byte[16])).kind());
    }

    @Test
    void afterTheGuestIsGoneReadsDrainThenEndAndWritesFail() throws Exception {
        SharedMemoryDataChannel channel = new SharedMemoryDataChannel(window);
        MemorySegment g2h = window.asSlice(RingLayout.HEADER_BYTES, 16);
        g2h.copyFrom(MemorySegment.ofArray("left behind".getBytes(StandardCharsets.US_ASCII)));
        window.set(RingLayout.U64, RingLayout.OFF_G2H_HEAD, 11L);
        channel.guestGone();
        assertEquals("left behind", new String(channel.fromGuest().readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals(VmmException.Kind.VM_GONE,
                assertThrows(VmmException.class, () -> channel.toGuest().write(1)).kind());
    }

    @Test
    void headerConstantsAgreeWithTheGuestHeader() throws IOException {
        String header = Files.readString(FfchanPump.moduleDir().resolve("src/main/c/agent/ffchan.h"));
        Map<String, Long> defines = new HashMap<>();
        Matcher m = Pattern.compile("#define (FFCHAN_\\w+) (0x[0-9A-Fa-f]+|\\d+)").matcher(header);
        while (m.find()) {
            defines.put(m.group(1), Long.decode(m.group(2).replace("ULL", "")));
        }
        Matcher magic = Pattern.compile("#define FFCHAN_MAGIC (0x[0-9A-Fa-f]+)ULL").matcher(header);
        assertTrue(magic.find());
        assertEquals(RingLayout.MAGIC, Long.parseUnsignedLong(magic.group(1).substring(2), 16));
        assertEquals(RingLayout.VERSION, defines.get("FFCHAN_VERSION"));
        assertEquals(RingLayout.OFF_MAGIC, defines.get("FFCHAN_OFF_MAGIC"));
        assertEquals(RingLayout.OFF_VERSION, defines.get("FFCHAN_OFF_VERSION"));
        assertEquals(RingLayout.OFF_HEADER_BYTES, defines.get("FFCHAN_OFF_HEADER_BYTES"));
        assertEquals(RingLayout.OFF_G2H_OFFSET, defines.get("FFCHAN_OFF_G2H_OFFSET"));
        assertEquals(RingLayout.OFF_G2H_SIZE, defines.get("FFCHAN_OFF_G2H_SIZE"));
        assertEquals(RingLayout.OFF_H2G_OFFSET, defines.get("FFCHAN_OFF_H2G_OFFSET"));
        assertEquals(RingLayout.OFF_H2G_SIZE, defines.get("FFCHAN_OFF_H2G_SIZE"));
        assertEquals(RingLayout.OFF_GUEST_STATE, defines.get("FFCHAN_OFF_GUEST_STATE"));
        assertEquals(RingLayout.OFF_G2H_HEAD, defines.get("FFCHAN_OFF_G2H_HEAD"));
        assertEquals(RingLayout.OFF_G2H_TAIL, defines.get("FFCHAN_OFF_G2H_TAIL"));
        assertEquals(RingLayout.OFF_H2G_HEAD, defines.get("FFCHAN_OFF_H2G_HEAD"));
        assertEquals(RingLayout.OFF_H2G_TAIL, defines.get("FFCHAN_OFF_H2G_TAIL"));
        assertEquals(RingLayout.GUEST_ATTACHED, defines.get("FFCHAN_GUEST_ATTACHED"));
        assertTrue(header.contains("\"" + ChannelWindow.CMDLINE_KEY + "\""));
    }

    @Test
    void ringSizesForTheDefaultWindow() {
        RingLayout.Sizes sizes = RingLayout.Sizes.forWindow(WINDOW);
        assertEquals(2 << 20, sizes.g2hBytes());
        assertEquals(1 << 20, sizes.h2gBytes());
        assertTrue(sizes.h2gOffset() + sizes.h2gBytes() <= WINDOW);
    }
}
