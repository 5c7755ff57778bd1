package dev.freezeframe.snapshots.model;

import java.math.BigInteger;
import java.util.List;

/**
 * A leaf's value as read from the report. {@code exact} is what a diff compares (every digit of a u64); {@code number}
 * is set for numeric values (ints, enums, bools as 1/0, floats, pointers) and feeds deltas and plots. A per-CPU leaf
 * carries one value per CPU in {@code perCpu} and its Σ (or the first CPU's text when not numeric) as itself. An
 * integer may leave {@code display} and {@code hex} null: they are then made from {@code integer} when asked for.
 */
public record LeafValue(Kind kind, String exact, BigInteger integer, Double number, String display, String hex,
                        List<LeafValue> perCpu) {
    /** How the value reads. */
    public enum Kind { INT, ENUM, BOOL, FLOAT, TEXT, POINTER, UNAVAILABLE, OTHER }

    public LeafValue {
        perCpu = perCpu == null ? List.of() : List.copyOf(perCpu);
    }

    /** The text for the Value column in decimal. */
    @Override
    public String display() {
        return display != null ? display : integer != null ? ValueText.integer(integer) : "";
    }

    /** The text in hexadecimal, or null when the value is no integer. */
    @Override
    public String hex() {
        return hex != null ? hex : kind == Kind.INT && integer != null && integer.signum() >= 0
                ? ValueText.hex(integer, 64) : null;
    }

    public boolean isNumeric() {
        return number != null;
    }

    public boolean isPerCpu() {
        return !perCpu.isEmpty();
    }

    /** The text for the Value column, hexadecimal when asked and the value is an integer. */
    public String shown(boolean inHex) {
        String h = inHex ? hex() : null;
        return h != null ? h : display();
    }
}
