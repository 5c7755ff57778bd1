package dev.freezeframe.app.ui.shell;

import java.util.Locale;

/** How the workbench writes run times: relative to the run's start, with a sign and adaptive precision. */
public final class TimeText {
    private TimeText() {
    }

    /** {@code +12.480 s}, {@code +0.000 s}; negative times keep their sign. */
    public static String relative(long ns) {
        return (ns < 0 ? "−" : "+") + String.format(Locale.ROOT, "%.3f s", Math.abs(ns) / 1e9);
    }

    /** A duration: {@code 510.0 ms}, {@code 1.50 s}, {@code 2:05}, {@code 12 µs}. */
    public static String duration(long ns) {
        long a = Math.abs(ns);
        if (a < 1_000_000) return String.format(Locale.ROOT, "%d µs", a / 1000);
        if (a < 1_000_000_000) return String.format(Locale.ROOT, "%.1f ms", a / 1e6);
        if (a < 60_000_000_000L) return String.format(Locale.ROOT, "%.2f s", a / 1e9);
        long s = a / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** {@code 1 210 000} → {@code 1.21 M}, {@code 3 410} → {@code 3 410}. */
    public static String count(long n) {
        if (n >= 10_000_000) return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        if (n >= 1_000_000) return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        return String.format(Locale.ROOT, "%,d", n).replace(',', '\u2009');
    }
}
