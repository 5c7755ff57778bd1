package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload metrics from the real guest kit: the latency probe's distribution, expectations deciding the verdict, the
 * archive and `runs show`, and `freezeframe ab` judging a scheduler against itself and against a worse configuration.
 * Steps are short (1.5-2 s) so the whole class stays within a few minutes of guest time under TCG.
 */
class WorkloadMetricsIT {
    private static final String AB_SCENARIO = """
            {"schema": 1, "name": "ab-short", "description": "CPU load beside a latency probe",
             "steps": [{"name": "load", "duration_ms": 2000, "workload": {"kind": "cpu", "workers": 3, "probes": 1}}]}
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        GuestKitForTests.require();
    }

    private GuestCli cli(String... args) {
        return GuestCli.run(dir, args);
    }

    private static Map<String, Double> metrics(JsonNode run) {
        return GuestCli.metrics(run);
    }

    /** "key verdict" of the compared metrics whose verdict passes {@code which}; every metric has 3 runs a side. */
    private static List<String> metricsWhere(JsonNode comparison, java.util.function.Predicate<String> which) {
        List<String> keys = new ArrayList<>();
        for (JsonNode metric : comparison.get("metrics")) {
            assertEquals(6, metric.get("a").size() + metric.get("b").size(), "3 runs a side: " + metric);
            String verdict = metric.get("verdict").asText();
            if (which.test(verdict)) keys.add(metric.get("key").asText() + " " + verdict);
        }
        return keys;
    }

    @Test
    void theLatencyProbeReportsADistributionAndAMissedExpectationFailsTheRunNamingTheMetric() throws Exception {
        Path scenario = Files.writeString(dir.resolve("probe.json"), """
                {"schema": 1, "name": "probe", "steps": [
                  {"name": "quiet", "duration_ms": 1500, "workload": {"kind": "latency", "probes": 1}},
                  {"name": "loaded", "duration_ms": 1500, "workload": {"kind": "cpu", "workers": 2, "probes": 1}}],
                 "expect": [{"metric": "wake_samples", "step": "quiet", "above": 100},
                            {"metric": "wake_p50_us", "step": "quiet", "below": 0.001}]}""");
        Path junit = dir.resolve("report.xml");
        GuestCli run = cli("run", "--scheduler", "scx_simple", "--scenario", scenario.toString(), "--json", "--junit",
                junit.toString());

        JsonNode result = run.lastJson();
        assertEquals(1, run.exit(), run.err());
        assertEquals("failed_expectation", result.get("verdict").asText());
        assertTrue(result.get("reason").asText().startsWith("step quiet, latency wake_p50_us = "),
                result.get("reason").asText());
        Map<String, Double> m = metrics(result);
        double samples = m.get("quiet/latency/wake_samples");
        assertTrue(samples > 100 && samples <= 1600, "about one wake-up per ms: " + samples);
        double p50 = m.get("quiet/latency/wake_p50_us"), p90 = m.get("quiet/latency/wake_p90_us");
        double p99 = m.get("quiet/latency/wake_p99_us"), max = m.get("quiet/latency/wake_max_us");
        assertTrue(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max, m.toString());
        assertTrue(m.get("loaded/cpu/rate") > 0 && m.containsKey("loaded/cpu/spread_pct"), m.toString());
        assertTrue(m.get("loaded/latency/wake_samples") > 0, m.toString());
        assertTrue(Files.readString(junit).contains("<property name=\"quiet/latency/wake_p99_us\""),
                "JUnit carries the metrics");

        GuestCli show = cli("runs", "show", result.get("run_id").asText());
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("workload metrics") && show.out().contains("wake_p99_us")
                && show.out().contains("failed_expectation"), show.out());
    }

    /** {@code freezeframe ab} of the two schedulers, 3 runs a side, on the short A/B scenario; its output is kept. */
    private GuestCli ab(String a, String b) throws Exception {
        Path scenario = Files.writeString(dir.resolve("ab.json"), AB_SCENARIO);
        GuestCli ab = cli("ab", "--scheduler", a, "--scheduler", b, "--scenario", scenario.toString(), "--repeat", "3",
                "--json");
        System.out.println(ab.err()); // the runs and their verdicts, in the failsafe report
        System.out.println(ab.out());
        return ab;
    }

    /**
     * A scheduler against itself: nothing may come out better or worse. "noisy" is allowed: a TCG guest on a busy
     * host varies up to 4x in throughput between runs, and saying so is the honest answer for 3 runs a side.
     */
    @Test
    void abOfScxSimpleAgainstItselfFindsNothingBetterOrWorse() throws Exception {
        GuestCli ab = ab("scx_simple", "scx_simple");

        assertEquals(0, ab.exit(), ab.out() + ab.err());
        JsonNode result = ab.lastJson();
        assertEquals(3, result.get("a").get("runs").size());
        assertEquals(List.of(), metricsWhere(result, v -> !Set.of("no change", "noisy").contains(v)), ab.out());
    }

    /**
     * scx_qmap's default 20 ms slice against a 1 ms one: the probe waits behind CPU hogs for a whole slice, a 2-5x
     * longer wake-up. (Throughput, which a tiny slice hurts, varies too much between runs of a TCG guest on a busy
     * host to judge with 3 runs; the wake-up delay is set by the slice and survives that noise.)
     */
    @Test
    void abOfALongerTimeSliceFlagsTheWorseWakeUpLatencyWithExitCodeOne() throws Exception {
        GuestCli ab = ab("scx_qmap -s 1000", "scx_qmap");

        assertEquals(1, ab.exit(), ab.out() + ab.err());
        JsonNode result = ab.lastJson();
        assertTrue(result.get("worse").asBoolean());
        List<String> worse = metricsWhere(result, "worse"::equals);
        assertTrue(worse.stream().anyMatch(k -> k.startsWith("load/latency/")), worse + "\n" + ab.out());
    }
}
