package dev.freezeframe.app.ui;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A small archive with known content for the UI tests:
 * <ol>
 *   <li>scx_qmap -s 5000, mixed, passed; 200 console lines; periodic_000 with nr_queued 3, nr_dispatched 100</li>
 *   <li>scx_simple, mixed, scheduler_failed "watchdog stall"; a "runnable task stall detected" scheduler line;
 *       error snapshot with nr_queued 40, nr_dispatched 100, nr_reenqueued 7</li>
 *   <li>scx_qmap -e 50, cpu-pingpong, scheduler_failed "scx_bpf_error"; periodic_000 equal to run 2's error
 *       snapshot, then an error snapshot with nr_queued 12</li>
 *   <li>scx_central, mixed, no verdict and no end: interrupted (its recorder is gone)</li>
 * </ol>
 */
public final class TestArchives {
    private TestArchives() {
    }

    public static String report(long queued, long dispatched, Long reenqueued) {
        String members = "{\"name\":\"nr_queued\",\"value\":{\"kind\":\"uint\",\"bits\":64,\"value\":" + queued + "}},"
                + "{\"name\":\"nr_dispatched\",\"value\":{\"kind\":\"uint\",\"bits\":64,\"value\":" + dispatched + "}}"
                + (reenqueued == null ? "" : ",{\"name\":\"nr_reenqueued\",\"value\":{\"kind\":\"uint\",\"bits\":64,"
                + "\"value\":" + reenqueued + "}}");
        return "{\"schema\":\"single\",\"maps\":[{\"name\":\"scx_qmap.bss\",\"map_type\":2,\"value_size\":24,"
                + "\"max_entries\":1,\"value\":{\"kind\":\"struct\",\"members\":[" + members + "]}}]}";
    }

    public static void fourRuns(Path db) {
        try (Archive archive = Archive.open(db)) {
            long a = archive.createRun(new RunConfig("scx_qmap", List.of("-s", "5000"), "mixed", 2, 512, "kit", 1,
                    List.of()), Instant.parse("2026-11-01T10:00:00Z"), Optional.of("7.2.13"));
            try (EventIngest ingest = archive.startIngest(a)) {
                for (int i = 0; i < 200; i++) {
                    ingest.append(RunEvent.of(i, i * 1000L, Lane.CONSOLE, "line", "boot line " + i));
                }
                ingest.append(new SnapshotRecord("periodic_000", SnapshotKind.PERIODIC, 300_000, Optional.of(1),
                        false, Optional.empty(), report(3, 100, null)));
            }
            archive.finishRun(a, Verdict.PASSED, null, Instant.parse("2026-11-01T10:00:20Z"));

            long b = archive.createRun(new RunConfig("scx_simple", List.of(), "mixed", 4, 512, "kit", 1, List.of()),
                    Instant.parse("2026-11-02T10:00:00Z"), Optional.of("7.2.13"));
            try (EventIngest ingest = archive.startIngest(b)) {
                ingest.append(RunEvent.of(0, 1_000_000, Lane.CONSOLE, "line", "booting"));
                ingest.append(RunEvent.of(1, 14_001_000_000L, Lane.SCHEDULER, "stderr",
                        "runnable task stall detected"));
                ingest.append(new SnapshotRecord("error", SnapshotKind.ERROR, 14_002_000_000L, Optional.empty(),
                        false, Optional.empty(), report(40, 100, 7L)));
            }
            archive.finishRun(b, Verdict.SCHEDULER_FAILED, "watchdog stall", Instant.parse("2026-11-02T10:00:05Z"));

            long c = archive.createRun(new RunConfig("scx_qmap", List.of("-e", "50"), "cpu-pingpong", 2, 512, "kit",
                    1, List.of()), Instant.parse("2026-11-03T10:00:00Z"), Optional.of("7.2.13"));
            try (EventIngest ingest = archive.startIngest(c)) {
                ingest.append(RunEvent.of(0, 5, Lane.CONSOLE, "line", "pingpong started"));
                ingest.append(new SnapshotRecord("periodic_000", SnapshotKind.PERIODIC, 7, Optional.empty(), false,
                        Optional.empty(), report(40, 100, 7L)));
                ingest.append(new SnapshotRecord("error", SnapshotKind.ERROR, 10, Optional.empty(), false,
                        Optional.empty(), report(12, 100, null)));
            }
            archive.finishRun(c, Verdict.SCHEDULER_FAILED, "scx_bpf_error", Instant.parse("2026-11-03T10:00:09Z"));

            archive.createRun(new RunConfig("scx_central", List.of(), "mixed", 2, 512, "kit", 1, List.of()),
                    Instant.parse("2026-11-04T10:00:00Z"), Optional.of("7.2.13"));
        }
    }
}
