package dev.freezeframe.app.ui.launch;

import atlantafx.base.theme.Styles;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The guest kit in the launch form: a status label beside the kernel choice, and — while the kit is missing, being
 * built or failed — a box with "Build kit", the build's steps and progress, and Cancel.
 */
final class KitPane {
    private final KitModel kit;
    private final Label status = new Label();
    private final VBox buildBox = new VBox(8);
    private final Label buildMessage = new Label();
    private final Button build = new Button("Build kit", new FontIcon(Feather.TOOL));
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar();
    private final Label step = new Label();
    private final ListView<String> log = new ListView<>();

    KitPane(KitModel kit) {
        this.kit = kit;
        status.setId("kitStatus");
        status.setWrapText(false);

        buildBox.setId("kitBuild");
        buildBox.getStyleClass().add("kit-build");
        buildMessage.setId("kitMessage");
        buildMessage.setWrapText(true);
        build.setId("buildKit");
        build.getStyleClass().add(Styles.ACCENT);
        build.setOnAction(e -> kit.build());
        cancel.setId("cancelKitBuild");
        cancel.setOnAction(e -> kit.cancelBuild());
        progress.setId("kitProgress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.setMinWidth(80);
        progress.progressProperty().bind(kit.progressProperty());
        step.setId("kitStep");
        step.textProperty().bind(kit.stepProperty());
        step.getStyleClass().add(Styles.TEXT_MUTED);
        log.setId("kitBuildLog");
        log.getStyleClass().addAll("kit-build-log", Styles.DENSE);
        log.setItems(kit.log());
        log.setPrefHeight(140);
        log.setMinHeight(80);
        kit.log().addListener((javafx.collections.ListChangeListener<String>) c -> {
            if (!kit.log().isEmpty()) log.scrollTo(kit.log().size() - 1);
        });
        HBox buttons = new HBox(8, build, progress, cancel);
        buttons.setAlignment(Pos.CENTER_LEFT);
        // the bar takes the row but Cancel's width
        progress.prefWidthProperty().bind(buttons.widthProperty().subtract(cancel.widthProperty()).subtract(16));
        buildBox.getChildren().addAll(buildMessage, buttons, step, log);

        kit.stateProperty().addListener((obs, was, now) -> show());
        kit.summaryProperty().addListener((obs, was, now) -> show());
        show();
    }

    /** The one-line status shown beside "Guest kit". */
    Label status() {
        return status;
    }

    /** The build box; hidden while the kit is ready. */
    VBox buildBox() {
        return buildBox;
    }

    private void show() {
        KitModel.State state = kit.stateProperty().get();
        status.getStyleClass().removeAll("kit-ready", "kit-missing", "kit-failed");
        KitAccess.KitInfo info = kit.kitProperty().get();
        switch (state) {
            case READY -> {
                status.setText("✔ ready · " + ("debian".equals(info.origin()) ? "Debian " : "") + info.kernelVersion()
                        + " (sched_ext)");
                status.getStyleClass().add("kit-ready");
            }
            case CHECKING -> status.setText("checking…");
            case MISSING -> {
                status.setText("⚠ not built");
                status.getStyleClass().add("kit-missing");
            }
            case BUILDING -> {
                status.setText("building…");
                status.getStyleClass().add("kit-missing");
            }
            case FAILED -> {
                status.setText("✖ build failed");
                status.getStyleClass().add("kit-failed");
            }
        }
        boolean showBox = state == KitModel.State.MISSING || state == KitModel.State.BUILDING
                || state == KitModel.State.FAILED;
        buildBox.setVisible(showBox);
        buildBox.setManaged(showBox);
        boolean building = state == KitModel.State.BUILDING;
        buildMessage.setText(building ? "Building the guest kit: Debian's cloud kernel with sched_ext, the kit"
                + " schedulers, busybox and the agent. Runs can start once it is ready." : kit.summaryProperty().get());
        build.setVisible(!building);
        build.setManaged(!building);
        build.setText(state == KitModel.State.FAILED ? "Try again" : "Build kit");
        cancel.setVisible(building);
        cancel.setManaged(building);
        progress.setVisible(building);
        progress.setManaged(building);
        step.setVisible(building);
        step.setManaged(building);
        boolean hasLog = !kit.log().isEmpty() || building;
        log.setVisible(hasLog);
        log.setManaged(hasLog);
    }
}
