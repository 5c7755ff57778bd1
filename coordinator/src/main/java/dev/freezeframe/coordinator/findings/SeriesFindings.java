package dev.freezeframe.coordinator.findings;

import dev.freezeframe.coordinator.findings.Finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules over what a run recorded between its snapshots: the live monitor's series (docs/monitor.md) and the harness's
 * watch events. A DSQ whose depth only grows over the run, CPUs whose sched_ext run queues stay far apart, a task's wait
 * that never comes back to zero, a hot watch the harness disarmed. Pure: series and events in, findings out; a run
 * without a monitor gives none of the series rules.
 */
public final class SeriesFindings {
    /** Points a series needs before a trend is read from it (a few seconds at the monitor's 10 Hz). */
    static final int MIN_POINTS = 20;
    /** A DSQ grows: each quarter of the run deeper on average than the one before, the last by at least this. */
    static final double GROWTH_MIN_TASKS = 4;
    /** A wait that never comes back: at the end at least this long and not once back to zero for at least as long. */
    static final long STUCK_WAIT_MS = 1000;
    private static final Pattern DSQ = Pattern.compile("dsq/.+|cpu\\d+/local_dsq");
    private static final Pattern NR_RUNNING = Pattern.compile("cpu(\\d+)/nr_running");
    private static final Pattern OLDEST = Pattern.compile("cpu(\\d+)/oldest_runnable_ms");

    /** One monitor series: its name ({@code cpu0/nr_running}), and the times (run ms) and values of its points. */
    public record Series(String name, long[] atMs, double[] values) {
        public Series {
            if (atMs.length != values.length) throw new IllegalArgumentException("times and values differ in length");
        }
    }

    /** One harness event of the run: its kind ({@code auto_disarmed}), text and time (run ms). */
    public record Note(String kind, String text, long atMs) {
    }

    private SeriesFindings() {
    }

    /** The findings of the series and notes, in no particular order ({@link Findings#of} sorts). */
    public static List<Finding> of(List<Series> series, List<Note> notes) {
        List<Finding> out = new ArrayList<>();
        for (Series s : series) {
            if (DSQ.matcher(s.name()).matches()) growing(s, out);
            Matcher oldest = OLDEST.matcher(s.name());
            if (oldest.matches()) stuckWait(s, oldest.group(1), out);
        }
        imbalance(series, out);
        for (Note n : notes) {
            if (n.kind().equals("auto_disarmed")) {
                out.add(new Finding(Severity.WARNING, "watch_auto_disarmed", "a hot watch was disarmed: " + n.text(),
                        null, null, n.atMs()));
            }
        }
        return out;
    }

    /** Each quarter of the series' span deeper on average than the one before, and the last clearly deeper. */
    private static void growing(Series s, List<Finding> out) {
        double[] q = quarterMeans(s);
        if (q == null) return;
        for (int i = 1; i < 4; i++) if (!(q[i] > q[i - 1])) return;
        if (q[3] - q[0] < GROWTH_MIN_TASKS) return;
        long spanMs = s.atMs()[s.atMs().length - 1] - s.atMs()[0];
        out.add(new Finding(Severity.WARNING, "dsq_growing", s.name().replace("dsq/", "DSQ ") + " only grows: "
                + Math.round(q[0]) + " → " + Math.round(q[3]) + " tasks on average from the first to the last quarter"
                + " of " + spanMs / 1000.0 + " s (live monitor)", null, null, s.atMs()[s.atMs().length - 1]));
    }

    /** The mean of each quarter of the series' time span, or null when the series is too short to say. */
    private static double[] quarterMeans(Series s) {
        int n = s.values().length;
        if (n < MIN_POINTS) return null;
        long from = s.atMs()[0];
        long span = s.atMs()[n - 1] - from;
        if (span <= 0) return null;
        double[] sum = new double[4];
        int[] count = new int[4];
        for (int i = 0; i < n; i++) {
            int quarter = (int) Math.min(3, 4 * (s.atMs()[i] - from) / span);
            sum[quarter] += s.values()[i];
            count[quarter]++;
        }
        double[] mean = new double[4];
        for (int i = 0; i < 4; i++) {
            if (count[i] == 0) return null;
            mean[i] = sum[i] / count[i];
        }
        return mean;
    }

    /**
     * The CPU's oldest runnable wait at the end of the series, when it has not been back to zero (nothing waiting) for
     * at least {@link #STUCK_WAIT_MS}: some task queued there stopped getting the CPU and never got it back.
     */
    private static void stuckWait(Series s, String cpu, List<Finding> out) {
        int n = s.values().length;
        if (n < MIN_POINTS) return;
        int start = n - 1; // the first point of the trailing run of non-zero waits
        while (start > 0 && s.values()[start - 1] > 0) start--;
        double last = s.values()[n - 1];
        long since = s.atMs()[start];
        if (last < STUCK_WAIT_MS || s.atMs()[n - 1] - since < STUCK_WAIT_MS) return;
        out.add(new Finding(Severity.WARNING, "wait_never_ends", "cpu " + cpu + ": the oldest runnable task waited "
                + Math.round(last) + " ms at the end and the wait never came back to zero after " + since / 1000.0
                + " s (live monitor)", null, null, s.atMs()[n - 1]));
    }

    /** CPUs whose sched_ext task counts stay far apart over the whole run (by their means). */
    private static void imbalance(List<Series> series, List<Finding> out) {
        String hiCpu = null;
        String loCpu = null;
        double hi = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        int cpus = 0;
        for (Series s : series) {
            Matcher m = NR_RUNNING.matcher(s.name());
            if (!m.matches() || s.values().length < MIN_POINTS) continue;
            cpus++;
            double mean = 0;
            for (double v : s.values()) mean += v;
            mean /= s.values().length;
            if (mean > hi) {
                hi = mean;
                hiCpu = m.group(1);
            }
            if (mean < lo) {
                lo = mean;
                loCpu = m.group(1);
            }
        }
        if (cpus < 2 || hi - lo < Findings.IMBALANCE_MIN || hi < 3 * (lo + 1)) return;
        out.add(new Finding(Severity.INFO, "cpu_imbalance", String.format(java.util.Locale.ROOT,
                "cpu %s ran %.1f sched_ext tasks on average, cpu %s %.1f (live monitor)", hiCpu, hi, loCpu, lo), null,
                null, -1));
    }
}
