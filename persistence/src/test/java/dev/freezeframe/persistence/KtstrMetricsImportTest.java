package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WholeRunMetrics;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ktstr sidecars' whole-run stats become run metrics that compare with our runs (fixtures in ktstr/metrics). */
class KtstrMetricsImportTest {
    @TempDir
    Path dir;

    private static Path fixture() throws Exception {
        return Path.of(KtstrMetricsImportTest.class.getResource("/ktstr/metrics").toURI());
    }

    @Test
    void matchingStatsBecomeWholeRunMetricsAndOthersAreLeftOut() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("k.db"))) {
            KtstrImporter.Result result = new KtstrImporter(archive).importDirectory(fixture());
            assertEquals(2, result.imported().size(), result.toString());

            long steady = archive.runs().list(RunFilter.ALL.withScheduler("scx_simple")).getFirst().id();
            assertEquals(List.of(
                    WholeRunMetrics.of(MetricName.ITERATIONS, 1234567),
                    WholeRunMetrics.of(MetricName.WAKE_P50, 96.25),
                    WholeRunMetrics.of(MetricName.WAKE_P99, 812.5)), archive.runs().metrics(steady),
                    "spread, gaps and run delays are measured differently from ours and are not mapped");

            // zero wake delays are "not measured"; a non-number is left out with a note the user sees
            long spin = archive.runs().list(RunFilter.ALL.withScheduler("scx_qmap")).getFirst().id();
            assertTrue(archive.runs().metrics(spin).isEmpty(), archive.runs().metrics(spin).toString());
            String message = result.imported().stream().filter(i -> i.file().toString().contains("spin_only"))
                    .findFirst().orElseThrow().message();
            assertTrue(message.contains("left out the sidecar's stats.total_iterations = \"many\""), message);
        }
    }

    @Test
    void anImportedRunComparesWithOurRunsOnWholeRunValues() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("c.db"))) {
            new KtstrImporter(archive).importDirectory(fixture());
            long ktstr = archive.runs().list(RunFilter.ALL.withScheduler("scx_simple")).getFirst().id();
            long ours = TestRuns.createRun(archive, "scx_qmap", Instant.parse("2026-12-02T10:00:00Z"));
            archive.recordMetrics(ours, List.of(
                    new WorkloadMetric(1, "warm", "cpu", MetricName.ITERATIONS, 1_000_000),
                    new WorkloadMetric(1, "warm", "cpu", MetricName.RATE, 333_000),
                    new WorkloadMetric(2, "probe", "cpu", MetricName.ITERATIONS, 234_567),
                    new WorkloadMetric(2, "probe", "latency", MetricName.WAKE_P50, 90),
                    new WorkloadMetric(2, "probe", "latency", MetricName.WAKE_P99, 2400)));

            WholeRunMetrics.Sides sides = WholeRunMetrics.forComparison(List.of(archive.runs().metrics(ktstr)),
                    List.of(archive.runs().metrics(ours)));
            assertTrue(sides.folded());
            List<MetricComparison.Row> rows = MetricComparison.compare(sides.a(), sides.b(),
                    MetricComparison.Thresholds.DEFAULT);
            assertEquals(List.of("run/all/iterations", "run/all/wake_p50_us", "run/all/wake_p99_us"),
                    rows.stream().map(MetricComparison.Row::key).toList());
            assertEquals(1_234_567, rows.get(0).meanB(), 1e-9, "our iterations summed over steps and groups");
            assertEquals(MetricComparison.Verdict.NO_CHANGE, rows.get(0).verdict());
            assertEquals(MetricComparison.Verdict.WORSE, rows.get(2).verdict(), "812 us → 2400 us p99");
        }
    }
}
