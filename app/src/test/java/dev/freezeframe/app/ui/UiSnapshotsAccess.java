package dev.freezeframe.app.ui;

import java.nio.file.Path;
import javafx.scene.Scene;

/** {@link UiSnapshots} for UI tests in sub-packages. */
public final class UiSnapshotsAccess {
    private UiSnapshotsAccess() {
    }

    public static void writePng(Scene scene, Path file) {
        UiSnapshots.writePng(scene, file);
    }
}
