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
 * Runs with known content for UI tests, written through the real archive: R1 passed (steps, console, stats, 10
 * periodic snapshots where {@code scx_qmap.bss:nr_enqueued = 100·i}, one watch snapshot, one failed capture), R2
 * scheduler_failed (an error snapshot with exit info and a stall line on the console).
 */
final class SyntheticArchive {
    static final long SECOND = 1_000_000_000L;

    record Runs(long passed, long failed) {
    }

    private SyntheticArchive() {
    }

    static Runs write(Path file) {
        try (Archive archive = Archive.open(file)) {
            long r1 = passedRun(archive);
            long r2 = failedRun(archive);
            return new Runs(r1, r2);
        }
    }

    private static long passedRun(Archive archive) {
        RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu-pingpong", 2, 1024, "kit", 10, List.of());
        long id = archive.createRun(config, Instant.parse("2026-12-07T09:00:00Z"), Optional.of("7.3.4-cloud-amd64"));
        try (EventIngest ingest = archive.startIngest(id)) {
            long[] seq = {0};
            ingest.append(ev(seq, 0, Lane.LIFECYCLE, "run_started", "scx_qmap under cpu-pingpong"));
            ingest.append(ev(seq, 3 * SECOND, Lane.LIFECYCLE, "sys_ready", "agent ready"));
            for (int step = 0; step < 3; step++) {
                ingest.append(new RunEvent(seq[0]++, (4 + 3 * step) * SECOND, Lane.STEPS, "step",
                        step == 0 ? "baseline" : "pingpong " + step, (double) step, null));
            }
            for (int i = 0; i < 300; i++) {
                long t = 4 * SECOND + i * 30_000_000L;
                ingest.append(ev(seq, t, Lane.CONSOLE, "line", "worker " + (i % 4) + " iteration " + i));
                ingest.append(new RunEvent(seq[0]++, t + 1, Lane.STATS, "nr_dispatched", "", (double) (i * 7), null));
            }
            for (int i = 0; i < 10; i++) {
                long t = 4 * SECOND + i * 900_000_000L;
                ingest.append(new SnapshotRecord(String.format("periodic_%03d", i), SnapshotKind.PERIODIC, t,
                        Optional.of(i / 4), false, Optional.empty(), report(100L * i, "none")));
                ingest.append(ev(seq, t, Lane.SNAPSHOTS, "periodic", String.format("periodic_%03d captured", i)));
            }
            ingest.append(new SnapshotRecord("watch:total_forks", SnapshotKind.WATCH, 8 * SECOND, Optional.of(1),
                    false, Optional.empty(), report(450, "none")));
            ingest.append(SnapshotRecord.placeholder("manual_000", SnapshotKind.REQUESTED, 9 * SECOND, Optional.of(2),
                    "the guest did not stop within 2 s"));
            ingest.append(ev(seq, 13 * SECOND, Lane.LIFECYCLE, "verdict", "passed: scenario completed"));
            ingest.flush();
        }
        archive.finishRun(id, Verdict.PASSED, "scenario completed", Instant.parse("2026-12-07T09:00:13Z"));
        return id;
    }

    private static long failedRun(Archive archive) {
        RunConfig config = new RunConfig("scx_qmap", List.of("-e", "50"), "cpu-pingpong", 2, 1024, "kit", 2,
                List.of());
        long id = archive.createRun(config, Instant.parse("2026-12-07T10:00:00Z"), Optional.of("7.3.4-cloud-amd64"));
        try (EventIngest ingest = archive.startIngest(id)) {
            long[] seq = {0};
            ingest.append(ev(seq, 0, Lane.LIFECYCLE, "run_started", "scx_qmap -e 50 under cpu-pingpong"));
            ingest.append(ev(seq, 3 * SECOND, Lane.LIFECYCLE, "sys_ready", "agent ready"));
            ingest.append(new SnapshotRecord("periodic_000", SnapshotKind.PERIODIC, 4 * SECOND, Optional.of(0), false,
                    Optional.empty(), report(10, "none")));
            ingest.append(ev(seq, 5 * SECOND, Lane.CONSOLE, "line",
                    "sched_ext: BPF scheduler \"qmap\" errored, disabling: runnable task stall"));
            ingest.append(new SnapshotRecord("error", SnapshotKind.ERROR, 5 * SECOND + 1000, Optional.of(1), false,
                    Optional.empty(), report(60, "SCX_EXIT_ERROR_BPF")));
            ingest.append(ev(seq, 6 * SECOND, Lane.LIFECYCLE, "verdict", "scheduler_failed: scx_bpf_error"));
            ingest.flush();
        }
        archive.finishRun(id, Verdict.SCHEDULER_FAILED, "scx_bpf_error (\"injected error\")",
                Instant.parse("2026-12-07T10:00:06Z"));
        return id;
    }

    private static RunEvent ev(long[] seq, long at, Lane lane, String kind, String text) {
        return RunEvent.of(seq[0]++, at, lane, kind, text);
    }

    /** A capture report with one global map and the sched_ext state (with the exit's details when it exited). */
    static String report(long nrEnqueued, String exitKind) {
        return """
                {"sched_ext":{"attached":true,"opsName":"qmap","exitKindName":"%s"%s},
                 "vcpus":[{"vcpu":0,"rip":"0xffffffff81f3a1c0","rip_symbol":"default_idle+0x10"}],
                 "maps":[{"name":"scx_qmap.bss","type":"array","entries":[{"key":0,"value":{"kind":"struct",
                   "members":[{"name":"nr_enqueued","value":{"kind":"uint","bits":64,"value":%d}}]}}]}]}"""
                .formatted(exitKind, exitKind.equals("none") ? "" : ",\"exitInfo\":{\"kind\":1025,\"kindName\":\""
                        + exitKind + "\",\"reason\":\"scx_bpf_error\",\"message\":\"injected error\"}", nrEnqueued);
    }
}
