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
 * action's keys; Enter runs the first (or selected) one. An unavailable action is not run: its reason shows in the
 * palette's status line and the palette stays open. Shown as an overlay at the top of the window, never a separate
 * window, so it cannot get lost behind the workbench.
 */
public final class CommandPalette extends StackPane {
    private final KeyMap keyMap;
    private final TextField input = new TextField();
    private final ListView<KeyMap.Action> list = new ListView<>();
    private final Label status = new Label();
    private final ReadOnlyBooleanWrapper showing = new ReadOnlyBooleanWrapper(this, "showing", false);
    private javafx.scene.Node restoreFocus;

    public CommandPalette(KeyMap keyMap) {
        this.keyMap = keyMap;
        setId("palette");
        setVisible(false);
        setManaged(false);
        setPickOnBounds(false);

        input.setId("paletteInput");
        input.setPromptText("Type a command — e.g. freeze, capture, fit, new run");
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
                    runSelected();
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
            if (e.getClickCount() == 2) runSelected();
        });
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                runSelected();
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

    /** The actions matching the current text, best first (for tests and the list). */
    public List<KeyMap.Action> matches() {
        return List.copyOf(list.getItems());
    }

    public String statusText() {
        return status.getText();
    }

    private void refilter() {
        String q = input.getText() == null ? "" : input.getText();
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
        list.getItems().setAll(scored.stream().map(Scored::action).toList());
        if (!list.getItems().isEmpty()) list.getSelectionModel().select(0);
        status.setText(list.getItems().isEmpty() ? "No command matches '" + q.strip() + "'." : "");
    }

    private void runSelected() {
        KeyMap.Action a = list.getSelectionModel().getSelectedItem();
        if (a == null) return;
        String why = keyMap.whyNot(a);
        if (!why.isEmpty()) {
            status.setText(a.title() + ": " + why + ".");
            return;
        }
        hide();
        keyMap.run(a);
    }

    private static final class ActionCell extends ListCell<KeyMap.Action> {
        @Override
        protected void updateItem(KeyMap.Action a, boolean empty) {
            super.updateItem(a, empty);
            if (empty || a == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Label title = new Label(a.title());
            Label keys = new Label(a.keyText());
            keys.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            if (!a.runnable() || !a.unavailable().get().isEmpty()) title.getStyleClass().add(Styles.TEXT_MUTED);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            HBox row = new HBox(8, title, gap, keys);
            row.setAlignment(Pos.CENTER_LEFT);
            setGraphic(new BorderPane(row));
            setText(null);
        }
    }
}
