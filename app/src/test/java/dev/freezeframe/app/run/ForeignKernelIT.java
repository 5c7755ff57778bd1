package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.cli.CommandLines;
import dev.freezeframe.app.Prerequisites;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run --kernel} with a second Debian kernel flavour, not the kit's cloud build (the generic {@code -amd64} kernel
 * of the same release, fetched by {@code scripts/fetch-test-kernel.sh}): the guest sends its own BTF and release, the
 * snapshots are decoded with them (scx_qmap's arena counter rises from one snapshot to the next) and the archive
 * records that kernel's release. Skipped without the second kernel on a developer's machine, failed under CI.
 */
class ForeignKernelIT {
    @TempDir
    Path dir;

    @Test
    void aGenericDebianKernelIsDecodedWithItsOwnTypesAndArchivedUnderItsRelease() {
        Kit kit = GuestKitForTests.require();
        String release = kit.kernelVersion().replace("-cloud-amd64", "-amd64");
        Path kernel = GuestKitForTests.USER_DIRS.cacheDir().resolve("test-kernels").resolve("vmlinuz-" + release);
        Prerequisites.require(Files.isRegularFile(kernel), "the second test kernel " + kernel + " is missing",
                "run scripts/fetch-test-kernel.sh");
        assertNotEquals(kit.kernelVersion(), release, "a kernel other than the kit's");

        Path db = dir.resolve("archive.db");
        long runId;
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        try (Archive archive = Archive.open(db)) {
            RunConfig config = new RunConfig("scx_qmap", List.of(), "capture-mid", 2, 1024, kernel.toString(), 5,
                    List.of());
            RunResult result = new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT).run(config, kit,
                    ScenarioLoader.load("capture-mid"), archive, events::add);
            runId = result.runId();
            assertEquals(Verdict.PASSED, result.outcome().decision().verdict(), result.outcome().decision().reason());

            RunEvent types = events.stream().filter(e -> e.lane() == Lane.HARNESS && e.kind().startsWith("kernel_types"))
                    .findFirst().orElseThrow(() -> new AssertionError("no kernel_types event: " + events));
            assertEquals("kernel_types", types.kind(), types.text());
            assertTrue(types.text().startsWith("kernel " + release + " (build id "), types.text());

            List<Double> enqueued = archive.runs().fieldSeries(runId, "arena", "qa.nr_enqueued").stream()
                    .filter(p -> p.value().isPresent()).map(p -> p.value().getAsDouble()).toList();
            assertTrue(enqueued.size() >= 5, "qa.nr_enqueued decoded in every periodic snapshot: " + enqueued);
            for (int i = 1; i < enqueued.size(); i++) {
                assertTrue(enqueued.get(i) >= enqueued.get(i - 1), "qa.nr_enqueued went down: " + enqueued);
            }
            assertTrue(enqueued.getLast() > enqueued.getFirst(), "qa.nr_enqueued rises during the run: " + enqueued);
            assertFalse(archive.runs().fieldSeries(runId, "arena", "qa.nr_dispatched").isEmpty());
        }

        StringWriter out = new StringWriter();
        CommandLine cli = CommandLines.create(GuestKitForTests.USER_DIRS);
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("runs", "list", "--db", db.toString()));
        String row = out.toString().lines().filter(l -> l.strip().startsWith(runId + " ")).findFirst().orElseThrow();
        assertTrue(row.contains(release) && !row.contains(kit.kernelVersion()), row);
    }
}
