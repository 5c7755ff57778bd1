package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.launch.LaunchFormModel;
import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.snapshots.symbols.SymbolBrowserModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Takes the screenshots a person judges the workbench by, from a real window (run under Xvfb: the SW pipeline) driving
 * the real engine: the launch form, a live scx_qmap run mid-way, its symbol browser with armed slots, the same run
 * frozen, and an archived run whose
 * scheduler failed — each in the light and the dark theme. Not a test: {@code scripts/screenshots.sh} runs it.
 *
 * <p>Arguments: output folder, width, height.
 */
public final class ScreenshotTour {
    private static final long TIMEOUT_S = 300;

    private ScreenshotTour() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        Files.createDirectories(out);
        Path home = Files.createTempDirectory("ff-tour");
        AppDirs real = AppDirs.fromEnvironment();
        // a fresh archive and settings, the user's kit
        AppDirs dirs = new AppDirs(home.resolve("data"), home.resolve("config"), home.resolve("state"),
                real.cacheDir());
        String prefix = width + "x" + height;

        Workbench workbench = showWindow(dirs, "Start a first run with: freezeframe run --scheduler scx_simple",
                width, height);
        Stage stage = fx(() -> (Stage) workbench.documents().getScene().getWindow());

        // 1. the launch form, filled in
        fx(() -> {
            workbench.openLaunchForm();
            LaunchFormModel form = workbench.launchModel().orElseThrow();
            form.setScheduler("scx_qmap");
            form.setSchedulerArgs("");
            // 6.5 s: room to shoot the run live (both themes) and freeze it before it ends, even on a loaded machine
            form.setScenario("mixed");
            form.setSnapshots(8);
            form.setWatchEntry("total_forks");
            form.addWatch();
            return null;
        });
        waitFor(() -> fx(() -> workbench.launchModel().orElseThrow().canStartProperty().get()));
        shootBoth(workbench, stage, out.resolve(prefix + "-launch-form"));

        // 2. the run, live, mid-way
        fx(() -> workbench.launchModel().orElseThrow().start());
        waitFor(() -> fx(() -> workbench.runs().current() != null));
        RunTabView live = fx(() -> workbench.runs().current());
        waitFor(() -> fx(() -> live.model().snapshotsProperty().get() >= 3
                && live.model().guestStateProperty().get() == GuestState.RUNNING));
        pause(500);
        shootBoth(workbench, stage, out.resolve(prefix + "-live"));

        // 3. frozen
        CompletableFuture<String> frozen = fx(() -> live.model().freeze());
        frozen.get(60, TimeUnit.SECONDS);
        pause(2000);
        shootBoth(workbench, stage, out.resolve(prefix + "-frozen"));

        // 3b. while frozen (the run cannot end meanwhile), the symbol browser: total_forks armed from the form,
        // nr_threads armed from the browser, and a function's refusal on its row among the greyed functions
        symbolBrowser(live);
        shootBoth(workbench, stage, out.resolve(prefix + "-symbols"));
        fx(() -> live.model().resume()).get(60, TimeUnit.SECONDS);
        waitFor(() -> fx(() -> live.model().guestStateProperty().get() == GuestState.ENDED));

        // 4. a scheduler that fails, opened from the archive
        fx(() -> {
            workbench.openLaunchForm();
            LaunchFormModel form = workbench.launchModel().orElseThrow();
            form.removeWatch(0);
            form.setSchedulerArgs("-e 50");
            form.setSnapshots(3);
            return null;
        });
        waitFor(() -> fx(() -> workbench.launchModel().orElseThrow().canStartProperty().get()));
        fx(() -> workbench.launchModel().orElseThrow().start());
        waitFor(() -> fx(() -> workbench.runs().current() != null && workbench.runs().current() != live));
        RunTabView failing = fx(() -> workbench.runs().current());
        long failedId = failing.model().runId();
        waitFor(() -> fx(() -> failing.model().guestStateProperty().get() == GuestState.ENDED));
        // reopened before the run is done (its archive closed), it would open live again
        waitFor(() -> fx(() -> !workbench.runs().liveRuns().containsKey(failedId)));
        fx(() -> {
            workbench.runs().close(failedId);
            workbench.openRun(failedId, Optional.empty());
            return null;
        });
        waitFor(() -> fx(() -> workbench.runs().tabOf(failedId).map(v -> !v.model().isLive()).orElse(false)));
        pause(2500);
        shootBoth(workbench, stage, out.resolve(prefix + "-failed"));

        // 4b. the same run with its docks rearranged (what dragging tabs makes): the drawer split into Console |
        // Events + Watch slots, the inspector holding Snapshots and Symbols; then Reset layout
        fx(() -> {
            var drawer = dev.freezeframe.app.ui.run.DockTree.split(false, java.util.List.of(0.55), java.util.List.of(
                    dev.freezeframe.app.ui.run.DockTree.tabs(java.util.List.of(RunPanels.CONSOLE), RunPanels.CONSOLE),
                    dev.freezeframe.app.ui.run.DockTree.tabs(java.util.List.of(RunPanels.EVENTS, RunPanels.SLOTS),
                            RunPanels.SLOTS)));
            var inspector = dev.freezeframe.app.ui.run.DockTree.tabs(java.util.List.of(RunPanels.SNAPSHOT,
                    RunPanels.SYMBOLS), RunPanels.SNAPSHOT);
            RunTabView tab = workbench.runs().tabOf(failedId).orElseThrow();
            tab.workspace().applyLayout(tab.workspace().currentLayout().withDocks(drawer, inspector));
            return null;
        });
        pause(1500);
        shootBoth(workbench, stage, out.resolve(prefix + "-docked"));
        fx(() -> {
            workbench.resetLayout();
            return null;
        });

