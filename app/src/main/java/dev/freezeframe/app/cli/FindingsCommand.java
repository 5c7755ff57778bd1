package dev.freezeframe.app.cli;

import dev.freezeframe.app.run.RunFindings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.findings.Finding;
import dev.freezeframe.coordinator.findings.Findings;
import dev.freezeframe.coordinator.findings.SnapshotView;
import dev.freezeframe.persistence.Archive;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe findings RUN}: what the run's snapshots say went wrong, worst first, with a headline. */
@Command(name = "findings", mixinStandardHelpOptions = true,
        description = "What went wrong in an archived run, worst first: the scheduler's error with its source line, "
                + "stalls, DSQs that only grow, CPUs out of balance, failed captures.")
public final class FindingsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    long runId;

    @Option(names = "--json", description = "Print {headline, findings: [...], dump} as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            ArchiveCommands.requireRun(archive, runId);
            List<SnapshotView> snapshots = RunFindings.snapshots(archive, runId);
            List<Finding> findings = RunFindings.of(archive, runId, snapshots);
            String headline = Findings.headline(findings).orElse(null);
            String dump = Findings.dump(snapshots);
            if (json) {
                ObjectNode o = JSON.createObjectNode();
                o.put("run", runId);
                o.put("headline", headline);
                o.set("findings", JSON.valueToTree(findings));
                o.put("dump", dump);
                out.println(JSON.writeValueAsString(o));
            } else {
                out.println("headline: " + (headline == null ? "nothing went wrong that the run's record shows" : headline));
                for (Finding f : findings) {
                    out.printf("%-8s %-16s %s%n", f.severity().word(), f.rule(), f.title());
                    if (f.snapshot() != null) {
                        out.printf("         see snapshot %s (%.3f s)%n", f.snapshot(), f.atMs() / 1000.0);
                    } else if (f.atMs() >= 0) {
                        out.printf("         at %.3f s of the run%n", f.atMs() / 1000.0);
                    }
                    if (f.detail() != null) f.detail().lines().forEach(l -> out.println("         " + l));
                }
                if (dump != null) {
                    out.println("kernel exit dump:");
                    dump.lines().forEach(l -> out.println("  " + l));
                }
            }
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }
}
