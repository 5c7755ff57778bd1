package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.live.FakeKernel;
import dev.freezeframe.app.live.FakeLiveRun;
import dev.freezeframe.app.live.FakeScript;
import dev.freezeframe.app.live.KallsymsCache;
import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.symbols.KernelSymbolSources;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.symbols.SymbolRow;
import dev.freezeframe.timeline.TimelineSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Symbols panel over the scripted live run (the fake guest's 2 000-symbol kallsyms, arming through the real
 * {@code WatchSlots}): search ranking, arming by click, the engine's refusal sentences on the row, slot states (armed,
 * hits, disarmed, auto-disarmed as hot), "stay frozen on hit" and Resume, and an archived run that browses only.
 */
@ExtendWith(ApplicationExtension.class)
class SymbolBrowserTest {
    private static final long MS = 1_000_000L;
    private static final String FAKE_RELEASE = "7.3.4+deb13-cloud-amd64 (fake)";

    @TempDir
    Path dir;

    private Workbench workbench;
    private Archive archive;
    private final AtomicReference<FakeLiveRun> started = new AtomicReference<>();

    @Start
    void start(Stage stage) throws Exception {
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"),
                dir.resolve("cache"));
        archive = Archive.open(dirs.defaultArchive());
        // what a live run of the fake's kernel would have cached: the archived tab browses it
        KallsymsCache cache = KallsymsCache.in(dirs);
        cache.save(KallsymsCache.key(FAKE_RELEASE, ""), FakeKernel.symbols());
        KernelSymbolSources sources = new KernelSymbolSources(Optional.of(cache), Optional::empty);
        workbench = new Workbench(dirs, "hint", (config, path) -> {
            FakeLiveRun run = FakeLiveRun.start(archive, config, FakeScript.standard());
            started.set(run);
            return run;
        }, ProductWiring.views(sources), Workbench::productLaunchForm);
        workbench.show(stage, dirs.defaultArchive());
    }

    @AfterEach
    void close() {
        if (started.get() != null) started.get().stop("test over");
        archive.close();
    }

    private RunTabView launchToArmable(FxRobot robot) throws Exception {
        robot.interact(() -> workbench.startRun(FakeLiveRun.config(false)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.runs().current() != null);
        RunTabView tab = workbench.runs().current();
        advanceTo(2_000);
        await(() -> tab.model().controlsProperty().get().canArm());
        robot.interact(() -> tab.workspace().reveal(RunPanels.SYMBOLS));
        await(() -> tab.symbols().view().model().catalogProperty().get() != null
                && tab.symbols().view().model().catalogProperty().get().live());
        return tab;
    }

    private void advanceTo(long atMs) {
        FakeLiveRun run = started.get();
        run.advance(Duration.ofNanos(Math.max(0, atMs * MS - run.nowNs())));
        run.flush();
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private static TableView<SymbolRow> table(FxRobot robot) {
        return robot.lookup("#symbolTable").queryAs(TableView.class);
    }

    private static void search(FxRobot robot, String text) throws Exception {
        robot.clickOn("#symbolSearch").eraseText(40).write(text);
        await(() -> {
            var items = table(robot).getItems();
            return robot.lookup("#symbolStatus").queryAs(Label.class).getText().contains(" match ")
                    && !items.isEmpty() && items.getFirst().name().toLowerCase().contains(text.toLowerCase());
        });
    }

    /** The watch cell's text of the row showing {@code name}. */
    private static String watchCell(FxRobot robot, String name) {
        return robot.lookup("#arm-" + name).queryAs(javafx.scene.control.Hyperlink.class).getParent()
                .getChildrenUnmodifiable().stream().filter(n -> n instanceof Label).map(n -> ((Label) n).getText())
                .findFirst().orElse("");
    }

    @Test
    void typingRanksTheExactSymbolFirstAndAClickArmsIt(FxRobot robot) throws Exception {
        RunTabView tab = launchToArmable(robot);
        search(robot, "total_f");
        assertEquals("total_forks", table(robot).getItems().getFirst().name(), "W1: the prefix match comes first");
        assertTrue(robot.lookup("#symbolStatus").queryAs(Label.class).getText()
                .startsWith("1 of 2\u2009000 match · exact > prefix > word start > substring · the live guest"),
                robot.lookup("#symbolStatus").queryAs(Label.class).getText());
        search(robot, "jiffies");
        assertEquals("jiffies", table(robot).getItems().getFirst().name(), "exact before prefix (jiffies_64)");
        assertEquals("jiffies_64", table(robot).getItems().get(1).name());

        search(robot, "total_forks");
        robot.clickOn("#arm-total_forks");
        await(() -> tab.model().slots().get(1).state() == WatchSlotState.State.ARMED);
        await(() -> watchCell(robot, "total_forks").startsWith("armed slot 1: total_forks (write, 8 bytes at"));
        assertEquals(0, tab.model().slots().get(1).hits());
        started.get().hit("total_forks");
        started.get().flush();
        await(() -> tab.model().slots().get(1).hits() == 1);
        assertTrue(robot.lookup("#watchSlotCompact1").queryAs(Label.class).getText().startsWith("total_forks — armed"),
                "the slot under the browser shows it");
        await(() -> tab.snapshots().rows().stream().map(SnapshotInfo::tag).anyMatch("watch:total_forks"::equals));
    }

    @Test
    void theEnginesRefusalsAreShownVerbatimOnTheRow(FxRobot robot) throws Exception {
        RunTabView tab = launchToArmable(robot);
        search(robot, "schedule");
        SymbolRow schedule = table(robot).getItems().getFirst();
        assertEquals("schedule", schedule.name());
        assertEquals("✗ a function (not watchable: watchpoints watch data)", watchCell(robot, "schedule"),
                "W3: greyed with the reason before asking");
        robot.interact(() -> table(robot).getSelectionModel().select(0));
        robot.clickOn(robot.lookup("#symbolTable .table-row-cell").nth(0).queryAs(javafx.scene.Node.class));
        robot.type(KeyCode.ENTER);
        await(() -> watchCell(robot, "schedule").startsWith("schedule is a function (0xffffffff81200000 lies in the"
                + " kernel's code)"));
        assertEquals(watchCell(robot, "schedule"), robot.lookup("#symbolAnswer").queryAs(Label.class).getText());

        search(robot, "runqueues");
        robot.clickOn("#arm-runqueues");
        await(() -> watchCell(robot, "runqueues").startsWith("runqueues is a per-CPU variable"));

        for (String name : new String[] {"total_forks", "nr_threads", "small_int"}) {
            search(robot, name);
            robot.clickOn("#arm-" + name);
            await(() -> watchCell(robot, name).startsWith("armed slot"));
        }
        search(robot, "after_threads");
        robot.clickOn("#arm-after_threads");
        await(() -> watchCell(robot, "after_threads").startsWith("All 3 user watch slots are in use (1: total_forks,"
                + " 2: nr_threads, 3: small_int)"));
        assertEquals(WatchSlotState.State.ARMED, tab.model().slots().get(3).state());
    }

    @Test
    void slotStatesArmedDisarmedAndHot(FxRobot robot) throws Exception {
        RunTabView tab = launchToArmable(robot);
        search(robot, "jiffies_64");
        robot.clickOn("#arm-jiffies_64");
        search(robot, "total_forks");
        robot.clickOn("#arm-total_forks");
        await(() -> tab.model().slots().get(2).state() == WatchSlotState.State.ARMED);
        for (int i = 0; i < 21; i++) started.get().hit("jiffies_64"); // 21 hits within 1 s of the fake's clock
        started.get().flush();
        await(() -> tab.model().slots().get(1).state() == WatchSlotState.State.AUTO_DISARMED);
        assertTrue(robot.lookup("#watchSlotCompact1").queryAs(Label.class).getText()
                .startsWith("jiffies_64 — auto-disarmed (hot)"));
        robot.clickOn("#disarmSlotCompact2");
        await(() -> tab.model().slots().get(2).state() == WatchSlotState.State.DISARMED);
        assertTrue(robot.lookup("#watchSlotCompact2").queryAs(Label.class).getText()
                .startsWith("total_forks — disarmed"));
        assertTrue(robot.lookup("#watchSlotCompact0").queryAs(Label.class).getText()
                .startsWith("scx_root->exit_kind — armed"), "slot 0 is the error trigger");
    }

    @Test
    void aStayFrozenSlotHoldsTheGuestOnTheHitsSnapshotUntilResume(FxRobot robot) throws Exception {
        RunTabView tab = launchToArmable(robot);
        search(robot, "total_forks");
        robot.clickOn("#arm-total_forks");
        await(() -> tab.model().slots().get(1).state() == WatchSlotState.State.ARMED);
        robot.clickOn("#stayFrozenCompact1");
        await(() -> tab.model().slots().get(1).stayFrozen());
        assertTrue(robot.lookup("#statusSlots").queryAs(Label.class).getText().contains("①total_forks ❄"));

        started.get().hit("total_forks");
        started.get().flush();
        await(() -> tab.model().guestStateProperty().get() == GuestState.FROZEN);
        await(() -> tab.context().selection() instanceof TimelineSelection.Snapshot s
                && s.tag().equals("watch:total_forks"));
        long frozenAt = started.get().nowNs();
        started.get().advance(Duration.ofSeconds(2));
        assertEquals(GuestState.FROZEN, tab.model().guestStateProperty().get(), "held until Resume");
        robot.type(KeyCode.F5);
        await(() -> tab.model().guestStateProperty().get() == GuestState.RUNNING);
        advanceTo(frozenAt / MS + 4_000);
        await(() -> tab.model().stepProperty().get().contains("pingpong"));
    }

    @Test
    void anArchivedRunBrowsesItsKernelsCachedSymbolsOnly(FxRobot robot) throws Exception {
        RunTabView live = launchToArmable(robot);
        long runId = live.model().runId();
        advanceTo(8_000);
        await(() -> live.model().guestStateProperty().get() == GuestState.ENDED);
        await(() -> !workbench.runs().liveRuns().containsKey(runId));
        robot.interact(() -> workbench.runs().close(runId));
        robot.interact(() -> workbench.openRun(runId, Optional.empty()));
        await(() -> workbench.runs().tabOf(runId).isPresent());
        RunTabView tab = workbench.runs().tabOf(runId).orElseThrow();
        robot.interact(() -> tab.workspace().reveal(RunPanels.SYMBOLS));
        await(() -> tab.symbols().view().model().catalogProperty().get() != null);
        assertTrue(robot.lookup("#symbolArmNote").queryAs(Label.class).getText()
                .startsWith("Browse only: the run has ended."));
        search(robot, "total_forks");
        assertTrue(robot.lookup("#symbolStatus").queryAs(Label.class).getText()
                .endsWith("cached kallsyms of " + FAKE_RELEASE));
        robot.clickOn("#arm-total_forks");
        await(() -> watchCell(robot, "total_forks").equals("Browse only: the run has ended."));
    }
}
