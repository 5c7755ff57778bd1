package dev.freezeframe.app.ui.run;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.shell.TimeText;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.geometry.Orientation;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The run tab's toolbar: Stop, Freeze, Resume, Capture now (hidden for an ended run, disabled with the reason as a
 * tooltip when they do not apply), the run's title and configuration, and a line with its step, elapsed time, snapshot
 * count and verdict. An interrupted or incomplete record carries its warning here.
 */
final class RunToolbar extends VBox {
    private final RunTabModel model;

    /**
     * @param report where a control's answer or refusal goes (the status line)
     */
    RunToolbar(RunTabModel model, Consumer<String> report, java.util.function.LongConsumer openRun) {
        this.model = model;
        setId("runToolbar");
        setPadding(new Insets(6, 10, 6, 10));
        setSpacing(4);
        setStyle("-fx-border-color: -color-border-default; -fx-border-width: 0 0 1 0;");

        Label title = new Label();
        title.textProperty().bind(model.titleProperty());
        title.getStyleClass().add(Styles.TITLE_4);
        // In a narrow window the title and configuration give way (ellipsis), never the control buttons.
        title.setMinWidth(0);
        Label summary = new Label();
        summary.textProperty().bind(model.summaryProperty());
        summary.getStyleClass().add(Styles.TEXT_MUTED);
        summary.setMinWidth(0);
        HBox top = new HBox(8);
        top.setAlignment(Pos.CENTER_LEFT);
        if (model.isLive()) {
            top.getChildren().addAll(
                    control("stopButton", "Stop", Feather.SQUARE, "Stop the run (Shift+F5)", RunControls::stop,
                            model::stop, report, Styles.DANGER),
                    control("freezeButton", "Freeze", Feather.PAUSE, "Freeze every vCPU and capture (F6)",
                            RunControls::freeze, model::freeze, report, null),
                    control("resumeButton", "Resume", Feather.PLAY, "Let the guest run on (F5)", RunControls::resume,
                            model::resume, report, Styles.SUCCESS),
                    control("toNextHitButton", "To next hit", Feather.SKIP_FORWARD, "Run until the next hit of an"
                            + " armed watch and stay frozen there (F9)", RunControls::arm, model::runToNextHit, report,
                            null),
                    control("captureButton", "Capture now", Feather.CAMERA, "Freeze briefly and capture a snapshot"
                            + " (Ctrl+F6)", RunControls::capture, model::captureNow, report, null),
                    new Separator(Orientation.VERTICAL));
            if (model.forkable()) {
                // only a run started forkable keeps VM state; the Run menu and the palette say why for the others
                top.getChildren().add(top.getChildren().size() - 1, control("captureForkableButton",
                        "Capture forkable", Feather.GIT_BRANCH, "Capture a snapshot that keeps the whole VM state, to"
                                + " fork from once the run has ended (Shift+F6)",
                        c -> model.captureForkableUnavailable(), model::captureForkable, report, null));
            }
        }
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        top.getChildren().addAll(title, summary, gap);

        Label state = new Label();
        state.setId("runState");
        state.textProperty().bind(Bindings.createStringBinding(() -> model.guestStateProperty().get().chip(),
                model.guestStateProperty()));
        Label step = new Label();
        step.setId("runStep");
        step.setMinWidth(0);
        step.textProperty().bind(Bindings.createStringBinding(() -> !model.stepProperty().get().isEmpty()
                ? model.stepProperty().get() : model.isLive() ? "no step yet" : "steps on the timeline",
                model.stepProperty()));
        Label elapsed = new Label();
        elapsed.setId("runElapsed");
        elapsed.textProperty().bind(Bindings.createStringBinding(() -> TimeText.relative(model.elapsedNsProperty().get()),
                model.elapsedNsProperty()));
        Label snaps = new Label();
        snaps.setId("runSnapshots");
        snaps.textProperty().bind(Bindings.createStringBinding(() -> model.snapshotsProperty().get() + " snapshot"
                + (model.snapshotsProperty().get() == 1 ? "" : "s"), model.snapshotsProperty()));
        Label verdict = new Label();
        verdict.setId("runVerdict");
        verdict.textProperty().bind(Bindings.createStringBinding(() -> model.verdictProperty().get().isEmpty()
                ? "verdict —" : "verdict " + model.verdictProperty().get()
                + (model.reasonProperty().get().isEmpty() ? "" : ": " + model.reasonProperty().get()),
                model.verdictProperty(), model.reasonProperty()));
        verdict.setMinWidth(0);
        model.verdictProperty().addListener((obs, was, now) -> styleVerdict(verdict, now));
        styleVerdict(verdict, model.verdictProperty().get());
        verdict.tooltipProperty().bind(Bindings.createObjectBinding(() -> new Tooltip(verdict.getText()),
                verdict.textProperty()));
        for (Label fixed : new Label[] {state, elapsed, snaps}) fixed.setMinWidth(Region.USE_PREF_SIZE);
        HBox line = new HBox(14, state, sep(), step, sep(), elapsed, sep(), snaps, sep(), verdict);
        line.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(top, line);

        // a fork says where it came from; the link opens the parent
        javafx.scene.control.Hyperlink origin = new javafx.scene.control.Hyperlink();
        origin.setId("runOrigin");
        origin.setGraphic(new FontIcon(Feather.GIT_BRANCH));
        origin.textProperty().bind(Bindings.createStringBinding(() -> model.originProperty().get() == null ? ""
                : "forked from " + model.originProperty().get().describeParent(), model.originProperty()));
        origin.setTooltip(new Tooltip("Open the run this one was forked from"));
        origin.setOnAction(e -> {
            if (model.originProperty().get() != null) openRun.accept(model.originProperty().get().parentRunId());
            origin.setVisited(false);
        });
        origin.visibleProperty().bind(model.originProperty().isNotNull());
        origin.managedProperty().bind(origin.visibleProperty());
        origin.setPadding(Insets.EMPTY);
        getChildren().add(origin);

        Label note = new Label();
        note.setId("runNote");
        note.textProperty().bind(model.noteProperty());
        note.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        note.getStyleClass().add(Styles.WARNING);
        note.setWrapText(true);
        note.visibleProperty().bind(model.noteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        getChildren().add(note);
    }

    private static Label sep() {
        Label l = new Label("│");
        l.getStyleClass().add(Styles.TEXT_MUTED);
        return l;
    }

    private static void styleVerdict(Label verdict, String v) {
        verdict.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER, Styles.WARNING);
        switch (v) {
            case "passed" -> verdict.getStyleClass().add(Styles.SUCCESS);
            case "scheduler_failed", "failed_expectation", "error" -> verdict.getStyleClass().add(Styles.DANGER);
            case "" -> {
            }
            default -> verdict.getStyleClass().add(Styles.WARNING);
        }
    }

    /**
     * A control button. A disabled node gets no mouse events, so the reason tooltip sits on a wrapper around it.
     */
    private StackPane control(String id, String text, Ikon icon, String help, Function<RunControls, String> reason,
                              Supplier<CompletableFuture<String>> action, Consumer<String> report, String style) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        if (style != null) b.getStyleClass().add(style);
        b.setOnAction(e -> action.get().whenComplete((answer, failure) -> report.accept(failure != null
                ? text + ": " + RunTabView.message(failure) : answer)));
        StackPane wrapper = new StackPane(b);
        wrapper.setMinWidth(Region.USE_PREF_SIZE);
        Tooltip tip = new Tooltip(help);
        Tooltip.install(wrapper, tip);
        Runnable update = () -> {
            String why = reason.apply(model.controlsProperty().get());
            b.setDisable(!why.isEmpty());
            tip.setText(why.isEmpty() ? help : RunTabModel.capitalize(why) + ".");
        };
        model.controlsProperty().addListener((obs, was, now) -> update.run());
        update.run();
        return wrapper;
    }
}
