package dev.freezeframe.snapshots.view;

import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.ArchiveAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * The "Base ▾" menu: diff against the previous snapshot, the previous of the same kind, none, any snapshot of this run,
 * or a snapshot of another archived run (listed when the menu opens, read off the FX thread).
 */
final class BaseMenu extends MenuButton {
    private final ArchiveAccess archive;
    private final long runId;
    private final Supplier<List<SnapshotInfo>> rows;
    private final Consumer<SnapshotViewer.Base> choose;

    BaseMenu(ArchiveAccess archive, long runId, Supplier<List<SnapshotInfo>> rows,
             Consumer<SnapshotViewer.Base> choose) {
        super("Base ▾");
        this.archive = archive;
        this.runId = runId;
        this.rows = rows;
        this.choose = choose;
        setId("baseMenu");
        setOnShowing(e -> fill());
    }

    private MenuItem choice(String text, SnapshotViewer.Base base) {
        MenuItem m = new MenuItem(text);
        m.setOnAction(e -> choose.accept(base));
        return m;
    }

    private void fill() {
        List<MenuItem> items = new ArrayList<>(List.of(
                choice("Previous snapshot", new SnapshotViewer.Base.Previous()),
                choice("Previous snapshot of the same kind", new SnapshotViewer.Base.PreviousSameKind()),
                choice("No base (no diff)", new SnapshotViewer.Base.None()),
                new SeparatorMenuItem()));
        Menu thisRun = new Menu("A snapshot of this run");
        for (SnapshotInfo s : rows.get()) {
            if (s.placeholder()) continue;
            thisRun.getItems().add(choice(s.tag() + "  " + SnapshotViewer.relative(s.atNanos()),
                    new SnapshotViewer.Base.Chosen(s.id(), runId, s.tag())));
        }
        Menu otherRun = new Menu("A snapshot of another run");
        otherRun.setId("baseOtherRun");
        otherRun.getItems().add(disabled("reading the archive…"));
        archive.read(a -> {
            Map<ArchivedRun, List<SnapshotInfo>> runs = new LinkedHashMap<>();
            for (ArchivedRun r : a.listRuns()) {
                if (r.id() != runId) runs.put(r, a.runs().snapshots(r.id()));
            }
            return runs;
        }).whenComplete((runs, failure) -> Platform.runLater(() -> {
            otherRun.getItems().clear();
            if (failure != null || runs.isEmpty()) {
                otherRun.getItems().add(disabled(failure != null ? "the archive cannot be read" : "no other runs"));
                return;
            }
            runs.forEach((r, snaps) -> {
                Menu run = new Menu("#" + r.id() + " " + r.scheduler());
                for (SnapshotInfo s : snaps) {
                    if (s.placeholder()) continue;
                    run.getItems().add(choice(s.tag(), new SnapshotViewer.Base.Chosen(s.id(), r.id(),
                            "#" + r.id() + " " + s.tag())));
                }
                if (!run.getItems().isEmpty()) otherRun.getItems().add(run);
            });
        }));
        items.add(thisRun);
        items.add(otherRun);
        getItems().setAll(items);
    }

    private static MenuItem disabled(String text) {
        MenuItem m = new MenuItem(text);
        m.setDisable(true);
        return m;
    }
}
