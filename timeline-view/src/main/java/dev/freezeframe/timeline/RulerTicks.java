package dev.freezeframe.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Ruler ticks on 1-2-5 steps with labels at least {@link #MIN_LABEL_PX} apart, labelled {@code +12.480 s}. */
final class RulerTicks {
    static final double MIN_LABEL_PX = 80;

    record Tick(long ns, double x, String label) {
    }

    private RulerTicks() {
    }

    /** The smallest 1-2-5 step (in ns) whose ticks are at least {@link #MIN_LABEL_PX} apart on {@code axis}. */
    static long step(TimeAxis axis) {
        double minNs = MIN_LABEL_PX * axis.nsPerPixel();
        long decade = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (decade * m >= minNs) return decade * m;
            }
            if (decade > Long.MAX_VALUE / 10) return decade;
            decade *= 10;
        }
    }

    static List<Tick> of(TimeAxis axis) {
        return of(axis, 0);
    }

    /**
     * Ticks on whole steps counted from {@code originNs} (a run time), labelled relative to it: {@code 0} there,
     * negative before — how the Compare tab reads time from its alignment point.
     */
    static List<Tick> of(TimeAxis axis, long originNs) {
        long step = step(axis);
        List<Tick> ticks = new ArrayList<>();
        long first = Math.floorDiv(axis.fromNs() - originNs, step) * step + originNs;
        if (first < axis.fromNs()) first += step;
        for (long t = first; t < axis.toNs(); t += step) {
            ticks.add(new Tick(t, axis.x(t), label(t - originNs, step)));
        }
        return ticks;
    }

    /** {@code +12.480 s}: run-relative seconds with as many decimals as {@code stepNs} needs. */
    static String label(long ns, long stepNs) {
        int decimals = 0;
        for (long s = 1_000_000_000L; s > stepNs && decimals < 9; s /= 10) decimals++;
        return format(ns, decimals);
    }

    /** {@code +12.480 s} with a fixed number of decimals (negative times read {@code -0.200 s}). */
    static String format(long ns, int decimals) {
        return String.format(Locale.ROOT, "%s%." + decimals + "f s", ns < 0 ? "-" : "+", Math.abs(ns) / 1e9);
    }

    /** A duration for tooltips: {@code 1.50 s}, {@code 12.4 ms}, {@code 830 µs}, {@code 120 ns}. */
    static String duration(long ns) {
        if (ns >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
        if (ns >= 1_000_000L) return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        if (ns >= 1_000L) return String.format(Locale.ROOT, "%.0f µs", ns / 1e3);
        return ns + " ns";
    }
}