        // 5. the live run of step 2, archived: a diff with "changed only" and the arena counter plotted
        SnapshotViewerShots.diffAndPlot(workbench, live.model().runId(), () -> {
            shootBoth(workbench, stage, out.resolve(prefix + "-snapshot-diff"));
            return null;
        });

        // 5b. the Compare tab: the live run of step 2 (scx_qmap) against a run of scx_simple on the same scenario,
        // timelines aligned on "scheduler enabled" beside the metric table
        compare(workbench, live.model().runId());
        shootBoth(workbench, stage, out.resolve(prefix + "-compare"));

        // 6. the palette and the keyboard help over it
        fx(() -> {
            workbench.palette().show();
            return null;
        });
        pause(500);
        shootBoth(workbench, stage, out.resolve(prefix + "-palette"));
        fx(() -> {
            workbench.palette().hide();
            workbench.keyHelp().show();
            return null;
        });
        pause(500);
        shootBoth(workbench, stage, out.resolve(prefix + "-keys"));
        fx(() -> {
            workbench.keyHelp().hide();
            workbench.showRuns();
            return null;
        });
        pause(1500);
        shootBoth(workbench, stage, out.resolve(prefix + "-runs"));
        System.out.println("screenshots in " + out);
        Runtime.getRuntime().halt(0);
    }

    private static void compare(Workbench workbench, long baseline) throws Exception {
        fx(() -> {
            workbench.openLaunchForm();
            LaunchFormModel form = workbench.launchModel().orElseThrow();
            form.setScheduler("scx_simple");
            form.setSchedulerArgs("");
            form.setSnapshots(3);
            return null;
        });
        waitFor(() -> fx(() -> workbench.launchModel().orElseThrow().canStartProperty().get()));
        long before = fx(() -> workbench.runs().current() == null ? -1 : workbench.runs().current().model().runId());
        fx(() -> workbench.launchModel().orElseThrow().start());
        waitFor(() -> fx(() -> workbench.runs().current() != null
                && workbench.runs().current().model().runId() != before));
        RunTabView other = fx(() -> workbench.runs().current());
        waitFor(() -> fx(() -> other.model().guestStateProperty().get() == GuestState.ENDED));
        fx(() -> {
            workbench.openCompare(baseline, other.model().runId());
            return null;
        });
        waitFor(() -> fx(() -> workbench.documents().getSelectionModel().getSelectedItem().getContent()
                instanceof dev.freezeframe.app.ui.compare.CompareView v
                && v.model().statusProperty().get() == dev.freezeframe.app.ui.compare.CompareModel.Status.READY));
        pause(2500);
    }

    private static void symbolBrowser(RunTabView live) throws Exception {
        fx(() -> {
            live.workspace().reveal(RunPanels.SYMBOLS);
            return null;
        });
        SymbolBrowserModel browser = fx(() -> live.symbols().view().model());
        waitFor(() -> fx(() -> browser.catalogProperty().get() != null && browser.catalogProperty().get().live()));
        for (String name : new String[] {"nr_threads", "schedule"}) {
            fx(() -> {
                browser.queryProperty().set(name);
                return null;
            });
            waitFor(() -> fx(() -> !browser.rowsProperty().get().isEmpty()
                    && browser.rowsProperty().get().getFirst().name().equals(name)));
            fx(() -> {
                browser.arm(browser.rowsProperty().get().getFirst());
                return null;
            });
            waitFor(() -> fx(() -> browser.answerFor(name).map(a -> !a.text().equals("arming…")).orElse(false)));
        }
        pause(1000);
    }

    static void shootBoth(Workbench w, Stage stage, Path base) throws Exception {
        fx(() -> {
            w.applyTheme(Theme.LIGHT);
            return null;
        });
        pause(400);
        fx(() -> {
            UiSnapshots.writePng(stage.getScene(), base.resolveSibling(base.getFileName() + "-light.png"));
            w.applyTheme(Theme.DARK);
            return null;
        });
        pause(400);
        fx(() -> {
            UiSnapshots.writePng(stage.getScene(), base.resolveSibling(base.getFileName() + "-dark.png"));
            return null;
        });
    }

    private static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms); // a tour for a person's eyes: let animations and live data settle before the picture
    }

    /** Fresh folders under a new temporary home, its archive's folder made: for shots over a synthetic archive. */
    static AppDirs syntheticHome(String prefix) throws Exception {
        Path home = Files.createTempDirectory(prefix);
        AppDirs dirs = new AppDirs(home.resolve("data"), home.resolve("config"), home.resolve("state"),
                home.resolve("cache"));
        Files.createDirectories(dirs.defaultArchive().getParent());
        return dirs;
    }

    /** Starts JavaFX and shows the product's window on {@code dirs}' archive at the given size. */
    static Workbench showWindow(AppDirs dirs, int width, int height) throws Exception {
        return showWindow(dirs, "", width, height);
    }

    /** As {@link #showWindow(AppDirs, int, int)}, with the empty archive's first-run hint. */
    static Workbench showWindow(AppDirs dirs, String hint, int width, int height) throws Exception {
        Platform.startup(() -> { });
        return fx(() -> {
            Stage stage = new Stage();
            Workbench w = new Workbench(dirs, hint);
            w.show(stage, dirs.defaultArchive());
            stage.setWidth(width);
            stage.setHeight(height);
            return w;
        });
    }

    static void waitFor(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the tour timed out waiting");
            Thread.sleep(200);
        }
    }

    static <T> T fx(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }
}
