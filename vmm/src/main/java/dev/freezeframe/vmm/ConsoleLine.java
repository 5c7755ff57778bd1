package dev.freezeframe.vmm;

/**
 * One line of the guest's serial console.
 *
 * @param index           0-based position in the console stream
 * @param sinceLaunchNanos when the line's end arrived, in nanoseconds since the VMM was launched
 * @param text            the line without its terminator (trailing carriage returns removed)
 * @param complete        false for a line cut short: by the VM ending mid-line, or by reaching {@link #MAX_CHARS}
 */
public record ConsoleLine(long index, long sinceLaunchNanos, String text, boolean complete) {
    /** A guest that never sends a newline cannot make a line longer than this; the rest continues on the next one. */
    public static final int MAX_CHARS = 16 * 1024;
}
