package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.RunComparison;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe runs compare A B}: configuration, outcome and map-field differences of two runs. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two archived runs: configuration differences, verdicts, durations, snapshot counts,",
                "and the per-map field deltas between one snapshot of each (by default each run's last snapshot",
                "with data)."})
public final class RunsCompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "First run id.")
    long a;

    @Parameters(index = "1", paramLabel = "B", description = "Second run id.")
    long b;

    @Option(names = "--snapshot-a", paramLabel = "TAG", description = "Snapshot of run A to compare (its tag).")
    String tagA;

    @Option(names = "--snapshot-b", paramLabel = "TAG", description = "Snapshot of run B to compare (its tag).")
    String tagB;

    @Option(names = "--max-fields", paramLabel = "N", defaultValue = "100",
            description = "List at most N differing map fields. Default: ${DEFAULT-VALUE}.")
    int maxFields;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            RunComparison.Result result = new RunComparison(archive).compare(a, b, Optional.ofNullable(tagA),
                    Optional.ofNullable(tagB));
            out.print(RunComparison.render(result, Math.max(0, maxFields)));
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }
}
