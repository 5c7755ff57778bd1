package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.coordinator.model.RunConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code freezeframe run}'s options up to the point where a guest would boot: every user mistake exits 64. */
class RunOptionsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine cli() {
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), dir.resolve("cache")));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    private int run(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--db", dir.resolve("a.db").toString()));
        args.addAll(List.of(options));
        return cli().execute(args.toArray(String[]::new));
    }

    private void assertUsageError(String expectedSentence, String... options) {
        err.getBuffer().setLength(0);
        int exit = run(options);
        String said = err.toString();
        assertEquals(64, exit, String.join(" ", options) + " -> " + said);
        assertTrue(said.startsWith("freezeframe: " + expectedSentence), said);
        assertTrue(said.contains("Try 'freezeframe run --help'."), said);
        assertFalse(said.contains("Exception"), "no stack trace for the user: " + said);
        assertFalse(Files.exists(dir.resolve("a.db")), "refused before the archive is opened");
        assertFalse(Files.exists(dir.resolve("cache")), "refused before the kit is looked for or built");
    }

    @Test
    void rangeErrorsAreUsageErrorsWithTheSameSentenceAsTheForm() {
        assertUsageError("The guest needs 1 to 64 vCPUs; got 0.", "--scheduler", "scx_simple", "--vcpus", "0");
        assertUsageError("The guest needs 1 to 64 vCPUs; got 999.", "--scheduler", "scx_simple", "--vcpus", "999");
        assertUsageError("Guest memory must look like 1G or 768M; got '1T'.", "--scheduler", "scx_simple",
                "--memory", "1T");
        assertUsageError("Guest memory must be between 256M and 64G; got '128M'.", "--scheduler", "scx_simple",
                "--memory", "128M");
        assertUsageError("Periodic snapshots must be between 0 and 999; got 1000.", "--scheduler", "scx_simple",
                "--snapshots", "1000");
        assertUsageError("--watchdog must be between 1 and 3600 seconds; got 0.", "--scheduler", "scx_simple",
                "--watchdog", "0");
    }

    @Test
    void unknownScenarioAndSchedulerAreUsageErrors() {
        assertUsageError("Unknown scenario 'no-such-scenario': it is neither a built-in", "--scheduler", "scx_simple",
                "--scenario", "no-such-scenario");
        assertUsageError("Unknown scheduler 'scx_nope': the guest kit has scx_simple, scx_qmap, scx_central",
                "--scheduler", "scx_nope");
        assertUsageError("--control takes 'stdin'", "--scheduler", "scx_simple", "--control", "socket");
    }

    @Test
    void aScenarioNamingACpuTheGuestLacksOrABadFieldIsAUsageError() throws Exception {
        assertUsageError("The scenario isolation places work on CPU 1 (a cpuset or \"cpus\" mask), but the guest has 1"
                + " vCPUs", "--scheduler", "scx_simple", "--scenario", "isolation", "--vcpus", "1");
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"schema": 2, "name": "bad", "cgroups": [{"name": "g", "cpu_weight": 0}],
                 "steps": [{"name": "a", "duration_ms": 10}]}""");
        assertUsageError(bad + ", cgroups[0]: \"cpu_weight\" is 0", "--scheduler", "scx_simple", "--scenario",
                bad.toString());
    }

    @Test
    void everyProblemIsSaidOnItsOwnLine() {
        assertEquals(64, run("--scheduler", "scx_simple", "--vcpus", "0", "--memory", "12"));
        List<String> lines = err.toString().lines().toList();
        assertEquals(List.of("freezeframe: The guest needs 1 to 64 vCPUs; got 0.",
                "freezeframe: Guest memory must be between 256M and 64G; got '12'.",
                "Try 'freezeframe run --help'."), lines);
    }

    @Test
    void aFileThatIsNotAKernelIsRefusedBeforeBoot() throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\n".repeat(40));
        assertUsageError(passwd + " is not a Linux kernel image", "--scheduler", "scx_simple", "--kernel",
                passwd.toString());
        Path etcPasswd = Path.of("/etc/passwd");
        if (Files.isRegularFile(etcPasswd)) {
            assertUsageError("/etc/passwd is not a Linux kernel image", "--scheduler", "scx_simple", "--kernel",
                    "/etc/passwd");
        }
        assertUsageError("The kernel " + dir.resolve("missing") + " does not exist.", "--scheduler", "scx_simple",
                "--kernel", dir.resolve("missing").toString());
    }

    @Test
    void parseErrorsStayUsageErrors() {
        err.getBuffer().setLength(0);
        assertEquals(64, run("--scheduler", "scx_simple", "--vcpus", "two"));
        assertTrue(err.toString().contains("--vcpus"), err.toString());
    }

    @Test
    void optionsMakeTheRunConfigIncludingFreezeOnEnable() {
        CommandLine cli = cli();
        CommandLine.ParseResult parsed = cli.parseArgs("run", "--scheduler", "scx_qmap", "--sched-args", "-e  50",
                "--scenario", "mixed", "--vcpus", "4", "--memory", "768M", "--snapshots", "5", "--watch",
                "jiffies_64+8:4", "--freeze-on-enable");
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        RunConfig config = run.options().checked(Set.of("scx_simple", "scx_qmap", "scx_central")).config();
        assertEquals(new RunConfig("scx_qmap", List.of("-e", "50"), "mixed", 4, 768, "kit", 5,
                List.of("jiffies_64+0x8:4"), true), config);

        RunCommand plain = (RunCommand) cli().parseArgs("run", "--scheduler", "scx_simple").subcommand()
                .commandSpec().userObject();
        assertEquals(new RunConfig("scx_simple", List.of(), "cpu-pingpong", 2, 1024, "kit", 0, List.of(), false),
                plain.options().checked(RunOptions.kitSchedulers(java.util.Optional.empty())).config());
    }

    @Test
    void schedulerArgumentsMayLookLikeOptions() {
        RunCommand run = (RunCommand) cli().parseArgs("run", "--scheduler", "scx_qmap", "--sched-args", "-h",
                "--vcpus", "3").subcommand().commandSpec().userObject();
        RunConfig config = run.options().checked(Set.of("scx_qmap")).config();
        assertEquals(List.of("-h"), config.schedulerArgs());
        assertEquals(3, config.vcpus());
    }

    @Test
    void aHeadlessRunEndsWithTheLineThatOpensItInTheWorkbench() {
        assertEquals("open in the workbench: freezeframe open 42", RunCommand.openLine(42, false));
        assertEquals("open in the workbench: freezeframe open 7 --snapshot error", RunCommand.openLine(7, true));
    }
}
