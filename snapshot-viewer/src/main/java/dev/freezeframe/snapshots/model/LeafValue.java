package dev.freezeframe.snapshots.model;

import java.math.BigInteger;
import java.util.List;

/**
 * A leaf's value as read from the report. {@code exact} is what a diff compares (every digit of a u64); {@code number}
 * is set for numeric values (ints, enums, bools as 1/0, floats, pointers) and feeds deltas and plots. A per-CPU leaf
 * carries one value per CPU in {@code perCpu} and its Σ (or the first CPU's text when not numeric) as itself.
 */
public record LeafValue(Kind kind, String exact, BigInteger integer, Double number, String display, String hex,
                        List<LeafValue> perCpu) {
    /** How the value reads. */
    public enum Kind { INT, ENUM, BOOL, FLOAT, TEXT, POINTER, UNAVAILABLE, OTHER }

    public LeafValue {
        perCpu = perCpu == null ? List.of() : List.copyOf(perCpu);
    }

    public boolean isNumeric() {
        return number != null;
    }

    public boolean isPerCpu() {
        return !perCpu.isEmpty();
    }

    /** The text for the Value column, hexadecimal when asked and the value is an integer. */
    public String shown(boolean inHex) {
        return inHex && hex != null ? hex : display;
    }
}
