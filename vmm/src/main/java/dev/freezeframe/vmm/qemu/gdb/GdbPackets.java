package dev.freezeframe.vmm.qemu.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Framing of the GDB remote serial protocol: {@code $payload#cc} where {@code cc} is the modulo-256 sum of the payload
 * bytes in two hex digits. Inside a payload, {@code }} escapes the next byte (XOR 0x20) and {@code X*n} repeats X
 * {@code n - 29} more times (run-length encoding; stubs may use it in replies). Pure functions; the stream decoder is
 * {@link PacketDecoder}.
 *
 * <p>Payloads are handled as ISO-8859-1 strings so every byte maps to one char and back.
 */
public final class GdbPackets {

    static final byte START = '$';
    static final byte END = '#';
    static final byte ESCAPE = '}';
    static final byte REPEAT = '*';
    static final int ESCAPE_XOR = 0x20;
    /** Repeat counts are printable characters: count = char - 29, and '#' / '$' (counts 6 and 7) are never used. */
    static final int REPEAT_BIAS = 29;

    private GdbPackets() {
    }

    /** The modulo-256 sum of {@code bytes[from, to)}. */
    public static int checksum(byte[] bytes, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += bytes[i] & 0xff;
        }
        return sum & 0xff;
    }

    /** A complete packet for {@code payload}; bytes the framing reserves ({@code $ # } *}) are escaped. */
    public static byte[] frame(String payload) {
        byte[] raw = payload.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream(raw.length + 8);
        for (byte b : raw) {
            if (b == START || b == END || b == ESCAPE || b == REPEAT) {
                body.write(ESCAPE);
                body.write(b ^ ESCAPE_XOR);
            } else {
                body.write(b);
            }
        }
        byte[] escaped = body.toByteArray();
        byte[] packet = new byte[escaped.length + 4];
        packet[0] = START;
        System.arraycopy(escaped, 0, packet, 1, escaped.length);
        packet[escaped.length + 1] = END;
        String cs = String.format("%02x", checksum(escaped, 0, escaped.length));
        packet[escaped.length + 2] = (byte) cs.charAt(0);
        packet[escaped.length + 3] = (byte) cs.charAt(1);
        return packet;
    }

    /**
     * Expands run-length encoding in a received payload (before escapes are undone, as GDB does).
     *
     * @throws GdbProtocolException for a '*' with nothing to repeat or without a valid count
     */
    public static byte[] expandRunLength(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b != REPEAT) {
                out.write(b);
                continue;
            }
            if (out.size() == 0 || i + 1 >= raw.length) {
                throw new GdbProtocolException("The gdbstub sent a run-length code without a character to repeat or "
                        + "without a count.", latin1(raw));
            }
            int count = (raw[++i] & 0xff) - REPEAT_BIAS;
            if (count < 3 || count > 126 - REPEAT_BIAS) {
                throw new GdbProtocolException("The gdbstub sent a run-length count outside the protocol's range.",
                        latin1(raw));
            }
            byte[] sofar = out.toByteArray();
            byte repeated = sofar[sofar.length - 1];
            for (int k = 0; k < count; k++) {
                out.write(repeated);
            }
        }
        return out.toByteArray();
    }

    /**
     * Undoes {@code }}-escapes in a binary payload (qXfer data, binary memory reads).
     *
     * @throws GdbProtocolException for an escape character at the very end
     */
    public static byte[] unescape(byte[] escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(escaped.length);
        for (int i = 0; i < escaped.length; i++) {
            if (escaped[i] == ESCAPE) {
                if (i + 1 >= escaped.length) {
                    throw new GdbProtocolException("The gdbstub sent an escape character at the end of a packet.",
                            latin1(escaped));
                }
                out.write(escaped[++i] ^ ESCAPE_XOR);
            } else {
                out.write(escaped[i]);
            }
        }
        return out.toByteArray();
    }

    /** Decodes a string of hex digit pairs into bytes; unavailable bytes ({@code xx}) are not allowed here. */
    public static byte[] hexToBytes(String hex) {
        if ((hex.length() & 1) != 0) {
            throw new GdbProtocolException("The gdbstub sent an odd number of hex digits.", hex);
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new GdbProtocolException("The gdbstub sent a non-hex character where hex data was expected.", hex);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** Parses an unsigned hex number (as in addresses and thread ids) of at most 16 digits. */
    public static long parseHex(String hex, String what) {
        if (hex.isEmpty() || hex.length() > 16) {
            throw new GdbProtocolException("The gdbstub sent an invalid " + what + ".", hex);
        }
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new GdbProtocolException("The gdbstub sent an invalid " + what + ".", hex);
        }
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
