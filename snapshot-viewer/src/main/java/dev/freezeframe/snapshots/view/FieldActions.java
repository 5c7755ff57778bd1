package dev.freezeframe.snapshots.view;

import dev.freezeframe.snapshots.WatchTarget;
import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.LeafValue;
import dev.freezeframe.snapshots.model.PlotSeries;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

/**
 * What can be done with the tree's selected row: its context menu (copy, pin, plot, next change, mark, watch) and the
 * tree's own keys. The actions themselves are the viewer's; this only offers them.
 */
final class FieldActions {
    private static final BigInteger KERNEL_SPACE = new BigInteger("ffff800000000000", 16);
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination COPY_PATH = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination COPY_FILTER = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.ALT_DOWN);
    private static final KeyCombination WATCH = new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);

    private final SnapshotViewer viewer;
    private final Consumer<WatchTarget> watch;
    private final Consumer<String> say;

    /** @param watch arms a watch ("Watch this field"); null hides it. @param say the viewer's status line */
    FieldActions(SnapshotViewer viewer, Consumer<WatchTarget> watch, Consumer<String> say) {
        this.viewer = viewer;
        this.watch = watch;
        this.say = say;
    }

    private FieldNode selected() {
        var item = viewer.tree().getSelectionModel().getSelectedItem();
        return item == null ? null : item.getValue();
    }

    /** Refills the context menu for the selected row as it opens. */
    void fill(ContextMenu menu) {
        FieldNode n = selected();
        menu.getItems().clear();
        if (n == null) return;
        MenuItem value = item("Copy value", "Ctrl+C", viewer::copyValue);
        MenuItem path = item("Copy path", "Ctrl+Shift+C", viewer::copyPath);
        MenuItem filter = item("Copy as filter", "Ctrl+Alt+C", viewer::copyFilter);
        filter.setDisable(n.value() == null);
        menu.getItems().addAll(value, path, filter, new SeparatorMenuItem());
        MenuItem pin = item("Pin field", "Shift+P", viewer::pinSelected);
        pin.setDisable(n.value() == null);
        menu.getItems().add(pin);
        if (n.field() != null && n.field().perCpu()) {
            Menu plot = new Menu("Plot");
            plot.getItems().add(item("Σ over CPUs", "P", () -> viewer.plot(n.field(), PlotSeries.Combine.SUM)));
            plot.getItems().add(item("min over CPUs", null, () -> viewer.plot(n.field(), new PlotSeries.Combine.Min())));
            plot.getItems().add(item("max over CPUs", null, () -> viewer.plot(n.field(), new PlotSeries.Combine.Max())));
            for (int i = 0; i < n.field().cpus(); i++) {
                int cpu = i;
                plot.getItems().add(item("cpu" + i, null, () -> viewer.plot(n.field(),
                        new PlotSeries.Combine.OneCpu(cpu))));
            }
            menu.getItems().add(plot);
        } else {
            MenuItem plot = item("Plot across the run", "P", viewer::plotSelected);
            plot.setDisable(n.field() == null);
            menu.getItems().add(plot);
        }
        MenuItem next = item("Next snapshot where this changed", "F3", () -> viewer.stepToChange(1));
        MenuItem prev = item("Previous snapshot where this changed", "Shift+F3", () -> viewer.stepToChange(-1));
        next.setDisable(n.value() == null);
        prev.setDisable(n.value() == null);
        menu.getItems().addAll(next, prev);
        menu.getItems().add(item("Mark entry…", "F11", viewer::markSelected));
        Optional<WatchTarget> target = targetOf(n);
        if (watch != null && target.isPresent()) {
            MenuItem w = item("Watch this field", "Ctrl+Shift+W", () -> watch.accept(target.get()));
            w.setId("watchThisField");
            menu.getItems().addAll(new SeparatorMenuItem(), w);
        }
    }

    /** The tree's own keys (copy, watch): they act on its selected row, so they live on the tree. */
    void key(KeyEvent e) {
        Runnable action = null;
        if (COPY_PATH.match(e)) action = viewer::copyPath;
        else if (COPY_FILTER.match(e)) action = viewer::copyFilter;
        else if (COPY.match(e)) action = viewer::copyValue;
        else if (WATCH.match(e) && watch != null) {
            action = () -> targetOf(selected()).ifPresentOrElse(watch,
                    () -> say.accept("the report gives no kernel address for this value"));
        }
        if (action != null) {
            action.run();
            e.consume();
        }
    }

    /** What "Watch this field" would arm for a row, if the report gives its kernel address. */
    static Optional<WatchTarget> targetOf(FieldNode n) {
        if (n == null || n.value() == null) return Optional.empty();
        if (n.address().isPresent()) return Optional.of(new WatchTarget(n.address().getAsLong(), n.path(), sizeOf(n)));
        LeafValue v = n.value();
        if (v.kind() == LeafValue.Kind.POINTER && v.integer() != null && v.integer().compareTo(KERNEL_SPACE) >= 0) {
            return Optional.of(new WatchTarget(v.integer().longValue(), "*" + n.path(), 8));
        }
        return Optional.empty();
    }

    /** The value's size from its {@code 0x08 / 8} layout; 8 when the layout does not say (or is a bitfield). */
    private static int sizeOf(FieldNode n) {
        String layout = n.layout();
        int slash = layout.indexOf(" / ");
        if (slash > 0 && !layout.contains("bits")) {
            try {
                return Integer.parseInt(layout.substring(slash + 3).strip());
            } catch (NumberFormatException e) {
                return 8;
            }
        }
        return 8;
    }

    private static MenuItem item(String text, String keys, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (keys != null) m.setAccelerator(KeyCombination.keyCombination(keys.replace("Ctrl", "Shortcut")));
        m.setOnAction(e -> action.run());
        return m;
    }
}
