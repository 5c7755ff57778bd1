package dev.freezeframe.app.ui.console;

import atlantafx.base.theme.Styles;
import java.util.function.BiConsumer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The console's find bar (Ctrl+F): a query field, the match count, previous / next and close. Enter searches (or goes to
 * the next match when the query is unchanged), Shift+Enter goes back, Escape closes. It only reports intents; the view
 * runs the search and tells it the count.
 */
final class ConsoleSearchBar extends HBox {
    /** What the user asked for: the query and the direction (+1 next, -1 previous). */
    interface Intent extends BiConsumer<String, Integer> {
    }

    private final TextField query = new TextField();
    private final Label count = new Label();
    private final Intent onSearch;

    ConsoleSearchBar(Intent onSearch, Runnable onClose) {
        this.onSearch = onSearch;
        getStyleClass().add("console-search");
        query.setId("consoleSearch");
        query.setPromptText("Find in console (every word starts a word of the line)");
        query.setPrefColumnCount(32);
        count.setId("consoleSearchCount");
        count.getStyleClass().add(Styles.TEXT_MUTED);
        Button previous = iconButton(Feather.CHEVRON_UP, "Previous match (Shift+Enter)");
        Button next = iconButton(Feather.CHEVRON_DOWN, "Next match (Enter)");
        Button close = iconButton(Feather.X, "Close (Escape)");
        previous.setOnAction(e -> onSearch.accept(query.getText(), -1));
        next.setOnAction(e -> onSearch.accept(query.getText(), +1));
        close.setOnAction(e -> onClose.run());
        query.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                onSearch.accept(query.getText(), e.isShiftDown() ? -1 : +1);
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                onClose.run();
                e.consume();
            }
        });
        getChildren().addAll(new FontIcon(Feather.SEARCH), query, count, previous, next, close);
    }

    private static Button iconButton(Feather icon, String tip) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        b.setTooltip(new Tooltip(tip));
        b.setFocusTraversable(false);
        return b;
    }

    void focusQuery() {
        query.requestFocus();
        query.selectAll();
    }

    /** Searches for {@code text} as if typed and entered here (the palette's {@code /} mode). */
    void searchFor(String text) {
        query.setText(text);
        onSearch.accept(text, +1);
    }

    void setCount(String text) {
        count.setText(text);
    }
}
