package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.cli.VersionInfo;
import dev.freezeframe.app.ui.compare.CompareModel;
import dev.freezeframe.app.ui.launch.LaunchFormModel;
import dev.freezeframe.app.ui.launch.LaunchFormView;
import dev.freezeframe.app.ui.compare.CompareView;
import dev.freezeframe.app.ui.fork.ForkAvailability;
import dev.freezeframe.app.ui.fork.ForkFormModel;
import dev.freezeframe.app.ui.fork.ForkOverlay;
import dev.freezeframe.app.ui.fork.ForkRequest;
import dev.freezeframe.app.ui.run.LayoutStore;
import dev.freezeframe.app.ui.run.LiveRunStarter;
import dev.freezeframe.app.ui.run.RunLayout;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.run.RunViewFactory;
import dev.freezeframe.app.ui.shell.CommandPalette;
import dev.freezeframe.app.ui.shell.KeyHelpView;
import dev.freezeframe.app.ui.shell.KeyMap;
import dev.freezeframe.app.ui.shell.StatusBarView;
import dev.freezeframe.coordinator.live.LiveRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;

/**
 * Builds the workbench window on a stage: theme (following the desktop unless pinned), menus, navigation rail, the
 * document tabs (Runs browser, launch form, run tabs), the status bar, the command palette and keyboard help, and the
 * remembered window geometry and run-tab layout. The same code serves the real launcher and the UI tests, which hand
 * in a scripted {@link LiveRunStarter}.
 */
public final class Workbench {
    static final double DEFAULT_WIDTH = 1280;
    static final double DEFAULT_HEIGHT = 800;
    private static final Set<String> PANELS = RunPanels.NAMES.keySet();

