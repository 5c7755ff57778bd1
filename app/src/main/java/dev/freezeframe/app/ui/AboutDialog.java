package dev.freezeframe.app.ui;

import dev.freezeframe.app.cli.VersionInfo;
import java.nio.file.Path;
import javafx.scene.control.Alert;
import javafx.scene.control.TextArea;
import javafx.stage.Window;

/** Help ▸ About: what Freezeframe is and the versions a bug report needs (selectable, so they can be copied). */
final class AboutDialog {
    private AboutDialog() {
    }

    static Alert create(Window owner, VersionInfo versions, Path archive, Path logFile) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(owner);
        alert.setTitle("About Freezeframe");
        alert.setHeaderText("Freezeframe " + versions.app() + "\nInvestigation workbench for sched_ext regressions");
        TextArea details = new TextArea(String.join("\n", versions.lines()) + "\n\nArchive  " + archive
                + "\nLog      " + logFile);
        details.setId("aboutDetails");
        details.setEditable(false);
        details.setWrapText(false);
        details.setPrefRowCount(8);
        details.setPrefColumnCount(72);
        details.setStyle("-fx-font-family: monospace;");
        alert.getDialogPane().setContent(details);
        alert.setResizable(true);
        return alert;
    }
}
