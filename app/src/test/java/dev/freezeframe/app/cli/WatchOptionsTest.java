package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.watch.WatchSlots;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run --watch} and {@code run --control stdin} up to the point where a guest would boot. */
class WatchOptionsTest {
    @TempDir
    Path dir;

    @Test
    void watchesAreCheckedAndNormalisedBeforeTheRun() {
        assertEquals(List.of("total_forks", "jiffies_64+0x8:4", "sysctl_sched_features:read"),
                RunCommand.checkedWatches(List.of("total_forks", "jiffies_64+8:4", "sysctl_sched_features:read")));
        AppException four = assertThrows(AppException.class, () -> RunCommand.checkedWatches(List.of("a", "b", "c",
                "d")));
        assertTrue(four.getMessage().contains("at most 3 times") && four.getMessage().contains("slot 0 is the "
                + "scheduler-error trigger"), four.getMessage());
        AppException bad = assertThrows(AppException.class, () -> RunCommand.checkedWatches(List.of("total_forks:3")));
        assertTrue(bad.getMessage().startsWith("--watch total_forks:3: Cannot read the watch"), bad.getMessage());
    }

    @Test
    void controlTakesOnlyStdin() {
        assertFalse(RunCommand.checkedControl(null));
        assertTrue(RunCommand.checkedControl("stdin"));
        assertTrue(assertThrows(AppException.class, () -> RunCommand.checkedControl("socket")).getMessage()
                .contains("--control takes 'stdin'"));
    }

    @Test
    void aFourthWatchOnTheCommandLineFailsBeforeAnythingBoots() {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), dir.resolve("cache")));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("run", "--scheduler", "scx_simple", "--db", dir.resolve("a.db").toString(),
                "--watch", "total_forks", "--watch", "jiffies_64", "--watch", "nr_threads", "--watch", "max_pfn");
        assertEquals(64, exit, "a fourth watch is the user's mistake: a usage error");
        assertTrue(err.toString().contains("--watch can be given at most 3 times"), err.toString());

        StringWriter help = new StringWriter();
        cli.setOut(new PrintWriter(help, true));
        assertEquals(0, cli.execute("run", "--help"));
        assertTrue(help.toString().contains("--watch=SYMBOL[+OFF][:SIZE]")
                && help.toString().contains("--control=stdin"), help.toString());
    }

    @Test
    void controlLinesAreAnsweredOneLineEachEvenWhenTheRunHasNoWatchSlots() {
        CompletableFuture<WatchSlots> ended = CompletableFuture.failedFuture(new CoordinatorException(
                "The run has ended: watches can no longer be armed."));
        String input = """
                # a comment, then a blank line

                help
                watch total_forks
                watch total_forks:3
                frobnicate
                watches
                resume
                """;
        StringWriter out = new StringWriter();
        ControlInput.read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), ended,
                () -> "resumed after 12 ms frozen", new PrintWriter(out, true));
        List<String> lines = out.toString().lines().toList();
        assertEquals(6, lines.size(), out.toString());
        assertEquals("control: resumed after 12 ms frozen", lines.get(5), "resume goes to the run's hold");
        assertTrue(lines.stream().allMatch(l -> l.startsWith("control: ")), out.toString());
        assertTrue(lines.get(0).startsWith("control: commands: watch SYMBOL[+OFF][:SIZE][:KIND]"), lines.get(0));
        assertEquals("control: refused: The run has ended: watches can no longer be armed.", lines.get(1));
        assertTrue(lines.get(2).startsWith("control: error: Cannot read the watch 'total_forks:3'"), lines.get(2));
        assertTrue(lines.get(3).startsWith("control: error: Unknown command 'frobnicate'"), lines.get(3));
        assertTrue(lines.get(4).startsWith("control: refused: The run has ended"), lines.get(4));
    }
}