    private final AppDirs dirs;
    private final SettingsStore settingsStore;
    private final LayoutStore layoutStore;
    private final String firstRunHint;
    private final ExecutorService background = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("archive-io").daemon(true).factory());
    private final ArchiveBrowserModel archiveModel;
    private final KeyMap keyMap = new KeyMap();
    private final StatusBarView statusBar = new StatusBarView();
    private final ForkOverlay forkOverlay = new ForkOverlay();
    private final TabPane documents = new TabPane();
    private final LiveRunStarter starter;
    private final RunViewFactory views;
    private final Function<Workbench, Node> launchForm;
    private final PauseTransition saveLayoutSoon = new PauseTransition(Duration.millis(400));
    private Settings settings;
    private RunLayout layout;
    private RunDocuments runs;
    private MainView main;
    private CommandPalette palette;
    private KeyHelpView keyHelp;
    private Tab runsTab;
    private Tab launchTab;
    private LaunchFormModel launchModel;

    /** The product: runs start on the real engine. */
    public Workbench(AppDirs dirs, String firstRunHint) {
        this(dirs, firstRunHint, ProductWiring.starter(dirs), ProductWiring.views(dirs), Workbench::productLaunchForm);
    }

    /**
     * @param starter    starts the runs launched from the window
     * @param views      makes the timeline, console and events of a run tab
     * @param launchForm makes the launch form (New run) for this workbench
     */
    public Workbench(AppDirs dirs, String firstRunHint, LiveRunStarter starter, RunViewFactory views,
                     Function<Workbench, Node> launchForm) {
        this.dirs = dirs;
        this.settingsStore = new SettingsStore(dirs.settingsFile());
        this.layoutStore = new LayoutStore(dirs.configDir());
        this.firstRunHint = firstRunHint;
        this.settings = settingsStore.load();
        this.layout = layoutStore.load(PANELS);
        this.archiveModel = new ArchiveBrowserModel(background, Platform::runLater, dirs.logFile());
        this.starter = starter;
        this.views = views;
        this.launchForm = launchForm;
        saveLayoutSoon.setOnFinished(e -> layoutStore.save(layout));
    }

    /** Fills and shows {@code stage}, opening the archive at {@code archive}. Call on the FX thread. */
    public void show(Stage stage, Path archive) {
        applyStylesheet();
        runs = new RunDocuments(documents, () -> archiveModel.archivePathProperty().get(), starter, views,
                () -> layout, this::layoutChanged, statusBar::showMessage, dirs.logFile());
        statusBar.documentProperty().bind(runs.currentProperty());

        ArchiveBrowserView browser = new ArchiveBrowserView(archiveModel, firstRunHint);
        wireBrowser(browser);
        runsTab = new Tab("Runs", browser);
        runsTab.setId("runsDocument");
        runsTab.setClosable(false);
        runsTab.setGraphic(new org.kordamp.ikonli.javafx.FontIcon(Feather.DATABASE));
        documents.getTabs().add(runsTab);
        documents.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        documents.setTabDragPolicy(TabPane.TabDragPolicy.REORDER);

        main = new MainView(menuBar(stage), documents, statusBar);
        main.addRailAction("navNewRun", "New run", Feather.PLUS_CIRCLE, "Ctrl+N", this::openLaunchForm);
        main.addRailAction("navArchive", "Runs", Feather.DATABASE, "Ctrl+O", this::showRuns);
        main.addRailAction("navPalette", "Commands", Feather.COMMAND, "Ctrl+Shift+P", () -> palette.show());
        main.addRailAction("navKeys", "Keys", Feather.HELP_CIRCLE, "?", () -> keyHelp.show());

        palette = new CommandPalette(keyMap, PaletteModes.of(() -> palette, () -> runs.current(), this));
        keyHelp = new KeyHelpView(keyMap);
        runs.setLinks(forkLinks());
        StackPane root = new StackPane(main, palette, keyHelp, forkOverlay);
        registerActions(stage);

        Settings.WindowBounds bounds = settings.window();
        boolean restore = bounds != null && bounds.plausible() && onSomeScreen(bounds);
        Scene scene = new Scene(root, restore ? bounds.width() : DEFAULT_WIDTH, restore ? bounds.height() : DEFAULT_HEIGHT);
        scene.getStylesheets().add(Workbench.class.getResource("workbench.css").toExternalForm());
        keyMap.setRunTabActive(() -> runs.current() != null);
        keyMap.install(scene, statusBar::showMessage);
        stage.setScene(scene);
        stage.setTitle("Freezeframe");
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        if (restore) {
            stage.setX(bounds.x());
            stage.setY(bounds.y());
            stage.setMaximized(bounds.maximized());
        }
        Platform.getPreferences().colorSchemeProperty().addListener((obs, was, now) -> {
            if (settings.theme() == Theme.SYSTEM) applyStylesheet();
        });
        // An added handler, not setOnHidden: the launcher listens for the same event to end the process.
        stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> {
            rememberWindow(stage);
            saveLayoutSoon.stop(); // saved now: a pending save must not overwrite a later window's layout
            layoutStore.save(layout);
            stopLiveRuns();
            background.shutdownNow();
        });
        archiveModel.open(archive);
        stage.show();
        StartupProbe.reportWhenUsable(archiveModel);
    }

    /** The Runs browser opens runs into tabs and two selected runs into a compare tab. */
    private void wireBrowser(ArchiveBrowserView browser) {
        browser.setOnOpenRun(id -> openRun(id, Optional.empty()));
        browser.setOnCompareRuns(this::openCompare);
        browser.setOnCompareGroups(this::openCompareGroups);
    }

    /** A compare tab for runs {@code a} and {@code b}. */
    public void openCompare(long a, long b) {
        openCompareGroups(List.of(a), List.of(b));
    }

    /** A compare tab for the runs of side A against those of side B (the Runs browser's A/B marks). */
    public void openCompareGroups(List<Long> a, List<Long> b) {
        CompareModel model = new CompareModel(archivePath(), background, Platform::runLater, dirs.logFile());
        CompareView view = new CompareView(model);
        Tab tab = new Tab(groupTitle(a) + " ⇄ " + groupTitle(b), view);
        tab.setId("compare-" + a.getFirst() + "-" + b.getFirst());
        tab.setOnClosed(e -> view.close());
        tab.setGraphic(new org.kordamp.ikonli.javafx.FontIcon(Feather.GIT_PULL_REQUEST));
        documents.getTabs().add(tab);
        documents.getSelectionModel().select(tab);
        model.compareGroups(a, b);
    }

    /** {@code #12}, or {@code #12 +2} for a group of three. */
    private static String groupTitle(List<Long> ids) {
        return "#" + ids.getFirst() + (ids.size() > 1 ? " +" + (ids.size() - 1) : "");
    }

    public ArchiveBrowserModel archiveModel() {
        return archiveModel;
    }

    public KeyMap keyMap() {
        return keyMap;
    }

    public StatusBarView statusBar() {
        return statusBar;
    }

    public CommandPalette palette() {
        return palette;
    }

    public KeyHelpView keyHelp() {
        return keyHelp;
    }

    public TabPane documents() {
        return documents;
    }

    public RunDocuments runs() {
        return runs;
    }

    public Path archivePath() {
        return archiveModel.archivePathProperty().get();
    }

    /** Opens a run by id (a double-click in Runs, {@code freezeframe open}); FX thread. */
    public void openRun(long runId, Optional<String> snapshotTag) {
        runs.open(runId, snapshotTag);
    }

    /** Starts a run from the launch form and switches to its live tab. */
    public void startRun(dev.freezeframe.coordinator.model.RunConfig config) {
        statusBar.showMessage("Starting run: " + config.scheduler() + " under " + config.scenario() + "…");
        runs.start(config).thenAccept(view -> archiveModel.reload());
    }

    /** Starts a run from the launch form; {@code forkable}: its snapshots keep the whole VM state. */
    public void startRun(dev.freezeframe.coordinator.model.RunConfig config, boolean forkable) {
        statusBar.showMessage("Starting run: " + config.scheduler() + " under " + config.scenario()
                + (forkable ? " with forkable snapshots" : "") + "…");
        runs.start(config, forkable).thenAccept(view -> archiveModel.reload());
    }

    /** Starts a fork (the fork form's Start) and switches to its live tab. */
    public void startFork(ForkRequest request) {
        statusBar.showMessage("Starting a fork of run " + request.parentRunId() + " from " + request.tag() + "…");
        runs.startFork(request).thenAccept(view -> archiveModel.reload());
    }

    /** The fork form over the window (tests look into it). */
    public ForkOverlay forkOverlay() {
        return forkOverlay;
    }

    /** Run tabs open other runs here and fork through the form. */
    private RunTabView.Links forkLinks() {
        return new RunTabView.Links() {
            @Override
            public void openRun(long runId) {
                Workbench.this.openRun(runId, Optional.empty());
            }

            @Override
            public String forkUnavailable(RunTabView tab, dev.freezeframe.persistence.SnapshotInfo snapshot) {
                return ForkAvailability.reason(archivePath(), tab.model().runId(), snapshot, tab.model().ended());
            }

            @Override
            public void forkFrom(RunTabView tab, dev.freezeframe.persistence.SnapshotInfo snapshot) {
                openForkForm(tab.model().runId(), snapshot);
            }
        };
    }

    /** Reads the parent's configuration (off the FX thread), then shows the fork form prefilled from it. */
    private void openForkForm(long parentId, dev.freezeframe.persistence.SnapshotInfo snapshot) {
        Path archive = archivePath();
        background.execute(() -> {
            try (dev.freezeframe.persistence.Archive a = dev.freezeframe.persistence.Archive.open(archive)) {
                String json = a.runs().detail(parentId).map(d -> d.configJson()).orElseThrow(() ->
                        new IllegalStateException("Run " + parentId + " is not in " + archive + " any more."));
                var parent = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json,
                        dev.freezeframe.coordinator.model.RunConfig.class);
                ForkFormModel model = new ForkFormModel(parentId, snapshot.tag(), snapshot.atNanos(), parent,
                        archive.equals(dirs.defaultArchive()) ? null : archive);
                Platform.runLater(() -> forkOverlay.show(model, this::startFork));
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Workbench.class).error("cannot open the fork form", e);
                String why = dev.freezeframe.app.UserMessages.describe(e, dirs.logFile());
                Platform.runLater(() -> statusBar.showMessage("Fork from here: " + why));
            }
        });
    }

    /** Opens the tab of a run started elsewhere (tests, a deep link to a live run). */
    public RunTabView openLive(LiveRun run) {
        return runs.openLive(run);
    }

    /**
     * The product's launch form: the last choices from the settings, Start launches a live run here. Kept choices go
     * through this workbench's own settings object, so a later save of the theme or window keeps them.
     */
    public Node productLaunchForm() {
        launchModel = LaunchFormModel.forWorkbench(dirs, archivePath(), settings.launch(), choices -> {
            settings = settings.withLaunch(choices);
            settingsStore.save(settings);
        });
        archiveModel.archivePathProperty().addListener((obs, was, now) -> launchModel.setArchive(now));
        launchModel.onStart(request -> startRun(request.config(), request.forkable()));
        LaunchFormView view = new LaunchFormView(launchModel);
        loadSymbolCompletion(view);
        return view;
    }

    /** The launch form's model once the form has been opened (the product's form only). */
    public java.util.Optional<LaunchFormModel> launchModel() {
        return java.util.Optional.ofNullable(launchModel);
    }

    /** The kit kernel's symbols, cached by an earlier run, complete the form's watch field (off the FX thread). */
    private void loadSymbolCompletion(LaunchFormView view) {
        Thread.ofPlatform().name("symbol-completion").daemon(true).start(() -> {
            try {
                new dev.freezeframe.vmm.kit.KitCache(dirs.cacheDir().resolve("kit")).current()
                        .flatMap(kit -> dev.freezeframe.app.live.KallsymsCache.in(dirs).load(kit))
                        .map(dev.freezeframe.app.ui.launch.SymbolCompletion::of)
                        .ifPresent(c -> Platform.runLater(() -> view.setSymbolCompletion(c)));
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Workbench.class).info("no symbol completion: {}", e.getMessage());
            }
        });
    }

    /** New run (Ctrl+N): the launch form, one at a time. */
    public void openLaunchForm() {
        if (launchModel != null && documents.getTabs().contains(launchTab)) launchModel.kit().refresh();
        if (launchTab == null || !documents.getTabs().contains(launchTab)) {
            launchTab = new Tab("New run", launchForm.apply(this));
            launchTab.setId("launchDocument");
            launchTab.setGraphic(new org.kordamp.ikonli.javafx.FontIcon(Feather.PLUS_CIRCLE));
            documents.getTabs().add(documents.getTabs().indexOf(runsTab) + 1, launchTab);
        }
        documents.getSelectionModel().select(launchTab);
    }

    /** Closes the launch form (after it started a run). */
    public void closeLaunchForm() {
        if (launchTab != null) documents.getTabs().remove(launchTab);
    }

    public void showRuns() {
        documents.getSelectionModel().select(runsTab);
        archiveModel.reload();
    }

    private void layoutChanged(RunLayout next) {
        layout = next;
        saveLayoutSoon.playFromStart();
    }

    /** View ▸ Reset layout: the shipped layout, in every open run tab. */
    public void resetLayout() {
        layout = RunLayout.DEFAULT;
        for (Tab t : documents.getTabs()) {
            if (t.getContent() instanceof RunTabView v) v.workspace().applyLayout(RunLayout.DEFAULT);
        }
        layout = RunLayout.DEFAULT;
        layoutStore.save(layout);
        statusBar.showMessage("Layout reset to the shipped one.");
    }

    private void registerActions(Stage stage) {
        KeyMap.Scope g = KeyMap.Scope.GLOBAL;
        KeyMap.Scope r = KeyMap.Scope.RUN;
        KeyMap.Scope t = KeyMap.Scope.TIMELINE;
        keyMap.register("ff.palette", "Command palette", g, null, () -> palette.show(), "Shortcut+Shift+P", "F1");
        keyMap.register("ff.help.keys", "Keyboard help", g, null, () -> keyHelp.show(), "?");
        keyMap.register("ff.run.new", "New run…", g, null, this::openLaunchForm, "Shortcut+N");
        keyMap.register("ff.runs.show", "Runs (archive browser)", g, null, this::showRuns, "Shortcut+O");
        keyMap.register("ff.tab.close", "Close tab", g, () -> documents.getSelectionModel().getSelectedItem() == runsTab
                ? "the Runs browser stays open" : "", this::closeSelectedTab, "Shortcut+W");
        keyMap.register("ff.rail.toggle", "Toggle the navigation rail", g, null, () -> main.toggleRail(), "Shortcut+B");
        keyMap.register("ff.layout.reset", "Reset layout", g, null, this::resetLayout);
        keyMap.register("ff.theme.system", "Theme: follow the desktop", g, null, () -> applyTheme(Theme.SYSTEM));
        keyMap.register("ff.theme.light", "Theme: light", g, null, () -> applyTheme(Theme.LIGHT));
        keyMap.register("ff.theme.dark", "Theme: dark", g, null, () -> applyTheme(Theme.DARK));
        keyMap.register("ff.archive.reload", "Reload the runs list", g, null, archiveModel::reload, "Shortcut+R");

        keyMap.register("ff.run.freeze", "Freeze guest", r, () -> run(v -> v.model().controlsProperty().get().freeze()),
                () -> control(v -> v.model().freeze(), "Freeze"), "F6");
        keyMap.register("ff.run.resume", "Resume guest", r, () -> run(v -> v.model().controlsProperty().get().resume()),
                () -> control(v -> v.model().resume(), "Resume"), "F5");
        keyMap.register("ff.run.toNextHit", "Run to the next watch hit", r,
                () -> run(v -> v.model().controlsProperty().get().arm()),
                () -> control(v -> v.model().runToNextHit(), "Run to the next hit"), "F9");
        keyMap.register("ff.run.stop", "Stop the run", r, () -> run(v -> v.model().controlsProperty().get().stop()),
                () -> control(v -> v.model().stop(), "Stop"), "Shift+F5");
        keyMap.register("ff.run.capture", "Capture a snapshot now", r,
                () -> run(v -> v.model().controlsProperty().get().capture()),
                () -> control(v -> v.model().captureNow(), "Capture"), "Shortcut+F6");
        keyMap.register("ff.run.captureForkable", "Capture a forkable snapshot now", r,
                () -> run(v -> v.model().captureForkableUnavailable()),
                () -> control(v -> v.model().captureForkable().thenApply(tag -> tag + " captured with the whole VM"
                        + " state: fork from it once the run has ended."), "Capture forkable"), "Shift+F6");
        keyMap.register("ff.run.fork", "Fork from here… (a new run from the shown snapshot)", r,
                () -> run(RunTabView::forkUnavailable), () -> runs.current().forkFromShown(), "Shortcut+Shift+F");
        keyMap.register("ff.snapshot.prev", "Previous snapshot", r, null, () -> runs.current().stepSnapshot(-1), "[");
        keyMap.register("ff.snapshot.next", "Next snapshot", r, null, () -> runs.current().stepSnapshot(1), "]");
        keyMap.register("ff.snapshot.prevKind", "Previous snapshot of the same kind", r, null,
                () -> runs.current().snapshots().stepSameKind(-1), "Alt+Open Bracket");
        keyMap.register("ff.snapshot.nextKind", "Next snapshot of the same kind", r, null,
                () -> runs.current().snapshots().stepSameKind(1), "Alt+Close Bracket");
        keyMap.register("ff.snapshot.nextHit", "Next watch hit", r, null,
                () -> runs.current().snapshots().stepWatchHit(1), "F8");
        keyMap.register("ff.snapshot.prevHit", "Previous watch hit", r, null,
                () -> runs.current().snapshots().stepWatchHit(-1), "Shift+F8");
        keyMap.register("ff.snapshot.nextChange", "Next snapshot where the selected field changed", r, null,
                () -> runs.current().snapshots().stepToChange(1), "F3");
        keyMap.register("ff.snapshot.prevChange", "Previous snapshot where the selected field changed", r, null,
                () -> runs.current().snapshots().stepToChange(-1), "Shift+F3");
        keyMap.register("ff.snapshot.changedOnly", "Snapshot diff: changed only", r, null,
                () -> runs.current().snapshots().toggleChangedOnly(), "Shortcut+D");
        keyMap.register("ff.snapshot.hex", "Snapshot values in hex", r, null,
                () -> runs.current().snapshots().toggleHex(), "Shortcut+H");
        keyMap.register("ff.snapshot.pin", "Pin the selected field", r, null,
                () -> runs.current().snapshots().pinSelected(), "Shift+P");
        keyMap.register("ff.snapshot.plot", "Plot the selected field across the run", r, null,
                () -> runs.current().snapshots().plotSelected(), "P");
        keyMap.register("ff.snapshot.mark", "Mark the selected map entry", r, null,
                () -> runs.current().snapshots().markSelected(), "F11");
        keyMap.register("ff.run.error", "Go to the error snapshot", r, () -> run(v -> v.model().verdictProperty().get()
                .equals("scheduler_failed") || v.model().isLive() ? "" : "this run has no scheduler error"),
                () -> runs.current().showSnapshotTagged("error"), "E");
        keyMap.register("ff.history.back", "Back (selection history)", r, null, () -> runs.current().context().back(),
                "Alt+Left");
        keyMap.register("ff.history.forward", "Forward (selection history)", r, null,
                () -> runs.current().context().forward(), "Alt+Right");
        keyMap.register("ff.timeline.fit", "Fit the whole run", r, null, () -> runs.current().context().fit());
        keyMap.register("ff.timeline.follow", "Follow the live tail", r, () -> run(v -> v.model().isLive()
                && v.model().guestStateProperty().get().live() ? "" : "the run has ended"),
                () -> runs.current().context().setFollowTail(true));
        keyMap.register("ff.drawer.toggle", "Toggle the drawer", r, null, () -> runs.current().workspace().toggleDrawer(),
                "Shortcut+J");
        keyMap.register("ff.inspector.toggle", "Toggle the inspector", r, null,
                () -> runs.current().workspace().toggleInspector(), "Shortcut+I");
        keyMap.register("ff.panel.console", "Show the console", r, null,
                () -> runs.current().workspace().reveal(RunPanels.CONSOLE));
        keyMap.register("ff.panel.events", "Show the events table", r, null,
                () -> runs.current().workspace().reveal(RunPanels.EVENTS));
        keyMap.register("ff.panel.slots", "Show the watch slots", r, null,
                () -> runs.current().workspace().reveal(RunPanels.SLOTS));
        for (String panel : PANELS.stream().sorted().toList()) registerMoves(panel);

        // keys the timeline handles itself (listed in help and the palette)
        // the Runs table's own keys, listed for the help and the palette (the table handles them)
        KeyMap.Scope runsTable = KeyMap.Scope.RUNS;
        keyMap.register("ff.runs.markA", "Mark the selected runs as side A", runsTable, null, null, "A");
        keyMap.register("ff.runs.markB", "Mark the selected runs as side B", runsTable, null, null, "B");
        keyMap.register("ff.runs.unmark", "Unmark the selected runs", runsTable, null, null, "X");
        keyMap.register("ff.runs.compareAB", "Compare the runs marked A vs B", runsTable, null, null,
                "Shortcut+Enter");
        keyMap.register("ff.timeline.zoomIn", "Zoom in at the mouse", t, null, null, "W");
        keyMap.register("ff.timeline.zoomOut", "Zoom out at the mouse", t, null, null, "S");
        keyMap.register("ff.timeline.panLeft", "Pan left a quarter", t, null, null, "A");
        keyMap.register("ff.timeline.panRight", "Pan right a quarter", t, null, null, "D");
        keyMap.register("ff.timeline.fitKey", "Fit the whole run", t, null, null, "0", "Home");
        keyMap.register("ff.timeline.tail", "Follow the live tail", t, null, null, "End", "L");
        keyMap.register("ff.timeline.clear", "Clear the selection", t, null, null, "Esc");
    }

    /** "Move Console to the drawer / inspector": the keyboard's way to do what dragging a panel's tab does. */
    private void registerMoves(String panel) {
        String name = RunPanels.NAMES.get(panel);
        for (String dock : List.of(RunLayout.DRAWER, RunLayout.INSPECTOR)) {
            keyMap.register("ff.panel." + panel + ".to" + (dock.equals(RunLayout.DRAWER) ? "Drawer" : "Inspector"),
                    "Move " + name + " to the " + dock + (dock.equals(RunLayout.DRAWER) ? " (bottom)" : " (right)"),
                    KeyMap.Scope.RUN, () -> run(v -> v.workspace().dockOf(panel).equals(dock)
                            ? name + " is in the " + dock + " already" : ""),
                    () -> runs.current().workspace().moveTo(panel, dock));
        }
    }

    /** The reason an action on the current run tab cannot run, or empty. */
    private String run(Function<RunTabView, String> reason) {
        RunTabView v = runs.current();
        return v == null ? "open a run first" : reason.apply(v);
    }

    private void control(Function<RunTabView, java.util.concurrent.CompletableFuture<String>> action, String what) {
        RunTabView v = runs.current();
        if (v == null) return;
        action.apply(v).whenComplete((answer, failure) -> statusBar.showMessage(failure != null ? what + ": "
                + rootMessage(failure) : answer));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private void closeSelectedTab() {
        Tab tab = documents.getSelectionModel().getSelectedItem();
        if (tab == null || tab == runsTab) return;
        if (tab.getOnCloseRequest() != null) {
            javafx.event.Event request = new javafx.event.Event(tab, tab, Tab.TAB_CLOSE_REQUEST_EVENT);
            tab.getOnCloseRequest().handle(request);
            if (request.isConsumed()) return;
        }
        documents.getTabs().remove(tab);
        if (tab.getOnClosed() != null) tab.getOnClosed().handle(new javafx.event.Event(Tab.CLOSED_EVENT));
    }

    private MenuBar menuBar(Stage stage) {
        MenuItem newRun = item("New Run…", "menuNewRun", this::openLaunchForm);
        MenuItem open = item("Open Archive…", "menuOpenArchive", () -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Open a Freezeframe archive");
            chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Archives (*.db)", "*.db"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            var chosen = chooser.showOpenDialog(stage);
            if (chosen != null) archiveModel.open(chosen.toPath());
        });
        MenuItem reload = item("Reload Runs", "menuReload", archiveModel::reload);
        MenuItem quit = item("Quit", "menuQuit", stage::close);
        Menu file = new Menu("File", null, newRun, open, reload, new SeparatorMenuItem(), quit);

        MenuItem freeze = item("Freeze guest (F6)", "menuFreeze", () -> runAction("ff.run.freeze"));
        MenuItem resume = item("Resume guest (F5)", "menuResume", () -> runAction("ff.run.resume"));
        MenuItem toHit = item("Run to the next watch hit (F9)", "menuToNextHit", () -> runAction("ff.run.toNextHit"));
        MenuItem capture = item("Capture now (Ctrl+F6)", "menuCapture", () -> runAction("ff.run.capture"));
        MenuItem captureForkable = item("Capture forkable (Shift+F6)", "menuCaptureForkable",
                () -> runAction("ff.run.captureForkable"));
        MenuItem fork = item("Fork from here… (Ctrl+Shift+F)", "menuFork", () -> runAction("ff.run.fork"));
        MenuItem stop = item("Stop the run (Shift+F5)", "menuStop", () -> runAction("ff.run.stop"));
        Menu run = new Menu("Run", null, freeze, resume, toHit, capture, captureForkable, new SeparatorMenuItem(), fork,
                new SeparatorMenuItem(), stop);

        ToggleGroup themes = new ToggleGroup();
        Menu theme = new Menu("Theme");
        for (Theme choice : Theme.values()) {
            RadioMenuItem i = new RadioMenuItem(switch (choice) {
                case SYSTEM -> "Follow the desktop";
                case LIGHT -> "Light";
                case DARK -> "Dark";
            });
            i.setId(choice == Theme.DARK ? "darkTheme" : "theme" + choice.name());
            i.setToggleGroup(themes);
            i.setSelected(settings.theme() == choice);
            i.setOnAction(e -> applyTheme(choice));
            theme.getItems().add(i);
        }
        MenuItem palette = item("Command Palette… (Ctrl+Shift+P)", "menuPalette", () -> this.palette.show());
        MenuItem drawer = item("Toggle Drawer (Ctrl+J)", "menuDrawer", () -> runAction("ff.drawer.toggle"));
        MenuItem rail = item("Toggle Navigation Rail (Ctrl+B)", "menuRail", () -> main.toggleRail());
        MenuItem reset = item("Reset Layout", "resetLayout", this::resetLayout);
        Menu view = new Menu("View", null, palette, new SeparatorMenuItem(), drawer, rail, reset, new SeparatorMenuItem(),
                theme);

        MenuItem keys = item("Keyboard Shortcuts (?)", "menuKeys", () -> keyHelp.show());
        MenuItem about = item("About Freezeframe", "about", () -> AboutDialog.create(stage, VersionInfo.current(),
                archiveModel.archivePathProperty().get(), dirs.logFile()).showAndWait());
        Menu help = new Menu("Help", null, keys, about);
        MenuBar bar = new MenuBar(file, run, view, help);
        bar.setId("menuBar");
        return bar;
    }

    private void runAction(String id) {
        keyMap.find(id).ifPresent(a -> {
            String why = keyMap.run(a);
            if (!why.isEmpty()) statusBar.showMessage(a.title() + ": " + why + ".");
        });
    }

    private static MenuItem item(String text, String id, Runnable action) {
        MenuItem i = new MenuItem(text);
        i.setId(id);
        i.setOnAction(e -> action.run());
        return i;
    }

    void applyTheme(Theme theme) {
        settings = settings.withTheme(theme);
        settingsStore.save(settings);
        applyStylesheet();
    }

    private void applyStylesheet() {
        Application.setUserAgentStylesheet(settings.theme().userAgentStylesheet());
    }

    /** The window closed: live runs end with a verdict instead of reading as interrupted. */
    private void stopLiveRuns() {
        var live = runs.liveRuns().values();
        for (LiveRun run : live) run.stop("the workbench window was closed");
        for (LiveRun run : live) {
            try {
                run.finished().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Workbench.class).warn("run {} did not end in time", run.runId(), e);
            }
        }
    }

    private void rememberWindow(Stage stage) {
        settings = settings.withWindow(new Settings.WindowBounds(stage.getX(), stage.getY(), stage.getWidth(),
                stage.getHeight(), stage.isMaximized()));
        settingsStore.save(settings);
    }

    private static boolean onSomeScreen(Settings.WindowBounds b) {
        return !Screen.getScreensForRectangle(new Rectangle2D(b.x(), b.y(), b.width(), b.height())).isEmpty();
    }
}
