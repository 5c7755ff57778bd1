package dev.freezeframe.app.ui.events;

import atlantafx.base.theme.Styles;
import dev.freezeframe.persistence.EventFilter;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The events table's filter field and row count. The field is tinted as the user types — danger when the text does not
 * parse (with the reason and where under it), success for a valid filter — and the filter is applied on Enter (or when
 * the field is emptied). Invalid text is never applied.
 */
final class EventFilterBar extends BorderPane {
    private final TextField field = new TextField();
    private final Label message = new Label();
    private final Label count = new Label();
    private EventFilter applied = EventFilter.ALL;
    private final Consumer<EventFilter> onApply;

    EventFilterBar(Consumer<EventFilter> onApply) {
        this.onApply = onApply;
        field.setId("eventsFilter");
        field.setPromptText("Filter: lane:watchpoints kind:hit words of the text");
        field.setOnAction(e -> apply(onApply));
        field.textProperty().addListener((o, was, now) -> {
            if (now.isBlank() && !applied.isAll()) apply(onApply);
            else validate(now);
        });
        HBox.setHgrow(field, Priority.ALWAYS);
        message.setId("eventsFilterMessage");
        message.getStyleClass().add(Styles.DANGER);
        message.setManaged(false);
        message.setVisible(false);
        count.setId("eventsCount");
        count.getStyleClass().add(Styles.TEXT_MUTED);
        HBox bar = new HBox(6, new FontIcon(Feather.FILTER), field, count);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.setAlignment(Pos.CENTER_LEFT);
        setCenter(bar);
        setBottom(message);
        BorderPane.setMargin(message, new Insets(0, 8, 4, 8));
    }

    private void apply(Consumer<EventFilter> onApply) {
        if (validate(field.getText()) instanceof EventFilterParser.Valid valid) {
            applied = valid.filter();
            onApply.accept(applied);
        }
    }

    /** Tints the field by whether {@code text} parses, with the reason and where when it does not. */
    private EventFilterParser.Result validate(String text) {
        EventFilterParser.Result result = EventFilterParser.parse(text);
        field.pseudoClassStateChanged(Styles.STATE_DANGER, result instanceof EventFilterParser.Invalid);
        field.pseudoClassStateChanged(Styles.STATE_SUCCESS,
                result instanceof EventFilterParser.Valid v && !v.filter().isAll());
        boolean invalid = result instanceof EventFilterParser.Invalid;
        message.setText(result instanceof EventFilterParser.Invalid i
                ? i.message() + " (at character " + (i.offset() + 1) + ")" : "");
        message.setManaged(invalid);
        message.setVisible(invalid);
        return result;
    }

    /** Filters by {@code expression} as if typed and entered here; false (and the reason shown) if it does not parse. */
    boolean applyText(String expression) {
        field.setText(expression);
        apply(onApply);
        return validate(expression) instanceof EventFilterParser.Valid;
    }

    /** The count label: rows shown, or a state ("Filtering…", a failure as a sentence). */
    void setCount(String text, boolean failure) {
        count.setText(text);
        count.getStyleClass().remove(Styles.DANGER);
        if (failure) count.getStyleClass().add(Styles.DANGER);
    }
}
