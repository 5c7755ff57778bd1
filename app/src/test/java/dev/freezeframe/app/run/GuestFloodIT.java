package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "memory bounded in bytes", from a real guest: a scheduler binary floods its output (one 200 000-byte line, a
 * burst of 3 000 short lines, a 100 000-byte stderr line) and then runs scx_simple, and the scenario floods the host
 * with 32 capture requests in a row. The host keeps each partial line within its cap (recorded in 64 KiB pieces with
 * one {@code output_line_split} event), refuses the requests beyond its burst with {@code rate_limited} events, loses
 * none of the output and ends the run with a verdict. Needs the kit and gcc with static libc (skipped without them,
 * failed under CI).
 */
class GuestFloodIT {
    private static final int LONG_LINE = 200_000; // output_flooder.c
    private static final int BURST = 3_000;
    private static final int STDERR_LINE = 100_000;
    private static final int PIECE = 64 * 1024; // RunFold.MAX_OUTPUT_LINE
    private static final int REQUESTS = 32;
    private static final int REQUEST_BURST = 20; // RunFold.REQUEST_BURST
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    @Test
    void aFloodingGuestIsHeldToTheBoundsVisiblyAndTheRunKeepsItsRecord() throws Exception {
        Path flooder = compile("output_flooder");
        // the agent does at most 8 actions a step (ffa_run.c MAX_ACTIONS): 4 steps of 8 requests, back to back
        String steps = IntStream.range(0, REQUESTS / 8).mapToObj(step -> """
                {"name": "requests%d", "duration_ms": 100, "workload": {"kind": "cpu", "workers": 1}, "actions": [%s]}"""
                .formatted(step, IntStream.range(step * 8, step * 8 + 8)
                        .mapToObj(i -> String.format("{\"capture\": \"c%02d\"}", i))
                        .collect(Collectors.joining(", ")))).collect(Collectors.joining(",\n"));
        Path scenario = dir.resolve("flood.json");
        Files.writeString(scenario, "{\"schema\": 2, \"name\": \"flood\", \"steps\": [\n" + steps + "]}\n");
        RunConfig config = new RunConfig(flooder.toString(), List.of(), scenario.toString(), 2, 1024, "kit", 0,
                List.of());

        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT).run(config, kit,
                    ScenarioLoader.load(scenario.toString()), archive, e -> { });
            String reason = result.outcome().decision().reason();
            List<RunEvent> scheduler = events(archive, result.runId(), Lane.SCHEDULER);
            List<RunEvent> harness = events(archive, result.runId(), Lane.HARNESS);
            List<RunEvent> snapshots = events(archive, result.runId(), Lane.SNAPSHOTS);

            // the enormous line: cut at the cap into pieces, nothing lost, one visible event saying so
            List<String> pieces = scheduler.stream().filter(e -> e.kind().equals("stdout"))
                    .map(RunEvent::text).filter(t -> t.startsWith("<") || t.matches("x+>?")).toList();
            assertTrue(pieces.stream().allMatch(t -> t.length() <= PIECE), "no piece above the cap: "
                    + pieces.stream().map(String::length).toList());
            assertEquals(List.of(PIECE, PIECE, PIECE, LONG_LINE - 3 * PIECE),
                    pieces.stream().map(String::length).toList(), "the 200 000-byte line in 64 KiB pieces");
            assertTrue(pieces.getLast().endsWith(">"), "its end arrived");
            List<RunEvent> split = harness.stream().filter(e -> e.kind().equals("output_line_split")).toList();
            assertEquals(1, split.size(), "one event per run, however many long lines: " + split);
            assertTrue(split.getFirst().text().contains("longer than 64 KiB"), split.getFirst().text());

            // the burst of short lines, every one, in order
            List<String> burst = scheduler.stream().filter(e -> e.kind().equals("stdout"))
                    .map(RunEvent::text).filter(t -> t.startsWith("burst ")).toList();
            assertEquals(IntStream.range(0, BURST).mapToObj(i -> String.format("burst %04d", i)).toList(), burst);
            // stderr has its own partial line, bounded the same way
            List<Integer> stderr = scheduler.stream().filter(e -> e.kind().equals("stderr"))
                    .map(RunEvent::text).filter(t -> t.matches("e+")).map(String::length).toList();
            assertEquals(List.of(PIECE, STDERR_LINE - PIECE), stderr);

            // the capture requests: a burst is taken, the rest refused visibly without a freeze
            long requested = snapshots.stream().filter(e -> e.kind().equals("requested") && e.text().matches("c\\d\\d"))
                    .count();
            assertEquals(REQUESTS, requested, snapshots.toString());
            List<RunEvent> limited = snapshots.stream().filter(e -> e.kind().equals("rate_limited")).toList();
            assertTrue(!limited.isEmpty(), "requests beyond the burst are refused: " + snapshots);
            assertTrue(limited.getFirst().text().contains("more than " + REQUEST_BURST + " snapshots at once"),
                    limited.getFirst().text());
            List<String> taken = archive.runs().snapshots(result.runId()).stream().map(SnapshotInfo::tag)
                    .filter(t -> t.matches("c\\d\\d")).toList();
            assertEquals(REQUESTS - limited.size(), taken.size(), "every request not refused was captured: " + taken);
            assertTrue(taken.size() >= REQUEST_BURST, "the burst itself is honoured: " + taken);

            // the run ends with its verdict and the archive holds every event the run counted
            assertEquals(dev.freezeframe.coordinator.model.Verdict.PASSED, result.outcome().decision().verdict(),
                    reason);
            assertEquals(result.outcome().events(), archive.runs().detail(result.runId()).orElseThrow().eventCount(),
                    "the record is complete");
        }
    }

    private static List<RunEvent> events(Archive archive, long runId, Lane lane) {
        return archive.runs().events(runId, lane, 0, Long.MAX_VALUE, 100_000);
    }

    private Path compile(String name) throws Exception {
        dev.freezeframe.app.Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed",
                "install gcc and libc6-dev (static libc)");
        Path source = dir.resolve(name + ".c");
        try (var in = GuestFloodIT.class.getResourceAsStream(name + ".c")) {
            Files.write(source, in.readAllBytes());
        }
        Path binary = dir.resolve(name);
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, out);
        return binary;
    }
}
