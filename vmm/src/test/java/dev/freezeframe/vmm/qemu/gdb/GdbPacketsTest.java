package dev.freezeframe.vmm.qemu.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GdbPacketsTest {

    private static String framed(String payload) {
        return new String(GdbPackets.frame(payload), StandardCharsets.ISO_8859_1);
    }

    private static List<PacketDecoder.Unit> decode(String stream) {
        List<PacketDecoder.Unit> units = new ArrayList<>();
        byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        new PacketDecoder(4096).feed(bytes, 0, bytes.length, units::add);
        return units;
    }

    @Test
    void framesWithTheModulo256SumOfThePayload() {
        // checksums as QEMU 7.2 sent and accepted them
        assertEquals("$g#67", framed("g"));
        assertEquals("$OK#9a", framed("OK"));
        assertEquals("$qfThreadInfo#bb", framed("qfThreadInfo"));
        assertEquals("$#00", framed(""));
        assertEquals("$c#63", framed("c"));
    }

    @Test
    void escapesTheCharactersTheFramingReserves() {
        // '$' 0x24 -> '}' 0x04, '#' 0x23 -> '}' 0x03, '}' 0x7d -> '}' ']', '*' 0x2a -> '}' 0x0a; the checksum covers the
        // escaped bytes
        String framed = framed("a$b#c}d*");
        assertEquals("$a}\u0004b}\u0003c}]d}\n#", framed.substring(0, framed.length() - 2));
        byte[] body = framed.substring(1, framed.length() - 3).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(String.format("%02x", GdbPackets.checksum(body, 0, body.length)),
                framed.substring(framed.length() - 2));
        assertArrayEquals("a$b#c}d*".getBytes(StandardCharsets.ISO_8859_1), GdbPackets.unescape(body));
    }

    @Test
    void decoderYieldsAcksNacksAndPacketsInOrderAndChecksPacketSums() {
        List<PacketDecoder.Unit> units = decode("+$T02thread:01;#04-junk$OK#9a$OK#00");
        assertEquals(List.of(new PacketDecoder.Ack(), new PacketDecoder.Packet("T02thread:01;", true),
                new PacketDecoder.Nack(), new PacketDecoder.Packet("OK", true), new PacketDecoder.Packet("OK", false)),
                units);
    }

    @Test
    void decoderKeepsStateAcrossReadsSplitAnywhere() {
        String stream = "$m0123456789abcdef#" + String.format("%02x", sum("m0123456789abcdef")) + "+";
        byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 0; cut <= bytes.length; cut++) {
            List<PacketDecoder.Unit> units = new ArrayList<>();
            PacketDecoder decoder = new PacketDecoder(4096);
            decoder.feed(bytes, 0, cut, units::add);
            decoder.feed(bytes, cut, bytes.length - cut, units::add);
            assertEquals(List.of(new PacketDecoder.Packet("m0123456789abcdef", true), new PacketDecoder.Ack()), units,
                    "cut at " + cut);
        }
    }

    @Test
    void aDollarInsideAPacketRestartsIt() {
        assertEquals(List.of(new PacketDecoder.Packet("OK", true)), decode("$trunc$OK#9a"));
    }

    @Test
    void runLengthEncodingIsExpandedAfterTheChecksumOverTheRawBytes() {
        // "0* " is "0000": '0' then 32 - 29 = 3 more
        assertEquals("0000", new String(GdbPackets.expandRunLength("0* ".getBytes(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1));
        // a register block of zeros as a stub might compress it: "0*}" is 1 + (125 - 29) = 97 zeros
        String raw = "0*}1";
        List<PacketDecoder.Unit> units = decode("$" + raw + "#" + String.format("%02x", sum(raw)));
        assertEquals(List.of(new PacketDecoder.Packet("0".repeat(97) + "1", true)), units);
    }

    @Test
    void malformedRunLengthCodesAndChecksumsAreTypedErrors() {
        assertThrows(GdbProtocolException.class, () -> GdbPackets.expandRunLength("*a".getBytes()));
        assertThrows(GdbProtocolException.class, () -> GdbPackets.expandRunLength("0*".getBytes()));
        assertThrows(GdbProtocolException.class, () -> GdbPackets.expandRunLength("0*\u0010".getBytes()));
        assertThrows(GdbProtocolException.class, () -> decode("$OK#zz"));
        assertThrows(GdbProtocolException.class, () -> GdbPackets.unescape("ab}".getBytes()));
        assertThrows(GdbProtocolException.class, () -> GdbPackets.hexToBytes("abc"));
        assertThrows(GdbProtocolException.class, () -> GdbPackets.hexToBytes("zz"));
        assertThrows(GdbProtocolException.class, () -> GdbPackets.parseHex("", "address"));
        assertThrows(GdbProtocolException.class, () -> GdbPackets.parseHex("12345678123456781", "address"));
        assertEquals(0xffffffff82a0b8c8L, GdbPackets.parseHex("ffffffff82a0b8c8", "address"));
    }

    @Test
    void anOverlongPacketIsRefusedInsteadOfBuffered() {
        PacketDecoder decoder = new PacketDecoder(16);
        byte[] bytes = ("$" + "a".repeat(17) + "#00").getBytes(StandardCharsets.ISO_8859_1);
        GdbProtocolException e = assertThrows(GdbProtocolException.class,
                () -> decoder.feed(bytes, 0, bytes.length, u -> { }));
        assertEquals("The gdbstub sent a packet longer than 16 bytes.", e.getMessage());
        // and the decoder recovers at the next packet
        List<PacketDecoder.Unit> units = new ArrayList<>();
        byte[] next = "$OK#9a".getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(next, 0, next.length, units::add);
        assertEquals(List.of(new PacketDecoder.Packet("OK", true)), units);
    }

    private static int sum(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return GdbPackets.checksum(b, 0, b.length);
    }
}
