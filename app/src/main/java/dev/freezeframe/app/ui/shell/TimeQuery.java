package dev.freezeframe.app.ui.shell;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run time typed in the palette's {@code t } mode. Absolute times read the way the workbench writes them:
 * {@code 12.5}, {@code +12.480 s}, {@code 450ms}, {@code 2m}; seconds when no unit is given. Relative to the cursor:
 * {@code c+200ms}, {@code c-1.5s}.
 */
public final class TimeQuery {
    private static final Pattern FORM = Pattern.compile(
            "(c\\s*)?([+-])?\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(ns|us|µs|ms|s|m|min)?");

    private TimeQuery() {
    }

    /** The time meant by {@code text} with the cursor at {@code cursorNs}; a {@link Problem} says why not. */
    public static long parse(String text, long cursorNs) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new Problem("'" + text.strip() + "' is not a time: type 12.5, 450ms, +12.480 s, or c+200ms from"
                    + " the cursor");
        }
        boolean relative = m.group(1) != null;
        boolean negative = "-".equals(m.group(2));
        if (negative && !relative) throw new Problem("a run time cannot be negative; from the cursor, type c-1s");
        long unitNs = switch (m.group(4) == null ? "s" : m.group(4)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "m", "min" -> 60_000_000_000L;
            default -> 1_000_000_000L;
        };
        BigDecimal ns = new BigDecimal(m.group(3)).multiply(BigDecimal.valueOf(unitNs));
        if (ns.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) throw new Problem("that time is too far");
        long amount = ns.longValue();
        return relative ? Math.max(0, cursorNs + (negative ? -amount : amount)) : amount;
    }

    /** Text that is not a time, with a sentence saying what to type. */
    public static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message);
        }
    }
}
