package dev.freezeframe.app.ui.runs;

import dev.freezeframe.persistence.ArchivedRun;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The questions the runs browser asks the user: where to export, what to import, whether to delete. */
public interface RunsDialogs {
    /** The export file extension (any name works; this one makes exports easy to spot). */
    String EXTENSION = "ffrun";

    Optional<Path> exportTarget(Window owner, ArchivedRun run);

    Optional<Path> importSource(Window owner);

    boolean confirmDelete(Window owner, ArchivedRun run);

    /** File choosers and a confirmation dialog. */
    static RunsDialogs standard() {
        return new RunsDialogs() {
            @Override
            public Optional<Path> exportTarget(Window owner, ArchivedRun run) {
                FileChooser chooser = chooser("Export run " + run.id());
                chooser.setInitialFileName("run-" + run.id() + "-" + run.scheduler() + "." + EXTENSION);
                return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
            }

            @Override
            public Optional<Path> importSource(Window owner) {
                return Optional.ofNullable(chooser("Import a run").showOpenDialog(owner)).map(File::toPath);
            }

            @Override
            public boolean confirmDelete(Window owner, ArchivedRun run) {
                return deleteConfirmation(owner, run).showAndWait().filter(b -> b.getButtonData()
                        == ButtonBar.ButtonData.OK_DONE).isPresent();
            }
        };
    }

    /** The confirmation dialog; its buttons are "Delete" and "Cancel" (Cancel is the default). */
    static Alert deleteConfirmation(Window owner, ArchivedRun run) {
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "Run " + run.id() + " (" + run.scheduler() + ", "
                + run.verdictLabel().replace('_', ' ') + ") and its events and snapshots will be removed from the "
                + "archive. Export it first to keep a copy.", delete, cancel);
        alert.initOwner(owner);
        alert.setTitle("Delete run " + run.id());
        alert.setHeaderText("Delete run " + run.id() + "?");
        // Enter must not delete: the safe button is the default one
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(delete)).setDefaultButton(false);
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(cancel)).setDefaultButton(true);
        alert.getDialogPane().setId("deleteRunDialog");
        return alert;
    }

    private static FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Freezeframe runs (*." + EXTENSION + ")", "*." + EXTENSION),
                new FileChooser.ExtensionFilter("All files", "*"));
        return chooser;
    }
}
