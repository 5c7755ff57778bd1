package dev.freezeframe.app.ui.runs;

import atlantafx.base.theme.Styles;
import java.util.function.Function;
import javafx.animation.PauseTransition;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The runs browser's filter bar: the text field (tinted valid / invalid as it is typed, the reason in words under it),
 * applied on Enter or after a pause in typing, and the quick filter toggles. The filter itself lives in the model;
 * the field follows the model's applied text when it changes from elsewhere (a quick filter, a reveal).
 */
public final class RunsFilterBar extends VBox {
    private static final Duration TYPING_PAUSE = Duration.millis(400);
    static final String HINT = "scheduler:S  kernel:K  verdict:V  since:DATE  until:DATE  and words or "
            + "\"quoted text\" to search the console and events. Enter applies.";

    private final TextField field = new TextField();
    private final Label status = new Label(HINT);
    private final ToggleButton failed = new ToggleButton("Failed");
    private final ToggleButton week = new ToggleButton("This week");
    private final Function<String, RunsFilterParser.Result> check;
    private final Function<String, RunsFilterParser.Result> apply;
    private final ObservableStringValue applied;

    /**
     * @param check   parses without applying
     * @param apply   parses and, when valid, applies
     * @param applied the text of the filter in force
     */
    public RunsFilterBar(Function<String, RunsFilterParser.Result> check,
                         Function<String, RunsFilterParser.Result> apply, ObservableStringValue applied) {
        super(6);
        this.check = check;
        this.apply = apply;
        this.applied = applied;
        field.setId("runsFilter");
        field.setPromptText("Filter: scheduler:scx_qmap verdict:scheduler_failed since:7d \"stall\"");
        field.setStyle("-fx-font-family: monospace;");
        HBox.setHgrow(field, Priority.ALWAYS);
        status.setId("runsFilterStatus");
        status.setWrapText(true);
        status.getStyleClass().add(Styles.TEXT_MUTED);

        PauseTransition typing = new PauseTransition(TYPING_PAUSE);
        typing.setOnFinished(e -> applyText(false));
        field.textProperty().addListener((obs, old, now) -> {
            showValidity(check.apply(now));
            typing.playFromStart();
        });
        field.setOnAction(e -> {
            typing.stop();
            applyText(true);
        });
        applied.addListener((obs, old, now) -> {
            if (!now.equals(field.getText())) field.setText(now);
            failed.setSelected(RunsFilterParser.hasToken(now, "verdict", "scheduler_failed"));
            week.setSelected(RunsFilterParser.hasToken(now, "since", "week"));
        });

        failed.setId("quickFailed");
        failed.setTooltip(new Tooltip("verdict:scheduler_failed — runs where the scheduler errored out"));
        failed.setOnAction(e -> quick(failed, "verdict", "scheduler_failed"));
        week.setId("quickWeek");
        week.setTooltip(new Tooltip("since:week — runs started since Monday"));
        week.setOnAction(e -> quick(week, "since", "week"));
        HBox bar = new HBox(8, new FontIcon(Feather.FILTER), field, failed, week);
        bar.setAlignment(Pos.CENTER_LEFT);
        getChildren().setAll(bar, status);
    }

    /** Empties the filter and applies that. */
    public void clear() {
        field.setText("");
        applyText(true);
    }

    private void quick(ToggleButton button, String key, String value) {
        // on top of the typed text when it is a filter, else on top of the filter in force
        String base = check.apply(field.getText()) instanceof RunsFilterParser.Valid ? field.getText()
                : applied.get();
        field.setText(RunsFilterParser.withToken(base, key, button.isSelected() ? value : null));
        applyText(true);
    }

    /** Applies a valid filter; on Enter ({@code explicit}) an unchanged one reloads too. */
    private void applyText(boolean explicit) {
        String text = field.getText();
        if (!explicit && text.equals(applied.get())) return;
        showValidity(apply.apply(text));
    }

    private void showValidity(RunsFilterParser.Result result) {
        boolean invalid = result instanceof RunsFilterParser.Invalid;
        field.pseudoClassStateChanged(Styles.STATE_DANGER, invalid);
        field.pseudoClassStateChanged(Styles.STATE_SUCCESS, !invalid && !field.getText().isBlank());
        status.getStyleClass().removeAll(Styles.TEXT_MUTED, Styles.DANGER);
        if (result instanceof RunsFilterParser.Invalid bad) {
            status.setText(bad.message());
            status.getStyleClass().add(Styles.DANGER);
        } else {
            status.setText(HINT);
            status.getStyleClass().add(Styles.TEXT_MUTED);
        }
    }
}
