package dev.freezeframe.app.ui.compare;

import java.util.Locale;
import java.util.OptionalDouble;

/** How the compare view writes numbers: whole numbers grouped by thin spaces, others with 4 significant digits. */
final class Numbers {
    private Numbers() {
    }

    static String plain(OptionalDouble v) {
        return v.isPresent() ? plain(v.getAsDouble()) : "(absent)";
    }

    static String plain(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v).replace(',', '\u2009');
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String signed(OptionalDouble v) {
        if (v.isEmpty()) return "";
        double d = v.getAsDouble();
        return (d > 0 ? "+" : "") + plain(d);
    }

    static String ratio(OptionalDouble v) {
        if (v.isEmpty()) return "";
        double r = v.getAsDouble();
        double abs = Math.abs(r);
        String digits = abs >= 100 ? String.format(Locale.ROOT, "%,.0f", r).replace(',', '\u2009')
                : abs >= 10 ? String.format(Locale.ROOT, "%.1f", r) : String.format(Locale.ROOT, "%.3g", r);
        return digits + "×";
    }
}
