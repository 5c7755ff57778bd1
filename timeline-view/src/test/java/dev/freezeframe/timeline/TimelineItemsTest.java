package dev.freezeframe.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Frozen spans and step bands derived from lifecycle and step events. */
class TimelineItemsTest {
    private static TimelineItems.Point p(long at, String kind, String detail) {
        return new TimelineItems.Point(at, at, kind, kind, detail);
    }

    @Test
    void aFreezeOpensASpanAndItsResumeClosesIt() {
        List<TimelineItems.FrozenSpan> spans = TimelineItems.frozenSpans(List.of(
                p(100, "sys_ready", null),
                p(1_000, "frozen", "{\"guest_clock\": \"paused\"}"),
                p(2_500, "resumed", "{\"frozen_at_ns\": 1000, \"frozen_ns\": 1500, \"guest_clock\": \"paused\"}"),
                p(5_000, "frozen", null),
                p(6_000, "resumed", "{\"frozen_at_ns\": 5000, \"frozen_ns\": 1000, \"guest_clock\": \"ran\"}")),
                9_000);
        assertEquals(List.of(new TimelineItems.FrozenSpan(1_000, 2_500, false, true),
                new TimelineItems.FrozenSpan(5_000, 6_000, false, false)), spans);
        assertEquals(1_500, spans.getFirst().durationNs());
    }

    @Test
    void aSpanStillFrozenRunsToTheRunsEnd() {
        assertEquals(List.of(new TimelineItems.FrozenSpan(7_000, 9_000, true, true)),
                TimelineItems.frozenSpans(List.of(p(7_000, "frozen", null)), 9_000));
    }

    @Test
    void aResumeWhoseFreezeWasNotRecordedStartsAtFrozenAt() {
        assertEquals(List.of(new TimelineItems.FrozenSpan(3_000, 4_000, false, true)),
                TimelineItems.frozenSpans(List.of(p(4_000, "resumed",
                        "{\"frozen_at_ns\": 3000, \"frozen_ns\": 1000, \"guest_clock\": \"paused\"}")), 9_000));
    }

    @Test
    void eachStepLastsUntilTheNextOneStarts() {
        List<TimelineItems.Step> steps = TimelineItems.stepsFromStarts(List.of(
                new TimelineItems.StepStart(500, 2, "pingpong"),
                new TimelineItems.StepStart(100, 1, "cpu")), 900);
        assertEquals(List.of(new TimelineItems.Step(1, "cpu", 100, 500), new TimelineItems.Step(2, "pingpong", 500, 900)),
                steps, "numbered as the engine numbers them (1..N), whatever their order of arrival");
    }
}
