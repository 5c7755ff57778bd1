package dev.freezeframe.vmm.qemu.gdb;

import dev.freezeframe.vmm.VmmException;

/**
 * The gdbstub sent something that breaks the GDB remote protocol (bad framing, bad checksum, a reply of the wrong
 * shape) or refused a request. Kind {@link VmmException.Kind#CONTROL_FAILED}; the message is a sentence, the offending
 * packet (shortened) is kept for the log.
 */
public final class GdbProtocolException extends VmmException {

    private static final int SHOWN = 120;

    private final String packet;

    public GdbProtocolException(String userMessage, String packet) {
        this(userMessage, packet, null);
    }

    public GdbProtocolException(String userMessage, String packet, Throwable cause) {
        super(Kind.CONTROL_FAILED, userMessage, cause);
        this.packet = packet == null ? "" : shorten(packet);
    }

    /** The packet (or bytes) that could not be understood, shortened for logs; may be empty. */
    public String packet() {
        return packet;
    }

    static String shorten(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "…(" + s.length() + " chars)";
    }
}
