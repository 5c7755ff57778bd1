package dev.freezeframe.coordinator.metrics;

import dev.freezeframe.coordinator.scenario.Expectation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks a scenario's expectations against what a run measured. */
public final class Expectations {
    private Expectations() {
    }

    /**
     * The first expectation the measurements miss, in words ("step probe, latency wake_p99_us = 8123.4, expected
     * below 5000"), or empty when all hold. An expectation nothing measured is a miss too: an assertion that cannot
     * be checked must not pass silently.
     */
    public static Optional<String> firstMiss(List<Expectation> expectations, List<WorkloadMetric> measured) {
        for (Expectation e : expectations) {
            List<WorkloadMetric> matching = measured.stream()
                    .filter(m -> m.metric().key().equals(e.metric()))
                    .filter(m -> e.step() == null || m.stepName().equals(e.step()))
                    .filter(m -> e.group() == null || m.group().equals(e.group()))
                    .toList();
            if (matching.isEmpty()) return Optional.of(e.describe() + ": the run did not measure it");
            for (WorkloadMetric m : matching) {
                boolean tooHigh = e.below() != null && !(m.value() < e.below());
                boolean tooLow = e.above() != null && !(m.value() > e.above());
                if (tooHigh || tooLow) {
                    return Optional.of("step " + m.stepName() + ", " + m.group() + " " + m.metric().key() + " = "
                            + format(m.value()) + ", expected " + e.describe());
                }
            }
        }
        return Optional.empty();
    }

    static String format(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }
}
