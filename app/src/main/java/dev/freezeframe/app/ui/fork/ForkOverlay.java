package dev.freezeframe.app.ui.fork;

import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;

/**
 * Shows the fork form over the window (as the command palette and the key help are shown): the window stays as it
 * was behind it, Esc or Cancel closes it.
 */
public final class ForkOverlay extends StackPane {
    private ForkFormView form;

    public ForkOverlay() {
        setId("forkOverlay");
        setVisible(false);
        setManaged(false);
        setPickOnBounds(false);
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && isShowing()) {
                hide();
                e.consume();
            }
        });
    }

    /** Shows a form for {@code model}; {@code onStart} gets the fork to start. */
    public void show(ForkFormModel model, Consumer<ForkRequest> onStart) {
        form = new ForkFormView(model, onStart, this::hide);
        form.setMaxSize(660, javafx.scene.layout.Region.USE_PREF_SIZE);
        form.setStyle("-fx-background-color: -color-bg-overlay; -fx-border-color: -color-border-default;"
                + "-fx-border-radius: 6; -fx-background-radius: 6;"
                + "-fx-effect: dropshadow(gaussian, -color-shadow-default, 16, 0.2, 0, 4);");
        StackPane.setAlignment(form, Pos.CENTER);
        getChildren().setAll(form);
        setManaged(true);
        setVisible(true);
        Node first = form.lookup("#forkWatches");
        if (first != null) first.requestFocus();
    }

    public void hide() {
        setVisible(false);
        setManaged(false);
        getChildren().clear();
        form = null;
    }

    public boolean isShowing() {
        return isVisible();
    }

    /** The form shown, or null. */
    public ForkFormView form() {
        return form;
    }
}
