package dev.freezeframe.snapshots.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/** How numbers read in the viewer: integers with thin-space digit groups, deltas signed with ▲/▼. */
public final class ValueText {
    private static final char THIN = '\u2009';

    private ValueText() {
    }

    public static String integer(BigInteger v) {
        BigInteger a = v.abs();
        String digits = a.bitLength() < 63 ? Long.toString(a.longValue()) : a.toString();
        StringBuilder out = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        if (v.signum() < 0) out.append('-');
        int lead = digits.length() % 3;
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (i - lead) % 3 == 0) out.append(THIN);
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    /** Two's-complement hex of the value in {@code bits} bits ({@code -1} in 32 bits is {@code 0xffffffff}). */
    public static String hex(BigInteger v, int bits) {
        BigInteger u = v.signum() >= 0 ? v : v.add(BigInteger.ONE.shiftLeft(Math.max(8, bits)));
        return "0x" + (u.bitLength() < 63 ? Long.toHexString(u.longValue()) : u.toString(16));
    }

    /** A double as the viewer writes it: integers exactly, fractions short. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) return integer(BigInteger.valueOf((long) v));
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** {@code ▲ +1 133}, {@code ▼ −20}, or {@code ±0}. */
    public static String delta(BigDecimal d) {
        int s = d.signum();
        if (s == 0) return "±0";
        BigDecimal a = d.abs();
        String body = a.stripTrailingZeros().scale() <= 0 ? integer(a.toBigInteger())
                : a.round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
        return s > 0 ? "▲ +" + body : "▼ \u2212" + body;
    }
}
