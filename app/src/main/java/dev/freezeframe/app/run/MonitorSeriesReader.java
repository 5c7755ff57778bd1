package dev.freezeframe.app.run;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.monitor.MonitorSeries;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The live monitor's series of an archived run, read back from its stats lane (docs/monitor.md). */
public final class MonitorSeriesReader {
    private static final int PAGE = 4096;

    /** One series: its name ({@code cpu0/nr_running}), unit, and points in time order. */
    public record Series(String name, String unit, List<Point> points) {
        public double min() {
            return points.stream().mapToDouble(Point::value).min().orElse(Double.NaN);
        }

        public double max() {
            return points.stream().mapToDouble(Point::value).max().orElse(Double.NaN);
        }

        public double last() {
            return points.isEmpty() ? Double.NaN : points.getLast().value();
        }
    }

    /** A value at a run time. */
    public record Point(long atNs, double value) {
    }

    private MonitorSeriesReader() {
    }

    /** Every monitor series of {@code runId} whose name {@code wanted} accepts, in the order first seen. */
    public static List<Series> read(Archive archive, long runId, Predicate<String> wanted) {
        Map<String, List<Point>> byName = new LinkedHashMap<>();
        long from = 0;
        while (true) {
            EventPage page = archive.events().after(runId, Set.of(Lane.STATS), from, PAGE);
            for (RunEvent e : page.events()) {
                from = e.seq() + 1;
                if (e.value() == null) continue;
                MonitorSeries.nameOf(e.kind()).filter(wanted).ifPresent(name ->
                        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(new Point(e.atNanos(), e.value())));
            }
            if (page.atEnd() || page.events().isEmpty()) break;
        }
        List<Series> out = new ArrayList<>();
        byName.forEach((name, points) -> out.add(new Series(name, MonitorSeries.unitOf(name), List.copyOf(points))));
        return out;
    }
}
