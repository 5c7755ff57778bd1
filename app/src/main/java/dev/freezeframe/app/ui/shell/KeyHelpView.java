package dev.freezeframe.app.ui.shell;

import atlantafx.base.theme.Styles;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The keyboard help ({@code ?}): every binding of the {@link KeyMap}, by scope, as an overlay. Esc closes it. */
public final class KeyHelpView extends StackPane {
    private final KeyMap keyMap;
    private final TableView<KeyMap.Action> table = new TableView<>();

    public KeyHelpView(KeyMap keyMap) {
        this.keyMap = keyMap;
        setId("keyHelp");
        setVisible(false);
        setManaged(false);
        setPickOnBounds(false);

        TableColumn<KeyMap.Action, String> scope = new TableColumn<>("Where");
        scope.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().scope().title()));
        scope.setPrefWidth(170);
        TableColumn<KeyMap.Action, String> keys = new TableColumn<>("Keys");
        keys.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().keyText()));
        keys.setPrefWidth(170);
        TableColumn<KeyMap.Action, String> what = new TableColumn<>("Action");
        what.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().title()));
        what.setPrefWidth(330);
        table.getColumns().setAll(scope, keys, what);
        table.setId("keyHelpTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getStyleClass().add(Styles.DENSE);

        Label title = new Label("Keyboard");
        title.getStyleClass().add(Styles.TITLE_4);
        Label hint = new Label("Single-letter keys act when no text field has focus. Ctrl+Shift+P finds any action by"
                + " name.");
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        hint.setWrapText(true);
        Button close = new Button("Close");
        close.setOnAction(e -> hide());
        BorderPane header = new BorderPane(null, null, close, null, new VBox(2, title, hint));
        VBox box = new VBox(8, header, table);
        box.setPadding(new Insets(12));
        box.setMaxSize(760, 620);
        box.setStyle("-fx-background-color: -color-bg-overlay; -fx-border-color: -color-border-default;"
                + "-fx-border-radius: 6; -fx-background-radius: 6;"
                + "-fx-effect: dropshadow(gaussian, -color-shadow-default, 16, 0.2, 0, 4);");
        StackPane.setAlignment(box, Pos.CENTER);
        getChildren().add(box);
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                hide();
                e.consume();
            }
        });
    }

    public void show() {
        table.getItems().setAll(keyMap.actions().stream().filter(a -> !a.keys().isEmpty())
                .sorted(java.util.Comparator.comparing((KeyMap.Action a) -> a.scope()).thenComparing(KeyMap.Action::id))
                .toList());
        setManaged(true);
        setVisible(true);
        table.requestFocus();
    }

    public void hide() {
        setVisible(false);
        setManaged(false);
    }

    public boolean isShowing() {
        return isVisible();
    }

    /** The rows shown (for tests). */
    public java.util.List<KeyMap.Action> rows() {
        return java.util.List.copyOf(table.getItems());
    }
}
