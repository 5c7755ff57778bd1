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
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code freezeframe ab --include}: both sides ship the files an exec scenario runs, checked as {@code run} checks. */
class AbIncludeOptionsTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private Path scenario;
    private Path tool;

    @BeforeEach
    void files() throws Exception {
        tool = Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh\nexit 0\n");
        scenario = Files.writeString(dir.resolve("exec.json"), """
                {"schema": 2, "name": "exec", "steps": [{"name": "one", "duration_ms": 500, "workloads": [
                  {"kind": "exec", "workers": 1, "path": "tool"}]}]}""");
    }

    private CommandLine cli() {
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), dir.resolve("cache")));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    private List<String> ab(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("ab", "--db", dir.resolve("a.db").toString(),
                "--scheduler", "scx_simple", "--scheduler", "scx_qmap -s 100", "--scenario", scenario.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void bothSidesShipTheIncludedFile() {
        CommandLine.ParseResult parsed = cli().parseArgs(ab("--include", tool + ":tool").toArray(String[]::new));
        AbCommand command = (AbCommand) parsed.subcommand().commandSpec().userObject();
        for (String side : List.of("scx_simple", "scx_qmap -s 100")) {
            RunConfig config = command.sideOptions(side).checked(RunOptions.kitSchedulers(Optional.empty())).config();
            assertEquals(List.of(new RunConfig.IncludedFile(tool.toString(), "tool")), config.includes(), side);
        }
    }

    @Test
    void aMissingFileAndAnUnshippedExecPathAreUsageErrorsWithTheEnginesSentences() {
        int exit = cli().execute(ab("--include", dir.resolve("nope") + ":tool").toArray(String[]::new));
        assertEquals(64, exit, err.toString());
        assertTrue(err.toString().startsWith("freezeframe: --include " + dir.resolve("nope") + ":tool: there is no"
                + " file"), err.toString());

        err.getBuffer().setLength(0);
        exit = cli().execute(ab().toArray(String[]::new));
        assertEquals(64, exit, err.toString());
        assertTrue(err.toString().contains("runs 'tool' (an exec workload's \"path\"), but no --include ships a file"
                + " of that name (none is shipped)."), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertFalse(Files.exists(dir.resolve("a.db")), "refused before the archive is opened");
    }
}
