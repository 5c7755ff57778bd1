package dev.freezeframe.app.ui.shell;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The command palette (Ctrl+Shift+P): a text field over the {@link KeyMap}'s actions, fuzzy-matched, with each
 * action's keys; Enter runs the first (or selected) one. Text starting with a mode's prefix asks that mode instead
 * ({@code t 12.5s} goes to a time, {@code run 55} opens a run, {@code >} lists commands only). An unavailable row is
 * not run: its reason shows in the palette's status line and the palette stays open. Shown as an overlay at the top
 * of the window, never a separate window, so it cannot get lost behind the workbench.
 */
public final class CommandPalette extends StackPane {
    private final KeyMap keyMap;
    private final TextField input = new TextField();
    private final List<PaletteMode> modes;
    private final ListView<PaletteItem> list = new ListView<>();
    private final Label status = new Label();
    private final ReadOnlyBooleanWrapper showing = new ReadOnlyBooleanWrapper(this, "showing", false);
    private javafx.scene.Node restoreFocus;

    public CommandPalette(KeyMap keyMap, List<PaletteMode> modes) {
        this.keyMap = keyMap;
        this.modes = List.copyOf(modes);
        setId("palette");
        setVisible(false);
        setManaged(false);
        setPickOnBounds(false);

        input.setId("paletteInput");
        input.setPromptText("A command (freeze, fit, new run…), or t 12.5s go to a time, run 55 open a run,"
                + " @error a snapshot, #nr_enq plot a field, $total_forks find a symbol");
        list.setId("paletteList");
        list.setPrefHeight(320);
        list.setCellFactory(v -> new ActionCell());
        status.setId("paletteStatus");
        status.getStyleClass().add(Styles.TEXT_MUTED);
        status.setWrapText(true);

        VBox box = new VBox(6, input, list, status);
        box.setPadding(new Insets(8));
        box.setMaxWidth(640);
        box.setMaxHeight(Region.USE_PREF_SIZE);
        box.getStyleClass().add("palette-box");
        box.setStyle("-fx-background-color: -color-bg-overlay; -fx-border-color: -color-border-default;"
                + "-fx-border-radius: 6; -fx-background-radius: 6;"
                + "-fx-effect: dropshadow(gaussian, -color-shadow-default, 16, 0.2, 0, 4);");
        StackPane.setAlignment(box, Pos.TOP_CENTER);
        StackPane.setMargin(box, new Insets(40, 0, 0, 0));
        getChildren().add(box);

        input.textProperty().addListener((obs, was, now) -> refilter());
        input.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case ESCAPE -> {
                    hide();
                    e.consume();
                }
                case ENTER -> {
                    runSelected(e.isShiftDown());
                    e.consume();
                }
                case DOWN -> {
                    list.getSelectionModel().selectNext();
                    list.scrollTo(list.getSelectionModel().getSelectedIndex());
                    e.consume();
                }
                case UP -> {
                    list.getSelectionModel().selectPrevious();
                    list.scrollTo(list.getSelectionModel().getSelectedIndex());
                    e.consume();
                }
                default -> {
                }
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) runSelected(false);
        });
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                runSelected(e.isShiftDown());
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                hide();
                e.consume();
            }
        });
    }

    public ReadOnlyBooleanProperty showingProperty() {
        return showing.getReadOnlyProperty();
    }

    public void show() {
        restoreFocus = getScene() == null ? null : getScene().getFocusOwner();
        status.setText("");
        input.clear();
        refilter();
        setManaged(true);
        setVisible(true);
        showing.set(true);
        input.requestFocus();
    }

    public void hide() {
        setVisible(false);
        setManaged(false);
        showing.set(false);
        if (restoreFocus != null) restoreFocus.requestFocus();
    }

    /** Asks the current mode again (its data arrived after the text was typed). */
    public void refresh() {
        if (showing.get()) refilter();
    }

    /** The rows for the current text, best first (for tests and the list). */
    public List<PaletteItem> matches() {
        return List.copyOf(list.getItems());
    }

    public String statusText() {
        return status.getText();
    }

    private void refilter() {
        String text = input.getText() == null ? "" : input.getText();
        PaletteMode mode = null;
        for (PaletteMode m : modes) {
            if (text.startsWith(m.prefix()) && (mode == null || m.prefix().length() > mode.prefix().length())) mode = m;
        }
        List<PaletteItem> items = mode == null ? commands(text) : mode.items().items(text.substring(mode.prefix().length()));
        list.getItems().setAll(items);
        if (!items.isEmpty()) list.getSelectionModel().select(0);
        if (mode != null) status.setText(items.isEmpty() ? mode.hint() : explain(items.getFirst(), mode.hint()));
        else status.setText(items.isEmpty() ? "No command matches '" + text.strip() + "'." : "");
    }

    /** The first row's refusal when it has one (what is wrong with the typed text), else the mode's hint. */
    private static String explain(PaletteItem first, String hint) {
        String why = first.unavailable().get();
        return why.isEmpty() ? hint : why.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + why.substring(1) + ".";
    }

    /** The key map's actions fuzzy-matching {@code q}, best first (the default mode and {@code >}). */
    public List<PaletteItem> commands(String q) {
        record Scored(KeyMap.Action action, int score, int order) {
        }
        List<Scored> scored = new ArrayList<>();
        List<KeyMap.Action> all = keyMap.actions();
        for (int i = 0; i < all.size(); i++) {
            KeyMap.Action a = all.get(i);
            int s = Math.max(FuzzyMatch.score(q, a.title()), FuzzyMatch.score(q, a.id()) - 5);
            if (s >= 0) scored.add(new Scored(a, s, i));
        }
        scored.sort(Comparator.comparingInt((Scored s) -> -s.score()).thenComparingInt(Scored::order));
        return scored.stream().map(s -> PaletteItem.of(s.action(), keyMap)).toList();
    }

    /** Runs the selected row; with Shift, its alternate action when it has one. */
    private void runSelected(boolean shift) {
        PaletteItem item = list.getSelectionModel().getSelectedItem();
        if (item == null) return;
        String why = item.unavailable().get();
        if (!why.isEmpty()) {
            status.setText(item.title() + ": " + why + ".");
            return;
        }
        hide();
        (shift && item.alternate() != null ? item.alternate() : item.action()).run();
    }

    private static final class ActionCell extends ListCell<PaletteItem> {
        @Override
        protected void updateItem(PaletteItem a, boolean empty) {
            super.updateItem(a, empty);
            if (empty || a == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Label title = new Label(a.title());
            Label keys = new Label(a.detail());
            keys.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            if (!a.unavailable().get().isEmpty()) title.getStyleClass().add(Styles.TEXT_MUTED);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            HBox row = new HBox(8, title, gap, keys);
            row.setAlignment(Pos.CENTER_LEFT);
            setGraphic(new BorderPane(row));
            setText(null);
        }
    }
}
