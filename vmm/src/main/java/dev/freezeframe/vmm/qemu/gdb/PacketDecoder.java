package dev.freezeframe.vmm.qemu.gdb;

import java.io.ByteArrayOutputStream;

/**
 * Turns the byte stream from a gdbstub into protocol units: acknowledgements ({@code +} / {@code -}) and packets. Feed
 * bytes as they arrive; units are passed to the sink in order. Bytes outside a packet other than acks are ignored, as
 * GDB does. A packet whose checksum does not match is still delivered, marked bad, so the caller can ask for a resend.
 */
public final class PacketDecoder {

    /** What the decoder found. */
    public sealed interface Unit {
    }

    /** {@code +}: the other side received our last packet intact. */
    public record Ack() implements Unit {
    }

    /** {@code -}: the other side received our last packet damaged and wants it again. */
    public record Nack() implements Unit {
    }

    /**
     * A packet.
     *
     * @param payload    run-length expanded, escapes still in place (only binary replies undo them), ISO-8859-1
     * @param checksumOk whether the checksum matched the raw bytes
     */
    public record Packet(String payload, boolean checksumOk) implements Unit {
    }

    public interface Sink {
        void accept(Unit unit);
    }

    private enum State { IDLE, BODY, CHECKSUM_1, CHECKSUM_2 }

    private final int maxPacketBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private State state = State.IDLE;
    private int sum;
    private int declaredHigh;

    /** @param maxPacketBytes longest packet body accepted; a longer one is a protocol error, not unbounded memory */
    public PacketDecoder(int maxPacketBytes) {
        this.maxPacketBytes = maxPacketBytes;
    }

    /**
     * @throws GdbProtocolException on a packet longer than the limit, a non-hex checksum, or a bad run-length code
     */
    public void feed(byte[] bytes, int offset, int length, Sink sink) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            switch (state) {
                case IDLE -> {
                    if (b == GdbPackets.START) {
                        startPacket();
                    } else if (b == '+') {
                        sink.accept(new Ack());
                    } else if (b == '-') {
                        sink.accept(new Nack());
                    }
                }
                case BODY -> {
                    if (b == GdbPackets.END) {
                        state = State.CHECKSUM_1;
                    } else if (b == GdbPackets.START) {
                        // A '$' inside a packet means the previous one was cut off; start over as GDB does.
                        startPacket();
                    } else {
                        if (body.size() >= maxPacketBytes) {
                            state = State.IDLE;
                            throw new GdbProtocolException("The gdbstub sent a packet longer than " + maxPacketBytes
                                    + " bytes.", GdbPackets.latin1(body.toByteArray()));
                        }
                        body.write(b);
                        sum += b & 0xff;
                    }
                }
                case CHECKSUM_1 -> {
                    declaredHigh = hexDigit(b);
                    state = State.CHECKSUM_2;
                }
                case CHECKSUM_2 -> {
                    int declared = declaredHigh << 4 | hexDigit(b);
                    state = State.IDLE;
                    byte[] raw = body.toByteArray();
                    sink.accept(new Packet(GdbPackets.latin1(GdbPackets.expandRunLength(raw)),
                            declared == (sum & 0xff)));
                }
            }
        }
    }

    private void startPacket() {
        body.reset();
        sum = 0;
        state = State.BODY;
    }

    private int hexDigit(byte b) {
        int d = Character.digit((char) (b & 0xff), 16);
        if (d < 0) {
            state = State.IDLE;
            throw new GdbProtocolException("The gdbstub sent a packet whose checksum is not hex.",
                    GdbPackets.latin1(body.toByteArray()));
        }
        return d;
    }
}
