package dev.freezeframe.app.cli;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.metrics.WholeRunMetrics;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code freezeframe compare --runs A... --against B...}: are B's workload metrics worse than A's? */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare the workload metrics of two groups of archived runs: A (the baseline, --runs) and B"
                + " (--against). Per metric: the means, the change, Welch's t-test (or, below 3 runs a side, whether"
                + " the ranges overlap) and a verdict: better, worse, no change, noisy (a large change the noise"
                + " hides), changed (a metric with no better direction) or missing.",
                "Exit code: 0 nothing got worse, 1 some metric got worse, 64 usage error."})
public final class CompareCommand implements Callable<Integer> {
    public static final int EXIT_WORSE = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", required = true, arity = "1..*", paramLabel = "ID", description = "Side A: the baseline runs.")
    List<Long> runsA;

    @Option(names = "--against", required = true, arity = "1..*", paramLabel = "ID", description = "Side B: the runs"
            + " to judge against A.")
    List<Long> runsB;

    @Mixin
    ComparisonOptions comparison;

    @Override
    public Integer call() {
        MetricComparison.Thresholds t = comparison.thresholds();
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            Side a = side(archive, runsA, "--runs");
            Side b = side(archive, runsB, "--against");
            return report(out, a, b, t, comparison.json);
        }
    }

    /** Prints the comparison of two sides and returns the exit code. */
    static int report(PrintWriter out, Side a, Side b, MetricComparison.Thresholds t, boolean json) {
        // a run imported from ktstr has whole-run figures only: then every run is compared on those
        WholeRunMetrics.Sides sides = WholeRunMetrics.forComparison(a.metrics(), b.metrics());
        List<MetricComparison.Row> rows = MetricComparison.compare(sides.a(), sides.b(), t);
        if (!json && sides.folded()) {
            out.println("A run imported from ktstr has whole-run figures only: every run is compared on its whole-run"
                    + " values (run/all/…).");
        }
        if (json) out.println(ComparisonText.json(a.text(), b.text(), t, rows));
        else ComparisonText.print(out, a.text(), b.text(), t, rows);
        out.flush();
        return MetricComparison.anyWorse(rows) ? EXIT_WORSE : FreezeframeCommand.EXIT_OK;
    }

    /** One side's runs with their metrics. */
    record Side(ComparisonText.Side text, List<List<WorkloadMetric>> metrics) {
    }

    static Side side(Archive archive, List<Long> ids, String option) {
        List<Long> unique = new ArrayList<>(new LinkedHashSet<>(ids));
        List<List<WorkloadMetric>> metrics = new ArrayList<>();
        LinkedHashSet<String> labels = new LinkedHashSet<>();
        for (long id : unique) {
            ArchivedRun run = archive.runs().detail(id).map(d -> d.run()).orElseThrow(() -> AppException.usage(
                    option + ": there is no run " + id + " in " + archive.path() + " (see `freezeframe runs list`)."));
            List<WorkloadMetric> m = archive.runs().metrics(id);
            if (m.isEmpty()) {
                throw AppException.usage(option + ": run " + id + " has no workload metrics (it ended before a step"
                        + " finished, or was recorded before Freezeframe measured workloads).");
            }
            metrics.add(m);
            labels.add((run.scheduler() + " " + run.schedulerArgs()).strip() + " under " + run.scenario());
        }
        return new Side(new ComparisonText.Side(String.join(" | ", labels), unique), metrics);
    }
}
