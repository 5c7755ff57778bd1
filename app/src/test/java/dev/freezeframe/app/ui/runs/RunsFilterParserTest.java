package dev.freezeframe.app.ui.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.persistence.RunFilter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunsFilterParserTest {
    // Wednesday 2026-12-09 15:00 UTC
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-09T15:00:00Z"), ZoneOffset.UTC);
    private final RunsFilterParser parser = new RunsFilterParser(clock);

    private RunFilter valid(String text) {
        return assertInstanceOf(RunsFilterParser.Valid.class, parser.parse(text)).filter();
    }

    private RunsFilterParser.Invalid invalid(String text) {
        return assertInstanceOf(RunsFilterParser.Invalid.class, parser.parse(text));
    }

    @Test
    void emptyTextIsEveryRun() {
        assertEquals(RunFilter.ALL, valid(""));
        assertEquals(RunFilter.ALL, valid("   "));
        assertEquals(RunFilter.ALL, valid(null));
    }

    @Test
    void everyKeyMapsToItsRunFilterPart() {
        RunFilter f = valid("scheduler:scx_qmap kernel:7.2 verdict:scheduler_failed since:2026-11-01 "
                + "until:2026-11-03T10:00:00Z");
        assertEquals(RunFilter.ALL.withScheduler("scx_qmap").withKernel("7.2").withVerdict("scheduler_failed")
                .withStartedFrom(ZonedDateTime.of(2026, 11, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant())
                .withStartedBefore(Instant.parse("2026-11-03T10:00:00Z")), f);
    }

    @Test
    void freeWordsAndQuotedTextBecomeTheTextSearch() {
        assertEquals(Optional.of("task stall"), valid("task stall").text());
        assertEquals(Optional.of("runnable task stall"), valid("\"runnable task\" verdict:error stall").text());
        assertEquals(Optional.of("error"), valid("\"\" verdict:error \"error\"").verdict());
        // a quoted colon is text, not a key
        assertEquals(Optional.of("sched_ext: disabled"), valid("\"sched_ext: disabled\"").text());
        assertEquals(Optional.of("scx qmap"), valid("scheduler:\"scx qmap\"").scheduler());
    }

    @Test
    void keysAndVerdictsIgnoreCase() {
        RunFilter f = valid("Verdict:PASSED");
        assertEquals(Optional.of("passed"), f.verdict());
    }

    @Test
    void relativeDates() {
        assertEquals(Optional.of(Instant.parse("2026-12-02T15:00:00Z")), valid("since:7d").startedFrom());
        assertEquals(Optional.of(Instant.parse("2026-12-09T03:00:00Z")), valid("since:12h").startedFrom());
        assertEquals(Optional.of(Instant.parse("2026-12-09T00:00:00Z")), valid("since:today").startedFrom());
        assertEquals(Optional.of(Instant.parse("2026-12-07T00:00:00Z")), valid("since:week").startedFrom());
    }

    @Test
    void badTokensSayWhichTokenAndWhere() {
        RunsFilterParser.Invalid bad = invalid("scheduler:scx_qmap verdikt:passed");
        assertEquals("verdikt:passed", bad.token());
        assertEquals(19, bad.offset());
        assertTrue(bad.message().contains("'verdikt:passed'") && bad.message().contains("verdict:"), bad.message());

        bad = invalid("verdict:great");
        assertTrue(bad.message().startsWith("Unknown verdict 'great'"), bad.message());
        assertTrue(bad.message().contains("scheduler_failed"), bad.message());

        bad = invalid("since:yesterdayish");
        assertEquals("since:yesterdayish", bad.token());
        assertTrue(bad.message().contains("is not a date"), bad.message());

        bad = invalid("kernel:");
        assertTrue(bad.message().contains("needs a value"), bad.message());

        bad = invalid("verdict:passed verdict:error");
        assertEquals(15, bad.offset());
        assertTrue(bad.message().contains("twice"), bad.message());

        bad = invalid("stall \"runnable task");
        assertEquals("\"runnable task", bad.token());
        assertTrue(bad.message().contains("not closed"), bad.message());
    }

    @Test
    void quickFilterTokensReplaceTheirKeyAndKeepTheRest() {
        assertEquals("verdict:scheduler_failed scheduler:scx_qmap \"stall\"",
                RunsFilterParser.withToken("verdict:passed scheduler:scx_qmap \"stall\"", "verdict", "scheduler_failed"));
        assertEquals("scheduler:scx_qmap", RunsFilterParser.withToken("since:week scheduler:scx_qmap", "since", null));
        assertTrue(RunsFilterParser.hasToken("x since:week", "since", "week"));
        assertTrue(!RunsFilterParser.hasToken("x since:7d", "since", "week"));
    }
}
