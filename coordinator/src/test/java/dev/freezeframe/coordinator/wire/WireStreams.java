package dev.freezeframe.coordinator.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Random;

/**
 * Seeded generators of messages, frames, hostile mutations of frames and read splits, for the property and fuzz
 * tests. Everything comes from the given {@link Random}, so a failing seed reproduces.
 */
final class WireStreams {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz _-:/.()[]0123456789\n\tåé✓\u0000";
    private static final MessageType[] TYPES = MessageType.values();

    private WireStreams() {
    }

    static String text(Random r, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    static String symbol(Random r) {
        int n = 1 + r.nextInt(24);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append((char) (0x21 + r.nextInt(0x7F - 0x21)));
        return sb.toString();
    }

    /** Any message of the dialogue, internal ones included. */
    static WireMessage message(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> new WireMessage.SysReady();
            case 1 -> new WireMessage.Lifecycle(pick(r, LifecyclePhase.values()), text(r, 30));
            case 2 -> {
                LinkedHashMap<String, Long> addresses = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) addresses.put(symbol(r), r.nextLong());
                yield new WireMessage.KernelAddresses(addresses);
            }
            case 3 -> new WireMessage.StepStarted(r.nextInt(Integer.MAX_VALUE), text(r, 20));
            case 4 -> new WireMessage.Stdout(text(r, 80));
            case 5 -> new WireMessage.Stderr(text(r, 80));
            case 6 -> new WireMessage.SchedulerLog(text(r, 80));
            case 7 -> new WireMessage.SchedulerExit(r.nextInt(), r.nextInt(), text(r, 40));
            case 8 -> new WireMessage.Exit(r.nextInt(), text(r, 20));
            case 9 -> new WireMessage.SnapshotRequest(r.nextInt(), SnapshotRequestKind.CAPTURE, text(r, 20));
            case 10 -> new WireMessage.SnapshotReply(r.nextInt(), pick(r, SnapshotStatus.values()));
            default -> new WireMessage.Stdout(text(r, 2000));
        };
    }

    /**
     * One well-formed frame: mostly encoded messages, sometimes an unknown type or a known type with arbitrary bytes
     * (may be malformed for its layout), one in a thousand a large payload.
     */
    static byte[] frame(Random r) {
        if (r.nextInt(1000) == 0) return FrameEncoder.encode(MessageType.STDOUT, bytes(r, 1 + r.nextInt(70_000)));
        int dice = r.nextInt(100);
        if (dice < 80) return FrameEncoder.encode(message(r));
        if (dice < 90) return FrameEncoder.encode(unknownCode(r), bytes(r, r.nextInt(64))); // empty: never a frame
        return FrameEncoder.encode(pick(r, TYPES), bytes(r, r.nextInt(32)));
    }

    static int unknownCode(Random r) {
        while (true) {
            int code = r.nextInt(4) == 0 ? 0x4646_0000 | r.nextInt(0x40) : r.nextInt();
            if (code != 0 && !MessageType.isKnownCode(code)) return code;
        }
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** The ways a hostile guest or a torn transport can damage a frame. */
    enum Mutation { NONE, BIT_FLIPS, HEADER_FIELD, TRUNCATE, GARBAGE_BEFORE, SPLICE, DUPLICATE, ZEROS_BEFORE }

    /** A mutation chosen with weights: about 60% of frames are left intact. */
    static Mutation mutation(Random r) {
        int dice = r.nextInt(100);
        if (dice < 60) return Mutation.NONE;
        if (dice < 70) return Mutation.BIT_FLIPS;
        if (dice < 76) return Mutation.HEADER_FIELD;
        if (dice < 82) return Mutation.TRUNCATE;
        if (dice < 88) return Mutation.GARBAGE_BEFORE;
        if (dice < 94) return Mutation.SPLICE;
        if (dice < 97) return Mutation.DUPLICATE;
        return Mutation.ZEROS_BEFORE;
    }

    /** Writes {@code frame} to {@code out} damaged by {@code m}; {@code previous} is material for splices. */
    static void writeMutated(Random r, Mutation m, byte[] frame, byte[] previous, ByteArrayOutputStream out) {
        switch (m) {
            case NONE -> out.writeBytes(frame);
            case BIT_FLIPS -> {
                byte[] f = frame.clone();
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    int at = r.nextInt(4) == 0 ? r.nextInt(FrameHeader.SIZE) : r.nextInt(f.length);
                    f[at] ^= (byte) (1 << r.nextInt(8));
                }
                out.writeBytes(f);
            }
            case HEADER_FIELD -> {
                byte[] f = frame.clone();
                int field = 4 * r.nextInt(4);
                int value = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt();
                    case 1 -> FrameAssembler.DEFAULT_MAX_PAYLOAD + 1 + r.nextInt(1000);
                    case 2 -> -1;
                    default -> r.nextInt(256);
                };
                FrameHeader h = FrameHeader.decode(f, 0);
                FrameHeader mutated = switch (field) {
                    case 0 -> new FrameHeader(value, h.length(), h.crc32(), h.pad());
                    case 4 -> new FrameHeader(h.typeCode(), value, h.crc32(), h.pad());
                    case 8 -> new FrameHeader(h.typeCode(), h.length(), value, h.pad());
                    default -> new FrameHeader(h.typeCode(), h.length(), h.crc32(), value);
                };
                mutated.encodeTo(f, 0);
                out.writeBytes(f);
            }
            case TRUNCATE -> out.write(frame, 0, r.nextInt(frame.length));
            case GARBAGE_BEFORE -> {
                out.writeBytes(bytes(r, 1 + r.nextInt(64)));
                out.writeBytes(frame);
            }
            case SPLICE -> {
                int from = r.nextInt(previous.length);
                out.write(previous, from, r.nextInt(previous.length - from + 1));
                out.writeBytes(frame);
            }
            case DUPLICATE -> {
                out.writeBytes(frame);
                out.writeBytes(frame);
            }
            case ZEROS_BEFORE -> {
                out.writeBytes(new byte[1 + r.nextInt(256)]);
                out.writeBytes(frame);
            }
        }
    }

    /** Read sizes as a transport produces them: mostly small, sometimes large, occasionally a single byte. */
    static int readSize(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> 1 + r.nextInt(16);
            case 1 -> 1 + r.nextInt(256);
            case 2 -> 1 + r.nextInt(4096);
            default -> 1 + r.nextInt(65_536);
        };
    }

    static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    static byte[] truncated(Random r, byte[] frame) {
        return Arrays.copyOf(frame, FrameHeader.SIZE + r.nextInt(frame.length - FrameHeader.SIZE));
    }
}
