package dev.freezeframe.vmm.qemu.gdb;

import dev.freezeframe.vmm.WatchKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed stop reply: what the gdbstub says when the target stops ({@code S}/{@code T}) or ends ({@code W}/{@code X}).
 * QEMU's forms: {@code T02thread:01;} after an interrupt or a pause, {@code T05thread:02;watch:ffffffff82a0b8c8;} on a
 * write watchpoint ({@code rwatch}/{@code awatch} for read/access), {@code W00} when QEMU exits.
 */
public sealed interface StopReply {

    /** SIGINT: stopped by an interrupt request or by a pause from elsewhere (QMP stop, a new gdb connection). */
    int SIGINT = 2;
    /** SIGTRAP: stopped by a breakpoint, single step or watchpoint. */
    int SIGTRAP = 5;

    /**
     * The target stopped.
     *
     * @param signal  the GDB signal number
     * @param thread  the thread (for QEMU: vCPU index + 1) that stopped, when given
     * @param watch   the watchpoint trigger, when a watchpoint stopped it
     * @param info    every {@code key:value} pair as sent, in order (register values keyed by hex number)
     */
    record Stopped(int signal, OptionalInt thread, Optional<WatchTrigger> watch, Map<String, String> info)
            implements StopReply {
        public Stopped {
            info = Map.copyOf(info);
        }
    }

    /** The process exited ({@code W}); for QEMU, the VM is going away. */
    record Exited(int status) implements StopReply {
    }

    /** The process was terminated by a signal ({@code X}). */
    record Terminated(int signal) implements StopReply {
    }

    /** A watchpoint trigger in a stop reply. */
    record WatchTrigger(WatchKind kind, long address) {
    }

    /** Whether a packet is a stop reply at all (as opposed to a command reply such as {@code OK}). */
    static boolean looksLikeStopReply(String packet) {
        return !packet.isEmpty() && "STWX".indexOf(packet.charAt(0)) >= 0 && packet.length() >= 3
                && Character.digit(packet.charAt(1), 16) >= 0 && Character.digit(packet.charAt(2), 16) >= 0;
    }

    /**
     * @throws GdbProtocolException for anything that is not a well-formed stop reply
     */
    static StopReply parse(String packet) {
        if (!looksLikeStopReply(packet)) {
            throw new GdbProtocolException("The gdbstub sent something that is not a stop reply where one was expected.",
                    packet);
        }
        int code = Integer.parseInt(packet.substring(1, 3), 16);
        String rest = packet.substring(3);
        return switch (packet.charAt(0)) {
            case 'W' -> new Exited(code);
            case 'X' -> new Terminated(code);
            case 'S' -> {
                if (!rest.isEmpty()) {
                    throw new GdbProtocolException("The gdbstub sent an S stop reply with trailing data.", packet);
                }
                yield new Stopped(code, OptionalInt.empty(), Optional.empty(), Map.of());
            }
            default -> parseT(code, rest, packet);
        };
    }

    private static Stopped parseT(int signal, String rest, String packet) {
        Map<String, String> info = new LinkedHashMap<>();
        OptionalInt thread = OptionalInt.empty();
        Optional<WatchTrigger> watch = Optional.empty();
        for (String pair : rest.split(";")) {
            if (pair.isEmpty()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new GdbProtocolException("The gdbstub sent a stop reply field without a name.", packet);
            }
            String key = pair.substring(0, colon);
            String value = pair.substring(colon + 1);
            info.put(key, value);
            switch (key) {
                case "thread" -> thread = OptionalInt.of(parseThreadId(value));
                case "watch" -> watch = Optional.of(new WatchTrigger(WatchKind.WRITE, GdbPackets.parseHex(value,
                        "watchpoint address")));
                case "rwatch" -> watch = Optional.of(new WatchTrigger(WatchKind.READ, GdbPackets.parseHex(value,
                        "watchpoint address")));
                case "awatch" -> watch = Optional.of(new WatchTrigger(WatchKind.ACCESS, GdbPackets.parseHex(value,
                        "watchpoint address")));
                default -> {
                    // registers (hex numbers), core, swbreak, hwbreak, ...: kept in info, not needed here
                }
            }
        }
        return new Stopped(signal, thread, watch, info);
    }

    /**
     * A thread id as QEMU writes it: {@code 02}, or {@code p01.02} in multiprocess form (the thread is the part after the
     * dot). Must be a positive number.
     */
    static int parseThreadId(String id) {
        String tid = id;
        if (id.startsWith("p")) {
            int dot = id.indexOf('.');
            if (dot < 0) {
                throw new GdbProtocolException("The gdbstub sent a process id where a thread id was expected.", id);
            }
            tid = id.substring(dot + 1);
        }
        long value = GdbPackets.parseHex(tid, "thread id");
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new GdbProtocolException("The gdbstub sent a thread id outside the range of vCPUs.", id);
        }
        return (int) value;
    }
}
