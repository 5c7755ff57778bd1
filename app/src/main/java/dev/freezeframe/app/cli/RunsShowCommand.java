package dev.freezeframe.app.cli;

import dev.freezeframe.app.run.RunFindings;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.RunConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchiveException;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunDetail;
import dev.freezeframe.persistence.SnapshotInfo;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe runs show ID}: one run's configuration, outcome, counts and snapshots. */
@Command(name = "show", description = "Show one archived run: configuration, verdict, counts and snapshots.",
        mixinStandardHelpOptions = true)
public final class RunsShowCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The run's id (see `runs list`).")
    long id;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            RunDetail d = archive.runs().detail(id).orElseThrow(() -> new ArchiveException("There is no run " + id
                    + " in " + archive.path() + ". See the runs with `freezeframe runs list`."));
            ArchivedRun r = d.run();
            out.printf("Run %d%n", r.id());
            out.printf("  started     %s%n", TIME.format(r.startedAt()));
            out.printf("  ended       %s%n", r.endedAt().map(TIME::format).orElse("-"));
            out.printf("  duration    %s%n", r.durationMs().map(ms -> String.format("%.1f s", ms / 1000.0)).orElse("-"));
            out.printf("  verdict     %s%n", r.verdictLabel());
            r.reason().ifPresent(reason -> out.printf("  reason      %s%n", reason));
            dev.freezeframe.coordinator.findings.Findings.headline(RunFindings.of(archive, id))
                    .ifPresent(h -> out.printf("  headline    %s%n", h));
            r.archiveNote().ifPresent(note -> out.printf("  note        %s%n", note));
            archive.forkOf(r.id()).ifPresent(link -> out.printf("  forked from %s%n", link.describeParent()));
            out.printf("  scheduler   %s %s%n", r.scheduler(), r.schedulerArgs());
            for (RunConfig.SchedulerSwap swap : swapsOf(d.configJson())) {
                out.printf("  then        %s %s (swapped in at step %s)%n", swap.scheduler(), swap.args(), swap.step());
            }
            out.printf("  scenario    %s%n", r.scenario());
            out.printf("  kernel      %s%s%n", r.kernel(), r.kernelVersion().map(v -> " (" + v + ")").orElse(""));
            out.printf("  vcpus       %d, memory %d MiB%n", r.vcpus(), r.memoryMib());
            out.printf("  events      %d%s%n", d.eventCount(),
                    d.lastEventNs().map(ns -> String.format(" (last at %.3f s)", ns / 1e9)).orElse(""));
            out.printf("  snapshots   %d (%d placeholders)%n", d.snapshotCount(), d.placeholderCount());
            out.println("  config");
            ObjectMapper json = new ObjectMapper();
            String pretty = json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(d.configJson()));
            pretty.lines().forEach(line -> out.println("    " + line));
            List<WorkloadMetric> metrics = archive.runs().metrics(id);
            if (!metrics.isEmpty()) {
                out.println();
                out.println("  workload metrics");
                MetricsText.print(out, metrics);
            }
            List<SnapshotInfo> snapshots = archive.runs().snapshots(id);
            if (!snapshots.isEmpty()) {
                out.println();
                out.printf("  %-24s %-9s %12s %5s %10s  %s%n", "SNAPSHOT", "KIND", "AT", "STEP", "BYTES", "NOTE");
                for (SnapshotInfo s : snapshots) {
                    out.printf("  %-24s %-9s %12s %5s %10d  %s%n", s.tag(), s.kind().wireName(),
                            String.format("%.3f s", s.atNanos() / 1e9), s.stepIndex().map(String::valueOf).orElse("-"),
                            s.reportBytes(), s.placeholder() ? "placeholder: " + s.placeholderReason().orElse("") : "");
                }
            }
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }

    /** The schedulers the run's scenario swapped in (none for a config recorded before swaps existed). */
    private static List<RunConfig.SchedulerSwap> swapsOf(String configJson) {
        try {
            return new ObjectMapper().configure(
                    com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(configJson, RunConfig.class).swaps();
        } catch (java.io.IOException | RuntimeException unreadable) {
            return List.of();
        }
    }
}
