package dev.freezeframe.coordinator.wire.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link WireDecodeBenchmark} with JMH and prints one JSON object: throughputs, the same-run baselines, the
 * ratios against them and against the targets (decode >= 1 GB/s for 64 KiB frames, >= 5 M frames/s for small
 * ones). GB means 10^9 bytes of stream (headers included). {@code __quick} (Maven: {@code -Dbench.args=__quick}) shortens warm-up and measurement for a
 * smoke run; its figures are not for comparison.
 */
public final class WireBenchMain {
    private static final double TARGET_LARGE_GB_PER_S = 1.0;
    private static final double TARGET_SMALL_FRAMES_PER_S = 5_000_000;

    private static final String LOG = "target/bench/jmh-wire-decode.log";
    private static final List<String> BENCHMARKS = List.of("decodeLargeFrames", "baselineCrcLargeFrames",
            "decodeSmallFrames", "baselineCrcSmallFrames", "decodeAndDispatchSmallFrames");

    private WireBenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = args.length > 0 && args[0].equals("__quick");
        // before JMH: loads the wire classes into this JVM early, so a rebuild of target/classes during the run
        // (another build in the same tree) cannot break the report at the end
        double averageSmallFrameBytes = SmallStream.averageFrameBytes();
        Options options = new OptionsBuilder()
                .include(WireDecodeBenchmark.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xms512m", "-Xmx512m", "--sun-misc-unsafe-memory-access=allow")
                .verbosity(VerboseMode.NORMAL)
                .output(LOG) // JMH's own report goes to a file so stdout carries only the JSON
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Result<?>> byName = new HashMap<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            byName.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), r.getPrimaryResult());
        }
        for (String name : BENCHMARKS) {
            if (!byName.containsKey(name)) {
                System.err.println("benchmark " + name + " produced no result; JMH's report is in " + LOG);
                System.exit(1);
            }
        }
        System.out.println(json(byName, quick, averageSmallFrameBytes));
    }

    private static String json(Map<String, Result<?>> r, boolean quick, double averageSmallFrameBytes) {
        long largeStreamBytes = (long) WireDecodeBenchmark.LARGE_FRAMES * (16 + WireDecodeBenchmark.LARGE_PAYLOAD);
        double large = r.get("decodeLargeFrames").getScore() * largeStreamBytes / 1e9;
        double largeErr = r.get("decodeLargeFrames").getScoreError() * largeStreamBytes / 1e9;
        double largeBase = r.get("baselineCrcLargeFrames").getScore() * largeStreamBytes / 1e9;
        int n = WireDecodeBenchmark.SMALL_FRAMES;
        double small = r.get("decodeSmallFrames").getScore() * n;
        double smallErr = r.get("decodeSmallFrames").getScoreError() * n;
        double smallBase = r.get("baselineCrcSmallFrames").getScore() * n;
        double smallDispatch = r.get("decodeAndDispatchSmallFrames").getScore() * n;
        return String.format(Locale.ROOT, """
                {
                  "benchmark": "freezeframe-wire-decode",
                  "quick": %s,
                  "jvm": "%s",
                  "available_processors": %d,
                  "jmh": {"forks": 1, "warmup": "%s", "measurement": "%s", "mode": "throughput"},
                  "large_frames": {
                    "payload_bytes": %d,
                    "frames_per_op": %d,
                    "decode_gb_per_s": %.3f,
                    "decode_error_gb_per_s": %s,
                    "baseline": "CRC32.update over each payload of the same stream",
                    "baseline_gb_per_s": %.3f,
                    "ratio_vs_baseline": %.3f,
                    "target_gb_per_s": %.1f,
                    "ratio_vs_target": %.2f,
                    "meets_target": %s,
                    "meets_target_at_lower_bound": %s
                  },
                  "small_frames": {
                    "frames_per_op": %d,
                    "avg_frame_bytes": %.1f,
                    "decode_frames_per_s": %.0f,
                    "decode_error_frames_per_s": %s,
                    "baseline": "CRC32 reset+update+getValue per payload of the same stream",
                    "baseline_frames_per_s": %.0f,
                    "ratio_vs_baseline": %.3f,
                    "decode_and_dispatch_frames_per_s": %.0f,
                    "target_frames_per_s": %.0f,
                    "ratio_vs_target": %.2f,
                    "meets_target": %s,
                    "meets_target_at_lower_bound": %s
                  }
                }""",
                quick, System.getProperty("java.vm.name") + " " + Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                quick ? "1x1s" : "3x1s", quick ? "2x1s" : "5x1s",
                WireDecodeBenchmark.LARGE_PAYLOAD, WireDecodeBenchmark.LARGE_FRAMES, large, number(largeErr, "%.3f"), largeBase,
                large / largeBase, TARGET_LARGE_GB_PER_S, large / TARGET_LARGE_GB_PER_S,
                large >= TARGET_LARGE_GB_PER_S, atLowerBound(large, largeErr, TARGET_LARGE_GB_PER_S),
                n, averageSmallFrameBytes, small, number(smallErr, "%.0f"), smallBase, small / smallBase, smallDispatch,
                TARGET_SMALL_FRAMES_PER_S, small / TARGET_SMALL_FRAMES_PER_S, small >= TARGET_SMALL_FRAMES_PER_S,
                atLowerBound(small, smallErr, TARGET_SMALL_FRAMES_PER_S));
    }

    /** Whether the score minus its error half-width still meets the target; null without an error estimate. */
    private static String atLowerBound(double score, double error, double target) {
        return Double.isFinite(error) ? Boolean.toString(score - error >= target) : "null";
    }

    /** JSON has no NaN: JMH reports no error margin for fewer than 3 measurement iterations. */
    private static String number(double value, String format) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "null";
    }

    /** The small-frame stream's average frame size, for reading frames/s as bytes/s. */
    private static final class SmallStream {
        static double averageFrameBytes() {
            WireDecodeBenchmark.SmallFrames s = new WireDecodeBenchmark.SmallFrames();
            s.setUp();
            return (double) s.stream.length / WireDecodeBenchmark.SMALL_FRAMES;
        }
    }
}
