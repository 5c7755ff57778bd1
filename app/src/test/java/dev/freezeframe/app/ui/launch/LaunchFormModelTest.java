package dev.freezeframe.app.ui.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppException;
import dev.freezeframe.app.run.RunOption;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.app.ui.Settings;
import dev.freezeframe.app.ui.SettingsStore;
import dev.freezeframe.app.ui.Theme;
import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch form's model without a window: validation (check L1), start, the kit, remembered choices. */
class LaunchFormModelTest {
    @TempDir
    Path dir;

    private final List<LaunchChoices> remembered = new ArrayList<>();
    private final List<LaunchRequest> requests = new ArrayList<>();

    private LaunchFormModel model(FakeKit kit) {
        LaunchFormModel model = new LaunchFormModel(LaunchChoices.DEFAULTS, kit.model(Runnable::run),
                dir.resolve("archive.db"), dir.resolve("archive.db"), remembered::add);
        model.onStart(requests::add);
        return model;
    }

    private static void assertBlockedBy(LaunchFormModel model, RunOption option, String sentence) {
        assertEquals(sentence, model.problemProperty(option).get());
        assertFalse(model.canStartProperty().get(), "Start is disabled");
        assertEquals(sentence, model.startBlockedByProperty().get(), "the first reason is Start's tooltip");
        assertNull(model.configProperty().get());
        assertFalse(model.start(), "Start does nothing while the form is invalid");
    }

    @Test
    void theDefaultsMakeARunAndTheCommandLineSaysIt() {
        LaunchFormModel model = model(new FakeKit(true));
        assertTrue(model.canStartProperty().get(), model.startBlockedByProperty().get());
        assertEquals("", model.startBlockedByProperty().get());
        assertEquals(new RunConfig("scx_simple", List.of(), "cpu-pingpong", 2, 1024, "kit", 0, List.of(), false),
                model.configProperty().get());
        assertEquals("freezeframe run --scheduler scx_simple --scenario cpu-pingpong --vcpus 2 --memory 1G",
                model.commandLineProperty().get());
        for (RunOption option : RunOption.values()) assertEquals("", model.problemProperty(option).get());
    }

