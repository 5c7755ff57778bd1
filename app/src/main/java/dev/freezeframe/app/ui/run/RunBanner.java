package dev.freezeframe.app.ui.run;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A run tab's notification line under its toolbar: an icon, the sentence, at most one action ("Show error snapshot")
 * and a close button. It takes its own row and pushes the views down rather than covering the top of the timeline and
 * the inspector's tabs, so a failed run stays fully usable while its failure is on screen.
 */
public final class RunBanner extends HBox {
    private final Label text = new Label();
    private final Button action = new Button();
    private final Button close = new Button(null, new FontIcon(Feather.X));

    RunBanner() {
        super(10);
        setId("runBanner");
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(6, 10, 6, 10));
        text.setId("runBannerText");
        text.setWrapText(true);
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setMaxWidth(Double.MAX_VALUE);
        action.setId("runBannerAction");
        action.managedProperty().bind(action.visibleProperty());
        close.setId("runBannerClose");
        close.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        close.setOnAction(e -> hide());
        getChildren().addAll(text, action, close);
        managedProperty().bind(visibleProperty());
        setVisible(false);
    }

    /**
     * Shows {@code sentence} (replacing what was shown).
     *
     * @param error      styled as a failure rather than news
     * @param actionText the action's label, or null for none
     * @param onAction   what the action does (the banner closes first)
     */
    void show(String sentence, Ikon icon, boolean error, String actionText, Runnable onAction) {
        text.setText(sentence);
        text.setGraphic(new FontIcon(icon));
        setStyle("-fx-background-color: " + (error ? "-color-danger-subtle" : "-color-accent-subtle")
                + "; -fx-border-color: " + (error ? "-color-danger-muted" : "-color-accent-muted")
                + "; -fx-border-width: 0 0 1 0;");
        action.setVisible(actionText != null);
        if (actionText != null) {
            action.setText(actionText);
            action.setOnAction(e -> {
                hide();
                onAction.run();
            });
        }
        setVisible(true);
    }

    public void hide() {
        setVisible(false);
    }

    public boolean isShowing() {
        return isVisible();
    }

    public String getText() {
        return text.getText();
    }
}
