package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.cli.VersionInfo;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.kordamp.ikonli.feather.Feather;

/**
 * Builds the workbench window on a stage: theme, menus, navigation, the archive browser, and the remembered window
 * geometry. The same code serves the real launcher and the UI tests.
 */
public final class Workbench {
    static final double DEFAULT_WIDTH = 1280;
    static final double DEFAULT_HEIGHT = 800;

    private final AppDirs dirs;
    private final SettingsStore settingsStore;
    private final String firstRunHint;
    private final ExecutorService background = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("archive-io").daemon(true).factory());
    private final ArchiveBrowserModel archiveModel;
    private Settings settings;

    public Workbench(AppDirs dirs, String firstRunHint) {
        this.dirs = dirs;
        this.settingsStore = new SettingsStore(dirs.settingsFile());
        this.firstRunHint = firstRunHint;
        this.settings = settingsStore.load();
        this.archiveModel = new ArchiveBrowserModel(background, Platform::runLater, dirs.logFile());
    }

    /** Fills and shows {@code stage}, opening the archive at {@code archive}. Call on the FX thread. */
    public void show(Stage stage, Path archive) {
        Application.setUserAgentStylesheet(settings.theme().userAgentStylesheet());
        MainView main = new MainView(menuBar(stage));
        main.addDestination("navArchive", "Runs", Feather.ARCHIVE, new ArchiveBrowserView(archiveModel, firstRunHint));

        Settings.WindowBounds bounds = settings.window();
        boolean restore = bounds != null && bounds.plausible() && onSomeScreen(bounds);
        Scene scene = new Scene(main, restore ? bounds.width() : DEFAULT_WIDTH,
                restore ? bounds.height() : DEFAULT_HEIGHT);
        stage.setScene(scene);
        stage.setTitle("Freezeframe");
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        if (restore) {
            stage.setX(bounds.x());
            stage.setY(bounds.y());
            stage.setMaximized(bounds.maximized());
        }
        // An added handler, not setOnHidden: the launcher listens for the same event to end the process.
        stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> {
            rememberWindow(stage);
            background.shutdownNow();
        });
        archiveModel.open(archive);
        stage.show();
    }

    public ArchiveBrowserModel archiveModel() {
        return archiveModel;
    }

    private MenuBar menuBar(Stage stage) {
        MenuItem open = new MenuItem("Open Archive…");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Open a Freezeframe archive");
            chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Archives (*.db)", "*.db"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            var chosen = chooser.showOpenDialog(stage);
            if (chosen != null) archiveModel.open(chosen.toPath());
        });
        MenuItem reload = new MenuItem("Reload");
        reload.setAccelerator(KeyCombination.keyCombination("F5"));
        reload.setOnAction(e -> archiveModel.reload());
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> stage.close());
        Menu file = new Menu("File", null, open, reload, new SeparatorMenuItem(), quit);

        CheckMenuItem dark = new CheckMenuItem("Dark Theme");
        dark.setId("darkTheme");
        dark.setSelected(settings.theme() == Theme.DARK);
        dark.selectedProperty().addListener((obs, was, isDark) -> applyTheme(isDark ? Theme.DARK : Theme.LIGHT));
        Menu view = new Menu("View", null, dark);

        MenuItem about = new MenuItem("About Freezeframe");
        about.setId("about");
        about.setOnAction(e -> AboutDialog.create(stage, VersionInfo.current(), archiveModel.archivePathProperty().get(),
                dirs.logFile()).showAndWait());
        Menu help = new Menu("Help", null, about);
        MenuBar bar = new MenuBar(file, view, help);
        bar.setId("menuBar");
        return bar;
    }

    void applyTheme(Theme theme) {
        Application.setUserAgentStylesheet(theme.userAgentStylesheet());
        settings = settings.withTheme(theme);
        settingsStore.save(settings);
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
