package dev.freezeframe.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freezeframe.coordinator.scenario.Expectation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
    private static final List<WorkloadMetric> MEASURED = List.of(
            new WorkloadMetric(1, "warm", "cpu", MetricName.SPREAD, 4.0),
            new WorkloadMetric(2, "load", "cpu", MetricName.SPREAD, 30.0),
            new WorkloadMetric(2, "load", "cpu", MetricName.RATE, 5e6));

    @Test
    void withoutAStepEveryStepMustHoldAndTheFirstMissIsNamed() {
        assertEquals(Optional.of("step load, cpu spread_pct = 30.00, expected spread_pct below 10"),
                Expectations.firstMiss(List.of(new Expectation("spread_pct", null, null, 10.0, null)), MEASURED));
        assertEquals(Optional.empty(),
                Expectations.firstMiss(List.of(new Expectation("spread_pct", "warm", "cpu", 10.0, null)), MEASURED));
    }

    @Test
    void lowerBoundsAndBoundsOnBothSides() {
        assertEquals(Optional.empty(), Expectations.firstMiss(
                List.of(new Expectation("rate", "load", null, 1e7, 1e6)), MEASURED));
        assertEquals(Optional.of("step load, cpu rate = 5000000, expected rate above 10000000 (step load)"),
                Expectations.firstMiss(List.of(new Expectation("rate", "load", null, null, 1e7)), MEASURED));
    }

    @Test
    void theBoundItselfIsAMiss() {
        assertEquals(true, Expectations.firstMiss(
                List.of(new Expectation("spread_pct", "warm", null, 4.0, null)), MEASURED).isPresent());
    }
}
