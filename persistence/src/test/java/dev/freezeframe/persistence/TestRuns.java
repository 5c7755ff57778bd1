package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Test data: configs, event streams, snapshot reports in ktstr's rendering. */
final class TestRuns {
    private TestRuns() {
    }

    static RunConfig config(String scheduler) {
        return new RunConfig(scheduler, List.of("--slice-us", "5000"), "mixed-load", 2, 512, "kit", 4, List.of());
    }

    static long createRun(Archive archive, String scheduler, Instant startedAt) {
        return archive.createRun(config(scheduler), startedAt, Optional.of("7.2.13-cloud-amd64"));
    }

    /** A deterministic mixed stream: console lines, stats series, watchpoint hits; some events out of time order. */
    static List<RunEvent> events(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RunEvent> events = new ArrayList<>(n);
        long at = 1_000;
        for (int i = 0; i < n; i++) {
            at += random.nextInt(200_000);
            long t = random.nextInt(50) == 0 ? Math.max(0, at - random.nextInt(3_000_000)) : at; // late arrivals
            int r = random.nextInt(10);
            RunEvent e;
            if (r < 4) {
                e = new RunEvent(i, t, Lane.STATS, "nr_dispatched_" + (r % 2), "", random.nextDouble() * 1000, null);
            } else if (r < 7) {
                e = RunEvent.of(i, t, Lane.CONSOLE, "line", "console line " + i + " cpu" + (i % 4));
            } else if (r < 9) {
                e = RunEvent.of(i, t, Lane.SCHEDULER, "stderr", "scx_qmap: tick " + i);
            } else {
                e = RunEvent.of(i, t, Lane.WATCHPOINTS, "hit", "total_forks");
            }
            events.add(e);
        }
        return events;
    }

    /** A snapshot report shaped like ktstr's FailureDumpReport with one ARRAY (.bss) map and one HASH map. */
    static String report(long nrQueued, long weight) {
        return """
                {"schema":"single","maps":[
                  {"name":"scx_qmap.bss","map_type":2,"value_size":64,"max_entries":1,
                   "value":{"kind":"struct","type_name":"bss","members":[
                     {"name":"nr_queued","value":{"kind":"uint","bits":64,"value":%d}},
                     {"name":"stats","value":{"kind":"struct","type_name":"s","members":[
                        {"name":"dispatched","value":{"kind":"uint","bits":64,"value":%d}}]}},
                     {"name":"cpu_load","value":{"kind":"array","len":2,"elements":[
                        {"kind":"int","bits":32,"value":3},{"kind":"int","bits":32,"value":4}]}}]}},
                  {"name":"task_ctx","map_type":1,"value_size":16,"max_entries":64,
                   "entries":[{"key":{"kind":"uint","bits":32,"value":42},"key_hex":"2a000000",
                               "value":{"kind":"struct","members":[
                                 {"name":"weight","value":{"kind":"uint","bits":32,"value":%d}}]},
                               "value_hex":"00"}]}
                ],"vcpu_regs":[]}""".formatted(nrQueued, nrQueued * 3, weight);
    }

    /**
     * A report like {@link #report} whose HASH map holds the keys {@code keys} in that order (weight = 10 * key), so
     * the order of a snapshot's fields differs from one snapshot to the next, and whose .bss map appears twice (the
     * second time with one changed and one extra field), as ReportFields merges.
     */
    static String reportWithKeys(long nrQueued, long... keys) {
        StringBuilder entries = new StringBuilder();
        for (long key : keys) {
            if (!entries.isEmpty()) entries.append(',');
            entries.append("""
                    {"key":{"kind":"uint","bits":32,"value":%d},"value":{"kind":"struct","members":[
                      {"name":"weight","value":{"kind":"uint","bits":32,"value":%d}},
                      {"name":"comm","value":{"kind":"bytes","hex":"7a7a"}}]}}""".formatted(key, 10 * key));
        }
        return """
                {"schema":"single","maps":[
                  {"name":"task_ctx","map_type":1,"entries":[%s]},
                  {"name":"scx_qmap.bss","value":{"kind":"struct","members":[
                     {"name":"nr_queued","value":{"kind":"uint","bits":64,"value":%d}},
                     {"name":"ratio","value":{"kind":"float","bits":64,"value":0.25}},
                     {"name":"enabled","value":{"kind":"bool","value":true}}]}},
                  {"name":"empty_ringbuf","map_type":27},
                  {"name":"scx_qmap.bss","value":{"kind":"struct","members":[
                     {"name":"extra","value":{"kind":"int","bits":32,"value":-5}},
                     {"name":"nr_queued","value":{"kind":"uint","bits":64,"value":%d}}]}}
                ]}""".formatted(entries, nrQueued, nrQueued + 1);
    }

    /**
     * A snapshot's fields read from its report, as {@link RunQueries#snapshotFields} did before the field index
     * (maps without numeric fields dropped: the index has no row for them), each as "map / path = value" in order.
     */
    static List<String> fieldsFromReport(Archive archive, long snapshotId) throws Exception {
        return lines(ReportFields.of(Archive.JSON.readTree(archive.runs().snapshotReport(snapshotId))));
    }

    /** The fields as "map / path = value", in iteration order, so that tests compare order too. */
    static List<String> lines(Map<String, Map<String, Double>> fields) {
        List<String> lines = new ArrayList<>();
        fields.forEach((map, values) -> values.forEach((path, v) -> lines.add(map + " / " + path + " = " + v)));
        return lines;
    }

    static SnapshotRecord snapshot(String tag, long atNanos, long nrQueued) {
        return new SnapshotRecord(tag, SnapshotKind.PERIODIC, atNanos, Optional.of(1), false, Optional.empty(),
                report(nrQueued, 100 + nrQueued));
    }
}
