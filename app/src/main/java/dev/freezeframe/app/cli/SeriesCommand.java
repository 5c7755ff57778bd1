package dev.freezeframe.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.app.run.MonitorSeriesReader;
import dev.freezeframe.app.run.MonitorSeriesReader.Point;
import dev.freezeframe.app.run.MonitorSeriesReader.Series;
import dev.freezeframe.persistence.Archive;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe series RUN}: the live monitor's series of a run, summarised or as every point. */
@Command(name = "series", mixinStandardHelpOptions = true,
        description = "The live monitor's series of an archived run (run queues, DSQ depths, sched_ext event "
                + "counters, oldest runnable age, --monitor fields): name, unit, points, min, max, last.")
public final class SeriesCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    long runId;

    @Option(names = "--name", paramLabel = "GLOB",
            description = "Only series whose name matches, e.g. 'cpu*/nr_running' or 'field/*' (* also spans /).")
    String name;

    @Option(names = "--json", description = "Print [{name, unit, points: [[at_ns, value], ...]}] as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        java.util.function.Predicate<String> wanted = name == null ? n -> true : glob(name);
        try (Archive archive = ArchiveCommands.open(spec)) {
            ArchiveCommands.requireRun(archive, runId);
            List<Series> series = MonitorSeriesReader.read(archive, runId, wanted);
            if (json) {
                ArrayNode all = JSON.createArrayNode();
                for (Series s : series) {
                    ObjectNode o = all.addObject();
                    o.put("name", s.name());
                    o.put("unit", s.unit());
                    ArrayNode points = o.putArray("points");
                    for (Point p : s.points()) points.addArray().add(p.atNs()).add(p.value());
                }
                out.println(JSON.writeValueAsString(all));
            } else if (series.isEmpty()) {
                out.println("run " + runId + " has no monitor series" + (name == null ? " (was it run with"
                        + " --no-monitor, or did the scheduler never attach?)" : " named like " + name));
            } else {
                out.printf("%-40s %-7s %7s %14s %14s %14s%n", "series", "unit", "points", "min", "max", "last");
                for (Series s : series) {
                    out.printf(Locale.ROOT, "%-40s %-7s %7d %14s %14s %14s%n", s.name(), s.unit(), s.points().size(),
                            number(s.min()), number(s.max()), number(s.last()));
                }
            }
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }

    /** {@code *} matches any run of characters, {@code ?} one; everything else itself. */
    static java.util.function.Predicate<String> glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("(?=[*?])|(?<=[*?])")) {
            regex.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> java.util.regex.Pattern.quote(part);
            });
        }
        return java.util.regex.Pattern.compile(regex.toString()).asMatchPredicate();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