    @Test
    void anEmptySchedulerDisablesStartWithItsSentence() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setScheduler("  ");
        assertBlockedBy(model, RunOption.SCHEDULER, "Choose a scheduler: one of the kit's (scx_simple, scx_qmap,"
                + " scx_central) or the path of your own binary.");
        model.setScheduler("scx_qmap");
        assertTrue(model.canStartProperty().get());
        assertEquals("scx_qmap", model.configProperty().get().scheduler());
    }

    @Test
    void zeroVcpusDisablesStartWithItsSentence() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setVcpus(0);
        assertBlockedBy(model, RunOption.VCPUS, "The guest needs 1 to 64 vCPUs; got 0.");
        model.setVcpus("two");
        assertBlockedBy(model, RunOption.VCPUS, "The guest needs 1 to 64 vCPUs; got 'two'.");
        model.setVcpus("65");
        assertBlockedBy(model, RunOption.VCPUS, "The guest needs 1 to 64 vCPUs; got 65.");
        model.setVcpus(4);
        assertEquals(4, model.configProperty().get().vcpus());
    }

    @Test
    void memoryBelow256MibDisablesStartWithItsSentence() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setMemory("255M");
        assertBlockedBy(model, RunOption.MEMORY, "Guest memory must be between 256M and 64G; got '255M'.");
        model.setMemory("lots");
        assertBlockedBy(model, RunOption.MEMORY, "Guest memory must look like 1G or 768M; got 'lots'.");
        model.setMemory("256M");
        assertEquals(256, model.configProperty().get().memoryMib());
        assertTrue(model.commandLineProperty().get().contains("--memory 256M"), model.commandLineProperty().get());
    }

    @Test
    void snapshotsOutOfRangeDisableStartWithTheirSentence() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setSnapshots(1000);
        assertBlockedBy(model, RunOption.SNAPSHOTS, "Periodic snapshots must be between 0 and 999; got 1000.");
        model.setSnapshots("");
        assertBlockedBy(model, RunOption.SNAPSHOTS, "Periodic snapshots must be between 0 and 999; got ''.");
        model.setSnapshots(" 12 ");
        assertEquals(12, model.configProperty().get().snapshots());
    }

    @Test
    void aFourthWatchIsAddedAndDisablesStartWithTheEnginesSentence() {
        LaunchFormModel model = model(new FakeKit(true));
        for (String watch : List.of("total_forks", "jiffies_64+8:4", "nr_threads:read")) {
            model.setWatchEntry(watch);
            assertTrue(model.addWatch(), watch);
        }
        assertTrue(model.canStartProperty().get());
        assertEquals(List.of("total_forks", "jiffies_64+0x8:4", "nr_threads:read"), model.configProperty().get()
                .watches());
        model.setWatchEntry("max_pfn");
        assertTrue(model.addWatch());
        String engine = assertThrowsApp(() -> RunOptions.checkedWatches(List.of("total_forks", "jiffies_64+0x8:4",
                "nr_threads:read", "max_pfn")));
        assertTrue(engine.startsWith("--watch can be given at most 3 times (watch slots 1-3; slot 0 is the"
                + " scheduler-error trigger); got 4:"), engine);
        assertBlockedBy(model, RunOption.WATCHES, engine);
        model.removeWatch(3);
        assertTrue(model.canStartProperty().get());
    }

    @Test
    void includedFilesAreCheckedWithTheEnginesSentencesAndShownInTheCommandLine() throws Exception {
        Path tool = Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh\nexit 0\n");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        Path scenario = Files.writeString(dir.resolve("exec.json"), """
                {"schema": 2, "name": "exec", "steps": [{"name": "one", "duration_ms": 500, "workloads": [
                  {"kind": "exec", "workers": 1, "path": "tool"}]}]}""");
        LaunchFormModel model = model(new FakeKit(true));
        model.setScenario(scenario.toString());
        String unshipped = model.problemProperty(RunOption.SCENARIO).get();
        assertTrue(unshipped.contains("runs 'tool' (an exec workload's \"path\"), but no --include ships a file of"
                + " that name (none is shipped)."), unshipped);

        model.setIncludeEntry(text.toString());
        assertFalse(model.addInclude());
        String engine = assertThrowsApp(() -> dev.freezeframe.app.run.IncludedFiles.check(List.of(text.toString())));
        assertEquals(engine, model.includeEntryProblemProperty().get(), "refused at the field with the engine's words");
        assertEquals(text.toString(), model.includeEntryProperty().get(), "the text stays to be corrected");
        assertTrue(model.includes().isEmpty());

        model.setIncludeEntry(tool + ":tool");
        assertEquals("", model.includeEntryProblemProperty().get(), "typing clears the refusal");
        assertTrue(model.addInclude(), model.includeEntryProblemProperty().get());
        assertEquals(List.of(tool + ":tool"), model.includes());
        assertTrue(model.canStartProperty().get(), model.startBlockedByProperty().get());
        assertEquals(List.of(new RunConfig.IncludedFile(tool.toString(), "tool")), model.configProperty().get()
                .includes());
        assertTrue(model.commandLineProperty().get().endsWith(" --include " + tool + ":tool"),
                model.commandLineProperty().get());

        model.setIncludeEntry(dir.resolve("tool.sh") + ":tool");
        assertTrue(model.addInclude(), "one file reads on its own; the list is what ships it twice");
        String twice = assertThrowsApp(() -> dev.freezeframe.app.run.IncludedFiles.check(List.of(tool + ":tool",
                tool + ":tool")));
        assertBlockedBy(model, RunOption.INCLUDES, twice);
        assertTrue(model.commandLineProperty().get().contains("--include " + tool + ":tool --include " + tool
                + ":tool"), "the command shows what was typed even while it does not check");
        model.removeInclude(1);
        assertTrue(model.canStartProperty().get());

        LaunchChoices kept = model.choices();
        assertEquals(List.of(tool + ":tool"), kept.includes());
        LaunchFormModel reopened = model(new FakeKit(true));
        reopened.restore(kept);
        assertEquals(model.configProperty().get(), reopened.configProperty().get());
    }

    @Test
    void aWatchThatDoesNotReadIsRefusedAtTheFieldWithTheEnginesSentence() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setWatchEntry("total_forks:3");
        assertFalse(model.addWatch());
        assertTrue(model.watchEntryProblemProperty().get().startsWith("--watch total_forks:3: Cannot read the watch"
                + " 'total_forks:3': a watch covers 1, 2, 4 or 8 bytes, not 3."), model.watchEntryProblemProperty()
                .get());
        assertEquals("total_forks:3", model.watchEntryProperty().get(), "the text stays to be corrected");
        assertTrue(model.watches().isEmpty());
        assertTrue(model.canStartProperty().get(), "nothing was added, so nothing blocks Start");
        model.setWatchEntry("total_forks:4");
        assertEquals("", model.watchEntryProblemProperty().get(), "typing clears the refusal");
    }

    @Test
    void theFirstReasonFollowsTheFieldOrder() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setMemory("1T");
        model.setScheduler("");
        model.setVcpus(0);
        assertTrue(model.startBlockedByProperty().get().startsWith("Choose a scheduler"),
                model.startBlockedByProperty().get());
        assertEquals("The guest needs 1 to 64 vCPUs; got 0.", model.problemProperty(RunOption.VCPUS).get());
        assertTrue(model.commandLineProperty().get().startsWith("freezeframe run --scheduler '' --scenario"
                + " cpu-pingpong --vcpus 0 --memory 1T"), "shown as typed: " + model.commandLineProperty().get());
    }

    @Test
    void aCustomKernelThatIsNotAKernelImageIsAProblemOfTheKernelField() throws Exception {
        LaunchFormModel model = model(new FakeKit(true));
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "not a kernel\n".repeat(100));
        model.setKernelPath(notes.toString());
        assertEquals(LaunchFormModel.KernelSource.CUSTOM, model.kernelSourceProperty().get());
        assertTrue(model.problemProperty(RunOption.KERNEL).get().startsWith(notes + " is not a Linux kernel image"),
                model.problemProperty(RunOption.KERNEL).get());
        assertFalse(model.canStartProperty().get());
        model.setKernelSource(LaunchFormModel.KernelSource.KIT);
        assertTrue(model.canStartProperty().get(), "back on the kit's kernel");
        model.setKernelSource(LaunchFormModel.KernelSource.CUSTOM);
        model.setKernelPath("");
        assertEquals("Choose a kernel image (a bzImage), or boot the guest kit's kernel.",
                model.problemProperty(RunOption.KERNEL).get());
    }

    @Test
    void theScenarioPreviewListsTheStepsWithTheirWorkloadAndDuration() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setScenario("mixed");
        ScenarioPreview preview = model.previewProperty().get();
        assertEquals("mixed", preview.name());
        assertEquals(List.of(new ScenarioPreview.StepRow("warmup", "cpu · 2 workers", 1500, ""),
                new ScenarioPreview.StepRow("mixed", "mixed · 2 workers, 2 pairs, 1 forker", 5000, "")),
                preview.steps());
        assertEquals(6500, preview.totalMs());
        assertEquals("mixed · 2 steps · 6.5 s", preview.headline());

        model.setVcpus(0);
        assertNotNull(model.previewProperty().get(), "another field's problem does not hide the preview");
        model.setScenario("no-such-scenario");
        assertNull(model.previewProperty().get());
        assertTrue(model.problemProperty(RunOption.SCENARIO).get().startsWith("Unknown scenario 'no-such-scenario'"),
                model.problemProperty(RunOption.SCENARIO).get());
    }

    @Test
    void startRemembersTheChoicesAndHandsOutTheCheckedConfig() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setScheduler("scx_qmap");
        model.setSchedulerArgs("-e 50");
        model.setSnapshots(10);
        model.setFreezeOnEnable(true);
        model.setWatchEntry("total_forks");
        model.addWatch();
        assertTrue(model.start());
        assertEquals(1, requests.size());
        LaunchRequest request = requests.getFirst();
        assertEquals(new RunConfig("scx_qmap", List.of("-e", "50"), "cpu-pingpong", 2, 1024, "kit", 10,
                List.of("total_forks"), true), request.config());
        assertEquals(dir.resolve("archive.db"), request.archive());
        assertEquals("freezeframe run --scheduler scx_qmap --sched-args '-e 50' --scenario cpu-pingpong --vcpus 2"
                + " --memory 1G --snapshots 10 --watch total_forks --freeze-on-enable", request.commandLine());
        assertEquals(List.of(model.choices()), remembered);
        assertEquals("scx_qmap", remembered.getFirst().scheduler());
        assertTrue(remembered.getFirst().freezeOnEnable());
    }

    @Test
    void aNonDefaultArchiveIsNamedInTheCommandLine() {
        LaunchFormModel model = model(new FakeKit(true));
        model.setArchive(dir.resolve("other runs.db"));
        assertTrue(model.commandLineProperty().get().endsWith(" --db '" + dir.resolve("other runs.db") + "'"),
                model.commandLineProperty().get());
    }

    @Test
    void aMissingKitBlocksStartUntilItIsBuilt() {
        FakeKit fake = new FakeKit(false);
        ConcurrentLinkedQueue<Runnable> fx = new ConcurrentLinkedQueue<>();
        KitModel kit = fake.model(fx::add);
        drain(fx);
        LaunchFormModel model = new LaunchFormModel(LaunchChoices.DEFAULTS, kit, dir.resolve("archive.db"),
                dir.resolve("archive.db"), remembered::add);
        assertEquals(KitModel.State.MISSING, kit.stateProperty().get());
        assertFalse(model.canStartProperty().get());
        assertEquals("The guest kit is not built yet; building it takes a few minutes once.",
                model.startBlockedByProperty().get());
        assertNotNull(model.configProperty().get(), "the fields themselves are fine");
        kit.build();
        assertEquals("The guest kit is being built.", model.startBlockedByProperty().get());
        awaitState(kit, KitModel.State.READY, fx);
        assertTrue(model.canStartProperty().get(), model.startBlockedByProperty().get());
        assertTrue(kit.log().contains("✔ download: 3 packages, 80 MB"), kit.log().toString());
    }

    @Test
    void aKitBuildCanBeCancelled() throws Exception {
        FakeKit fake = new FakeKit(false);
        fake.buildWaitsForCancel = true;
        ConcurrentLinkedQueue<Runnable> fx = new ConcurrentLinkedQueue<>();
        KitModel kit = fake.model(fx::add);
        drain(fx);
        kit.build();
        assertEquals(KitModel.State.BUILDING, kit.stateProperty().get());
        assertTrue(fake.buildStarted.await(10, TimeUnit.SECONDS));
        drain(fx);
        assertEquals(0.5, kit.progressProperty().get(), 1e-9, "download progress is shown");
        kit.cancelBuild();
        awaitState(kit, KitModel.State.MISSING, fx);
        assertTrue(kit.summaryProperty().get().startsWith("The kit build was cancelled"), kit.summaryProperty().get());
    }

    @Test
    void choicesAreKeptInTheSettingsFileBesideTheOlderFields() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"DARK\",\"window\":null}");
        SettingsStore store = new SettingsStore(file);
        Settings old = store.load();
        assertEquals(Theme.DARK, old.theme());
        assertEquals(LaunchChoices.DEFAULTS, old.launch(), "a file from before the form gets the defaults");

        LaunchChoices mine = new LaunchChoices(true, "/tmp/bzImage", "scx_qmap", "-e 50", "mixed", 4, "2G", 10,
                List.of("total_forks"), true, List.of("/tmp/tool:tool"));
        store.save(old.withLaunch(mine));
        Settings back = store.load();
        assertEquals(mine, back.launch());
        assertEquals(Theme.DARK, back.theme());

        Files.writeString(file, "{\"launch\":{\"scheduler\":\"scx_central\",\"future_field\":1}}");
        LaunchChoices partial = new SettingsStore(file).load().launch();
        assertEquals("scx_central", partial.scheduler());
        assertEquals(2, partial.vcpus(), "missing fields take their defaults");
        assertEquals("1G", partial.memory());

        LaunchFormModel model = model(new FakeKit(true));
        model.restore(mine);
        assertEquals("-e 50", model.schedulerArgsProperty().get());
        assertEquals(List.of("total_forks"), model.watches());
        assertEquals(List.of("/tmp/tool:tool"), model.includes());
        assertEquals(LaunchFormModel.KernelSource.CUSTOM, model.kernelSourceProperty().get());
        assertEquals(mine, model.choices());
    }

    /** Runs the FX hand-offs on this thread until the kit reaches {@code state}, for at most 10 s. */
    private static void awaitState(KitModel kit, KitModel.State state, ConcurrentLinkedQueue<Runnable> fx) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (kit.stateProperty().get() != state && System.nanoTime() < deadline) {
            drain(fx);
            Thread.onSpinWait();
        }
        assertEquals(state, kit.stateProperty().get());
    }

    private static void drain(ConcurrentLinkedQueue<Runnable> fx) {
        for (Runnable r; (r = fx.poll()) != null; ) r.run();
    }

    private static String assertThrowsApp(Runnable action) {
        try {
            action.run();
        } catch (AppException e) {
            assertTrue(e.isUsageError());
            return e.getMessage();
        }
        throw new AssertionError("expected a usage error");
    }
}
