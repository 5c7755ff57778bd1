package dev.freezeframe.app.ui;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The workbench layout: menu bar on top, a navigation rail on the left (collapsible to icons), the document tabs (runs,
 * the launch form, comparisons, the Runs browser) in the centre, the status bar at the bottom.
 */
public final class MainView extends BorderPane {
    private static final double RAIL_WIDE = 150;
    private static final double RAIL_NARROW = 48;

    private final VBox rail = new VBox(4);
    private final Label brand = new Label("Freezeframe");
    private final List<Button> railButtons = new ArrayList<>();
    private boolean collapsed;

    public MainView(MenuBar menuBar, TabPane documents, javafx.scene.Node statusBar) {
        getStyleClass().add("main-view");
        setTop(menuBar);
        brand.getStyleClass().addAll(Styles.TITLE_4);
        brand.setPadding(new Insets(2, 6, 10, 6));
        rail.getChildren().add(brand);
        rail.setId("navigation");
        rail.setPadding(new Insets(10, 6, 10, 6));
        rail.setPrefWidth(RAIL_WIDE);
        rail.setMinWidth(RAIL_NARROW);
        rail.setStyle("-fx-border-color: -color-border-default; -fx-border-width: 0 1 0 0;"
                + "-fx-background-color: -color-bg-subtle;");
        setLeft(rail);
        documents.setId("runTabs");
        setCenter(documents);
        setBottom(statusBar);
    }

    /** Adds a button to the rail. */
    public Button addRailAction(String id, String title, Ikon icon, String keyHint, Runnable action) {
        Button b = new Button(title, new FontIcon(icon));
        b.setId(id);
        b.setMaxWidth(Double.MAX_VALUE);
        b.setAlignment(Pos.CENTER_LEFT);
        b.getStyleClass().add(Styles.FLAT);
        b.setTooltip(new Tooltip(title + (keyHint.isEmpty() ? "" : " (" + keyHint + ")")));
        b.setOnAction(e -> action.run());
        rail.getChildren().add(b);
        railButtons.add(b);
        return b;
    }

    /** Ctrl+B: the rail shows icons only, or icons and titles. */
    public void toggleRail() {
        collapsed = !collapsed;
        rail.setPrefWidth(collapsed ? RAIL_NARROW : RAIL_WIDE);
        brand.setVisible(!collapsed);
        brand.setManaged(!collapsed);
        for (Button b : railButtons) b.setContentDisplay(collapsed ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT);
    }

    public boolean railCollapsed() {
        return collapsed;
    }
}
