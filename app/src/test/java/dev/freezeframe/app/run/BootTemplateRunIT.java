package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.BootTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs from boot templates on the real kit: the first run of a machine boots and saves its template, the next starts
 * from it; both pass like a cold-booted run, with the scheduler attached and the scenario's steps. A damaged template
 * is reported and replaced by a cold boot that saves a new one. A cold boot is kept.
 */
class BootTemplateRunIT {
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    private RunResult run(Archive archive, BootTemplates templates, boolean coldBoot) {
        RunConfig config = new RunConfig("scx_simple", List.of(), "cpu", 2, 1024, "kit", 0, List.of());
        return new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT, WatchPolicy.DEFAULT, false, templates)
                .coldBoot(coldBoot)
                .run(config, kit, ScenarioLoader.load(config.scenario()), archive, e -> { });
    }

    private static List<RunEvent> events(Archive archive, long runId, Lane lane) {
        return archive.runs().events(runId, lane, 0, Long.MAX_VALUE, 100_000);
    }

    private static boolean has(Archive archive, long runId, String kind) {
        return events(archive, runId, Lane.LIFECYCLE).stream().anyMatch(e -> e.kind().equals(kind));
    }

    @Test
    void theFirstRunSavesTheTemplateTheSecondStartsFromItADamagedOneFallsBackAndAColdBootStillWorks()
            throws IOException {
        BootTemplates templates = new BootTemplates(dir.resolve("templates"));
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult first = run(archive, templates, false);
            assertEquals(Verdict.PASSED, first.outcome().decision().verdict(), first.outcome().decision().reason());
            assertTrue(has(archive, first.runId(), "template_saved"), "the first run saves the template");

            RunResult restored = run(archive, templates, false);
            assertEquals(Verdict.PASSED, restored.outcome().decision().verdict(),
                    restored.outcome().decision().reason());
            assertTrue(has(archive, restored.runId(), "template_restored"), "the second run starts from it");
            assertFalse(has(archive, restored.runId(), "template_saved"));
            assertTrue(events(archive, restored.runId(), Lane.LIFECYCLE).stream()
                    .anyMatch(e -> e.kind().equals("scheduler_enabled") && e.text().equals("simple")));
            assertEquals(List.of("cpu"), events(archive, restored.runId(), Lane.STEPS).stream()
                    .map(RunEvent::text).toList());
            List<String> console = events(archive, restored.runId(), Lane.CONSOLE).stream().map(RunEvent::text)
                    .toList();
            assertTrue(console.stream().anyMatch(l -> l.contains("Linux version")), "the template's boot console");
            assertTrue(console.stream().anyMatch(l -> l.startsWith("FFAGENT plan ") && l.contains("source=channel")),
                    "the plan came over the channel");

            // a template that no longer loads: the run says why, boots cold, passes and saves a new template
            try (var dirs = Files.list(templates.root())) {
                Path ram = dirs.filter(Files::isDirectory).findFirst().orElseThrow().resolve(BootTemplate.RAM);
                Files.write(ram, new byte[] {1, 2, 3});
            }
            RunResult fallback = run(archive, templates, false);
            assertEquals(Verdict.PASSED, fallback.outcome().decision().verdict(),
                    fallback.outcome().decision().reason());
            assertTrue(events(archive, fallback.runId(), Lane.HARNESS).stream()
                    .anyMatch(e -> e.kind().equals("template_failed") && e.text().contains("RAM image is unusable")),
                    "the failed restore is said, with why");
            assertTrue(has(archive, fallback.runId(), "template_saved"), "and a new template is made");

            RunResult cold = run(archive, templates, true);
            assertEquals(Verdict.PASSED, cold.outcome().decision().verdict(), cold.outcome().decision().reason());
            assertFalse(has(archive, cold.runId(), "template_restored"));
            assertFalse(has(archive, cold.runId(), "template_saved"));
        }
    }
}
