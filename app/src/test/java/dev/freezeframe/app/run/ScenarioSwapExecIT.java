package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario that swaps the scheduler for another between steps, and exec workloads running a user's static binary
 * shipped with {@code --include}, on the real guest kit.
 */
class ScenarioSwapExecIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        GuestKitForTests.require();
    }

    private GuestCli run(String... args) {
        GuestCli cli = GuestCli.run(dir, args);
        System.out.println(cli.err()); // the run's progress, in the failsafe report
        return cli;
    }

    private Path scenario(String name, String json) throws Exception {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, json);
        return file;
    }

    private List<RunEvent> events(long runId, Lane lane) {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            return archive.runs().events(runId, lane, 0, Long.MAX_VALUE, 100_000);
        }
    }

    /**
     * scx_qmap, then scx_simple from the second step on: the host records the stop and the new attach, a capture after
     * the swap shows scx_simple, both steps are measured, and `runs show` names both schedulers.
     */
    @Test
    void aSwapMidRunStartsTheOtherSchedulerAndTheRunFollowsIt() throws Exception {
        Path file = scenario("swap", """
                {"schema": 2, "name": "swap", "steps": [
                  {"name": "under-qmap", "duration_ms": 1500, "workload": {"kind": "cpu", "workers": 2}},
                  {"name": "under-simple", "duration_ms": 1500, "workload": {"kind": "cpu", "workers": 2},
                   "actions": [{"swap_scheduler": "scx_simple"}, {"capture": "after-swap"}]}]}
                """);
        GuestCli cli = run("run", "--scheduler", "scx_qmap", "--scenario", file.toString(), "--vcpus", "2", "--json");

        assertEquals(0, cli.exit(), cli.err());
        JsonNode result = cli.lastJson();
        assertEquals("passed", result.get("verdict").asText(), result.toString());
        assertEquals("scx_simple", result.get("swaps").get(0).get("scheduler").asText(), result.toString());
        long runId = result.get("run_id").asLong();
        List<RunEvent> lifecycle = events(runId, Lane.LIFECYCLE);
        List<String> enabled = lifecycle.stream().filter(e -> e.kind().equals("scheduler_enabled"))
                .map(RunEvent::text).toList();
        assertEquals(2, enabled.size(), lifecycle.toString());
        assertTrue(enabled.get(0).contains("qmap") && enabled.get(1).contains("simple"), enabled.toString());
        assertTrue(lifecycle.stream().anyMatch(e -> e.kind().equals("scheduler_swapping")
                && e.text().contains("scx_simple")), lifecycle.toString());
        assertTrue(events(runId, Lane.SCHEDULER).stream().anyMatch(e -> e.kind().equals("scheduler_stopped")),
                "the swapped-out scheduler's clean stop is recorded");
        Map<String, Double> m = GuestCli.metrics(result);
        assertTrue(m.get("under-qmap/cpu/rate") > 0 && m.get("under-simple/cpu/rate") > 0, m.toString());

        GuestCli show = GuestCli.run(dir, "runs", "show", Long.toString(runId));
        assertTrue(show.out().contains("then        scx_simple [] (swapped in at step under-simple)"), show.out());
        GuestCli snapshot = GuestCli.run(dir, "snapshot", Long.toString(runId), "after-swap");
        assertTrue(snapshot.out().contains("simple"), "the capture after the swap reads the new scheduler: "
                + snapshot.out() + snapshot.err());
    }

    /** The swapped-in scheduler errors (scx_qmap -e injects an scx_bpf_error): the run is still a scheduler failure. */
    @Test
    void anErrorOfTheSwappedInSchedulerIsCaught() throws Exception {
        Path file = scenario("swap-error", """
                {"schema": 2, "name": "swap-error", "steps": [
                  {"name": "calm", "duration_ms": 1000, "workload": {"kind": "cpu", "workers": 2}},
                  {"name": "broken", "duration_ms": 8000, "workload": {"kind": "pingpong", "pairs": 2},
                   "actions": [{"swap_scheduler": "scx_qmap", "args": ["-e", "50"]}]}]}
                """);
        GuestCli cli = run("run", "--scheduler", "scx_simple", "--scenario", file.toString(), "--vcpus", "2",
                "--json");

        assertEquals(1, cli.exit(), cli.err());
        JsonNode result = cli.lastJson();
        assertEquals("scheduler_failed", result.get("verdict").asText(), result.toString());
        assertTrue(result.get("reason").asText().contains("test triggering error"), result.toString());
        long runId = result.get("run_id").asLong();
        List<RunEvent> scheduler = events(runId, Lane.SCHEDULER);
        assertTrue(scheduler.stream().anyMatch(e -> e.kind().equals("error") && e.value() == 1025.0),
                scheduler.toString());
        assertTrue(scheduler.stream().anyMatch(e -> e.kind().equals("host_exit") && e.value() == 1025.0),
                "slot 0 followed the swap to the new scheduler's exit kind: " + scheduler);
    }

    /** A scheduler the kit lacks and that is no file is refused before boot, naming the step and the field. */
    @Test
    void anUnknownSwapSchedulerIsRefusedBeforeBoot() throws Exception {
        Path file = scenario("swap-unknown", """
                {"schema": 2, "name": "swap-unknown", "steps": [
                  {"name": "one", "duration_ms": 100, "actions": [{"swap_scheduler": "scx_nothere"}]}]}
                """);
        GuestCli cli = GuestCli.run(dir, "run", "--scheduler", "scx_simple", "--scenario", file.toString());
        assertEquals(64, cli.exit(), cli.err());
        assertTrue(cli.err().contains("step one: \"swap_scheduler\": Unknown scheduler 'scx_nothere'"), cli.err());
    }

    /**
     * A static binary shipped with --include, run as an exec workload placed in a cgroup: status and output recorded,
     * from the agent's EXEC_EXIT frames only (the tool also prints a forged report line on the console).
     */
    @Test
    void anIncludedStaticBinaryRunsAsAnExecWorkloadFromATemplateAndColdBoot() throws Exception {
        Path tool = compileTool();
        Path file = scenario("exec", """
                {"schema": 2, "name": "exec", "cgroups": [{"name": "tools", "cpu_weight": 200, "cpuset_cpus": "1"}],
                 "steps": [
                  {"name": "short", "duration_ms": 2500, "workloads": [
                    {"kind": "exec", "workers": 1, "path": "tool", "args": ["spin", "300", "7"],
                     "cgroup": "tools", "cpus": "1", "nice": 5}]},
                  {"name": "long", "duration_ms": 1500, "workloads": [
                    {"kind": "exec", "workers": 2, "path": "tool", "args": ["spin", "60000", "0"]}]}]}
                """);
        for (boolean cold : new boolean[] {false, true}) {
            GuestCli cli = cold
                    ? run("run", "--scheduler", "scx_simple", "--scenario", file.toString(), "--include",
                            tool + ":tool", "--json", "--cold-boot")
                    : run("run", "--scheduler", "scx_simple", "--scenario", file.toString(), "--include",
                            tool + ":tool", "--json");
            assertEquals(0, cli.exit(), cli.err());
            JsonNode result = cli.lastJson();
            long runId = result.get("run_id").asLong();
            List<RunEvent> exits = events(runId, Lane.STEPS).stream().filter(e -> e.kind().equals("exec_exit"))
                    .toList();
            assertEquals(3, exits.size(), "one per worker from their frames, none from the console: " + exits);
            assertTrue(events(runId, Lane.CONSOLE).stream().anyMatch(e -> e.text().contains("state=exited code=99")),
                    "the tool's forged line reached the console");
            RunEvent first = exits.getFirst();
            assertEquals(7.0, first.value(), first.toString());
            assertTrue(first.text().contains("exited with code 7") && first.text().contains("cpu 1 nice 5"),
                    "its placement as it saw it, and its exit code: " + first.text());
            assertTrue(exits.subList(1, 3).stream().allMatch(e -> e.text().contains("still running")),
                    exits.toString());
            Map<String, Double> m = GuestCli.metrics(result);
            assertTrue(m.get("short/tools/on_cpu_pct") > 0, "the exec worker's scheduling is measured: " + m);
        }
    }

    /** A dynamically linked binary is refused before boot: the guest has no loader. */
    @Test
    void aDynamicBinaryIsRefusedBeforeBoot() throws Exception {
        Path file = scenario("exec-dyn", """
                {"schema": 2, "name": "exec-dyn", "steps": [{"name": "one", "duration_ms": 100, "workloads": [
                  {"kind": "exec", "workers": 1, "path": "true"}]}]}
                """);
        GuestCli cli = GuestCli.run(dir, "run", "--scheduler", "scx_simple", "--scenario", file.toString(),
                "--include", "/usr/bin/true");
        assertEquals(64, cli.exit(), cli.err());
        assertTrue(cli.err().contains("is dynamically linked"), cli.err());
    }

    /** A tiny static program: prints where it runs, spins for the given ms, exits with the given code. */
    private Path compileTool() throws Exception {
        dev.freezeframe.app.Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed",
                "install gcc and libc6-dev (static libc)");
        Path source = dir.resolve("tool.c");
        Files.writeString(source, """
                #define _GNU_SOURCE
                #include <sched.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include <sys/resource.h>
                #include <time.h>
                int main(int argc, char **argv) {
                    if (argc < 4) return 2;
                    /* a guest program printing the agent's old report line must not forge a result */
                    FILE *console = fopen("/dev/console", "w");
                    if (console) {
                        fprintf(console, "FFAGENT exec-exit step=1 worker=0 path=tool"
                                " state=exited code=99 output=x\\n");
                        fclose(console);
                    }
                    printf("tool %s: cpu %d nice %d\\n", argv[1], sched_getcpu(), getpriority(PRIO_PROCESS, 0));
                    fflush(stdout);
                    struct timespec t0, now;
                    clock_gettime(CLOCK_MONOTONIC, &t0);
                    long ms = atol(argv[2]);
                    volatile unsigned long spin = 0;
                    do {
                        for (int i = 0; i < 100000; i++) spin++;
                        clock_gettime(CLOCK_MONOTONIC, &now);
                    } while ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 < ms);
                    return atoi(argv[3]);
                }
                """);
        Path binary = dir.resolve("tool");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, gcc.exitValue(), out);
        return binary;
    }
}
