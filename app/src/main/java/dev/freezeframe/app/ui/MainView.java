package dev.freezeframe.app.ui;

import atlantafx.base.theme.Styles;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The workbench layout: menu bar on top, a navigation rail on the left, the selected view in the content area.
 */
public final class MainView extends BorderPane {
    private final VBox navigation = new VBox(4);
    private final StackPane content = new StackPane();
    private final ToggleGroup destinations = new ToggleGroup();
    private final ReadOnlyObjectWrapper<String> selected = new ReadOnlyObjectWrapper<>(this, "selected");

    public MainView(MenuBar menuBar) {
        getStyleClass().add("main-view");
        setTop(menuBar);

        Label brand = new Label("Freezeframe");
        brand.getStyleClass().addAll(Styles.TITLE_4);
        brand.setPadding(new Insets(4, 8, 12, 8));
        navigation.getChildren().add(brand);
        navigation.setId("navigation");
        navigation.setPadding(new Insets(12, 8, 12, 8));
        navigation.setPrefWidth(190);
        navigation.setStyle("-fx-border-color: -color-border-default; -fx-border-width: 0 1 0 0;"
                + "-fx-background-color: -color-bg-subtle;");
        setLeft(navigation);

        content.setId("content");
        setCenter(content);

        destinations.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // a rail always has one destination selected
                return;
            }
            content.getChildren().setAll((Node) now.getUserData());
            selected.set(((ToggleButton) now).getId());
        });
    }

    /** Adds a destination to the rail; the first one added is selected. */
    public void addDestination(String id, String title, Ikon icon, Node view) {
        ToggleButton button = new ToggleButton(title, new FontIcon(icon));
        button.setId(id);
        button.setUserData(view);
        button.setToggleGroup(destinations);
        button.setMaxWidth(Double.MAX_VALUE);
        button.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        button.getStyleClass().add(Styles.FLAT);
        navigation.getChildren().add(button);
        if (destinations.getSelectedToggle() == null) button.setSelected(true);
    }

    public ReadOnlyObjectProperty<String> selectedDestinationProperty() {
        return selected.getReadOnlyProperty();
    }
}
