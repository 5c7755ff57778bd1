package dev.freezeframe.app.ui.launch;

import atlantafx.base.theme.Styles;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.VBox;

/** Wiring between form controls and {@link LaunchFormModel}: typed text goes to an intent, model values come back. */
final class Fields {
    private Fields() {
    }

    /** Every edit of {@code control} goes to {@code intent}; a change of {@code value} (a restore) is shown. */
    static void sync(TextInputControl control, ObservableStringValue value, Consumer<String> intent) {
        control.setText(value.get());
        control.textProperty().addListener((obs, was, now) -> {
            if (!now.equals(value.get())) intent.accept(now);
        });
        value.addListener((obs, was, now) -> {
            if (!now.equals(control.getText())) control.setText(now);
        });
    }

    /** As {@link #sync(TextInputControl, ObservableStringValue, Consumer)}, keeping the spinner's value in step. */
    static void sync(Spinner<Integer> spinner, ObservableStringValue value, Consumer<String> intent) {
        showInSpinner(spinner, value.get());
        spinner.getEditor().textProperty().addListener((obs, was, now) -> {
            if (!now.equals(value.get())) intent.accept(now);
        });
        value.addListener((obs, was, now) -> {
            if (!now.equals(spinner.getEditor().getText())) showInSpinner(spinner, now);
        });
    }

    private static void showInSpinner(Spinner<Integer> spinner, String text) {
        try {
            spinner.getValueFactory().setValue(Integer.parseInt(text.strip()));
        } catch (NumberFormatException notANumber) {
            // shown as typed; the model says what is wrong with it
        }
        spinner.getEditor().setText(text);
    }

    /**
     * The control with its problem under it: the control turns danger-coloured and the sentence shows while
     * {@code problem} is not empty.
     */
    static VBox withProblem(Node control, ReadOnlyStringProperty problem, String problemId) {
        Label message = new Label();
        message.setId(problemId);
        message.getStyleClass().add("field-problem");
        message.setWrapText(true);
        message.textProperty().bind(problem);
        message.visibleProperty().bind(problem.isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        problem.addListener((obs, was, now) -> control.pseudoClassStateChanged(Styles.STATE_DANGER, !now.isEmpty()));
        control.pseudoClassStateChanged(Styles.STATE_DANGER, !problem.get().isEmpty());
        VBox box = new VBox(3, control, message);
        box.setFillWidth(true);
        return box;
    }

    static Label hint(String text) {
        Label hint = new Label(text);
        hint.getStyleClass().add("field-hint");
        hint.setWrapText(true);
        return hint;
    }
}
