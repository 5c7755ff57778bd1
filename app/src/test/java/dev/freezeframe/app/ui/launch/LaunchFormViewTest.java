package dev.freezeframe.app.ui.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.freezeframe.app.ui.MainView;
import dev.freezeframe.app.ui.UiSnapshotsAccess;
import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.Parent;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.layout.Pane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kordamp.ikonli.feather.Feather;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The launch form in a window on JavaFX's headless platform. The headless screen is 1000×1000 px (a larger window
 * fails to blit), so the form is driven at 1000×760 and drawn for the screenshots at the judged sizes in a scene of
 * its own, mounted in the workbench's navigation as the window will show it.
 */
@ExtendWith(ApplicationExtension.class)
class LaunchFormViewTest {
    @TempDir
    static Path dir;

    private final List<LaunchRequest> requests = new CopyOnWriteArrayList<>();
    private final List<LaunchChoices> remembered = new CopyOnWriteArrayList<>();
    private LaunchFormModel model;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        model = new LaunchFormModel(LaunchChoices.DEFAULTS, new FakeKit(true).model(Runnable::run),
                Path.of("/home/user/.local/share/freezeframe/archive.db"),
                Path.of("/home/user/.local/share/freezeframe/archive.db"), remembered::add);
        model.onStart(requests::add);
        stage.setScene(new Scene(new LaunchFormView(model), 1000, 760));
        stage.show();
    }

    @AfterEach
    void lightAgain(FxRobot robot) {
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not within 10 s: " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static <T extends Node> T node(FxRobot robot, String query, Class<T> type) {
        return robot.lookup(query).queryAs(type);
    }

    private static void retype(FxRobot robot, TextField field, String text) {
        robot.interact(field::clear);
        robot.clickOn(field);
        if (!text.isEmpty()) robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void startIsEnabledOnlyWhileTheFieldsCheckAndItsTooltipSaysWhyNot(FxRobot robot) throws Exception {
        Button start = node(robot, "#startRun", Button.class);
        assertFalse(start.isDisabled(), model.startBlockedByProperty().get());
        assertEquals("✔ ready · Debian 7.3.4+deb13-cloud-amd64 (sched_ext)",
                node(robot, "#kitStatus", Label.class).getText());

        TextField scheduler = node(robot, "#schedulerField", ComboBox.class).getEditor();
        retype(robot, scheduler, "");
        String sentence = "Choose a scheduler: one of the kit's (scx_simple, scx_qmap, scx_central) or the path of"
                + " your own binary.";
        await("Start disabled", start::isDisabled);
        assertEquals(sentence, start.getTooltip().getText());
        Label problem = node(robot, "#schedulerProblem", Label.class);
        assertTrue(problem.isVisible());
        assertEquals(sentence, problem.getText());
        retype(robot, scheduler, "scx_qmap");
        await("Start enabled again", () -> !start.isDisabled());
        assertFalse(problem.isVisible());

        Spinner<?> vcpus = node(robot, "#vcpusField", Spinner.class);
        retype(robot, vcpus.getEditor(), "0");
        await("0 vCPUs disables Start", start::isDisabled);
        assertEquals("The guest needs 1 to 64 vCPUs; got 0.", node(robot, "#vcpusProblem", Label.class).getText());
        assertEquals("The guest needs 1 to 64 vCPUs; got 0.", start.getTooltip().getText());
        retype(robot, vcpus.getEditor(), "4");
        await("4 vCPUs are fine", () -> !start.isDisabled());

        TextField memory = node(robot, "#memoryField", ComboBox.class).getEditor();
        retype(robot, memory, "128M");
        await("128M disables Start", start::isDisabled);
        assertEquals("Guest memory must be between 256M and 64G; got '128M'.",
                node(robot, "#memoryProblem", Label.class).getText());
        retype(robot, memory, "2G");
        await("2G is fine", () -> !start.isDisabled());

        retype(robot, node(robot, "#schedulerArgs", TextField.class), "-e 50");
        robot.clickOn("#snapshotsField");
        retype(robot, node(robot, "#snapshotsField", Spinner.class).getEditor(), "10");
        robot.clickOn("#freezeOnEnable");
        await("the form's config", () -> model.configProperty().get() != null
                && model.configProperty().get().freezeOnEnable() && model.configProperty().get().snapshots() == 10);
        robot.clickOn("#startRun");
        await("a start request", () -> !requests.isEmpty());
        assertEquals(new RunConfig("scx_qmap", List.of("-e", "50"), "cpu-pingpong", 4, 2048, "kit", 10, List.of(),
                true), requests.getFirst().config());
        assertEquals(1, remembered.size());
    }

    @Test
    void thePreviewShowsTheScenariosStepsAndTheCommandLineCopies(FxRobot robot) throws Exception {
        Node preview = robot.lookup("#scenarioPreview").query();
        assertTrue(robot.from(preview).lookup("cpu").tryQuery().isPresent(), "step 1 by name");
        assertTrue(robot.from(preview).lookup("pingpong · 2 pairs").tryQuery().isPresent(), "step 2's workload");
        assertTrue(robot.from(preview).lookup("cpu · 3 workers").tryQuery().isPresent(), "step 1's workload");
        assertEquals("cpu-pingpong · 2 steps · 5 s", node(robot, "#scenarioHeadline", Label.class).getText());
        assertEquals("5 s", node(robot, "#scenarioTotal", Label.class).getText());

        TextField scenario = node(robot, "#scenarioField", ComboBox.class).getEditor();
        retype(robot, scenario, "mixed");
        await("the mixed scenario's preview", () -> node(robot, "#scenarioHeadline", Label.class).getText()
                .equals("mixed · 2 steps · 6.5 s"));
        Node mixed = robot.lookup("#scenarioPreview").query();
        assertTrue(robot.from(mixed).lookup("mixed · 2 workers, 2 pairs, 1 forker").tryQuery().isPresent());
        assertEquals("6.5 s", node(robot, "#scenarioTotal", Label.class).getText());

        TextArea commandLine = node(robot, "#commandLine", TextArea.class);
        assertEquals("freezeframe run --scheduler scx_simple --scenario mixed --vcpus 2 --memory 1G",
                commandLine.getText());
        robot.clickOn("#copyCommandLine");
        AtomicReference<String> copied = new AtomicReference<>();
        robot.interact(() -> copied.set(Clipboard.getSystemClipboard().getString()));
        assertEquals(commandLine.getText(), copied.get());

        writeScreenshots(robot, "launch-form");
    }

    @Test
    void aFourthWatchShowsTheEnginesSentenceAndDisablesStart(FxRobot robot) throws Exception {
        TextField watch = node(robot, "#watchField", TextField.class);
        for (String symbol : List.of("total_forks", "jiffies_64:8", "nr_threads")) {
            robot.clickOn(watch).write(symbol).type(KeyCode.ENTER);
        }
        await("three chips", () -> model.watches().size() == 3);
        assertTrue(requests.isEmpty(), "Enter in the watch field adds the watch; it does not start the run");
        Button start = node(robot, "#startRun", Button.class);
        assertFalse(start.isDisabled());
        assertTrue(node(robot, "#commandLine", TextArea.class).getText().endsWith(
                "--watch total_forks --watch jiffies_64:8 --watch nr_threads"));
        robot.clickOn(watch).write("max_pfn").type(KeyCode.ENTER);
        await("a fourth chip", () -> model.watches().size() == 4);
        Label problem = node(robot, "#watchProblem", Label.class);
        assertTrue(problem.getText().startsWith("--watch can be given at most 3 times (watch slots 1-3; slot 0 is the"
                + " scheduler-error trigger); got 4"), problem.getText());
        assertTrue(problem.isVisible());
        assertTrue(start.isDisabled());
        writeScreenshots(robot, "launch-form-four-watches");
        robot.clickOn("#removeWatch3");
        await("back to three", () -> model.watches().size() == 3 && !start.isDisabled());
    }

    @Test
    void includedFilesBecomeChipsAndARefusedOneShowsTheEnginesSentence(FxRobot robot) throws Exception {
        Path tool = Files.writeString(dir.resolve("bench.sh"), "#!/bin/sh\nexit 0\n");
        TextField include = node(robot, "#includeField", TextField.class);
        // the field may be below the fold of the 760 px window: focus it rather than click where it is not
        robot.interact(include::requestFocus);
        robot.write(tool + ":bench").type(KeyCode.ENTER);
        await("a chip", () -> model.includes().size() == 1);
        assertTrue(requests.isEmpty(), "Enter in the include field adds the file; it does not start the run");
        assertTrue(node(robot, "#commandLine", TextArea.class).getText().endsWith("--include " + tool + ":bench"),
                node(robot, "#commandLine", TextArea.class).getText());
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a program");
        robot.interact(include::requestFocus);
        robot.write(text.toString()).type(KeyCode.ENTER);
        Label problem = node(robot, "#includeProblem", Label.class);
        await("the refusal", () -> problem.isVisible());
        assertTrue(problem.getText().endsWith("is neither an ELF binary nor a #! script, so the guest cannot run it."),
                problem.getText());
        assertEquals(1, model.includes().size(), "the refused file is not added");
        assertFalse(node(robot, "#startRun", Button.class).isDisabled(), "a refused entry does not block Start");
        writeScreenshots(robot, "launch-form-includes");
        robot.interact(() -> node(robot, "#removeInclude0", Button.class).fire());
        await("no chips", () -> model.includes().isEmpty());
    }

    @Test
    void aMissingKitOffersABuildWithItsSteps(FxRobot robot) throws Exception {
        FakeKit fake = new FakeKit(false);
        fake.buildWaitsForCancel = true;
        robot.interact(() -> {
            model = new LaunchFormModel(LaunchChoices.DEFAULTS, fake.model(javafx.application.Platform::runLater),
                    Path.of("/home/user/.local/share/freezeframe/archive.db"),
                    Path.of("/home/user/.local/share/freezeframe/archive.db"), remembered::add);
            stage.getScene().setRoot(new LaunchFormView(model));
        });
        await("the kit is missing", () -> model.kit().stateProperty().get() == KitModel.State.MISSING);
        Button start = node(robot, "#startRun", Button.class);
        assertTrue(start.isDisabled());
        assertEquals("The guest kit is not built yet; building it takes a few minutes once.",
                start.getTooltip().getText());
        assertEquals("⚠ not built", node(robot, "#kitStatus", Label.class).getText());
        robot.clickOn("#buildKit");
        await("the build shows its steps", () -> model.kit().log().contains("✔ resolve: linux-image 7.3.4")
                && model.kit().progressProperty().get() == 0.5);
        assertTrue(robot.lookup("#cancelKitBuild").queryButton().isVisible());
        writeScreenshots(robot, "launch-form-kit-build");
        robot.clickOn("#cancelKitBuild");
        await("cancelled", () -> model.kit().stateProperty().get() == KitModel.State.MISSING);
        assertTrue(node(robot, "#kitMessage", Label.class).getText().startsWith("The kit build was cancelled"));
    }

    /** PNGs at the two judged sizes (light), and the first size dark, for a person to look at. */
    private void writeScreenshots(FxRobot robot, String name) throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        shoot(robot, target.resolve(name + "-1280x800.png"), 1280, 800);
        if (!name.equals("launch-form")) return;
        shoot(robot, target.resolve(name + "-1600x1000.png"), 1600, 1000);
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet()));
        shoot(robot, target.resolve(name + "-dark.png"), 1280, 800);
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
    }

    /** Moves the form into the workbench's layout in an off-screen scene of the given size, draws it, moves it back. */
    private void shoot(FxRobot robot, Path file, int width, int height) {
        robot.interact(() -> {
            Scene shown = stage.getScene();
            Parent form = shown.getRoot();
            shown.setRoot(new Pane());
            javafx.scene.control.TabPane documents = new javafx.scene.control.TabPane(
                    new javafx.scene.control.Tab("Runs", new Label("runs")),
                    new javafx.scene.control.Tab("New run", form));
            documents.getSelectionModel().select(1);
            MainView main = new MainView(new MenuBar(new Menu("File"), new Menu("Run"), new Menu("View"),
                    new Menu("Help")), documents, new Label("status"));
            main.addRailAction("navNewRun", "New run", Feather.PLUS_CIRCLE, "Ctrl+N", () -> { });
            main.addRailAction("navArchive", "Runs", Feather.DATABASE, "Ctrl+O", () -> { });
            Scene offScreen = new Scene(main, width, height);
            for (int pass = 0; pass < 3; pass++) {
                main.applyCss();
                main.layout();
            }
            UiSnapshotsAccess.writePng(offScreen, file);
            documents.getTabs().get(1).setContent(null);
            shown.setRoot(form);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }
}
