package dev.freezeframe.app.ui.shell;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunTabModel;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimelineSelection;
import java.util.ArrayList;
import java.util.List;
import javafx.animation.PauseTransition;
import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;

/**
 * The window's status bar, following the selected document: guest state (with how long it has been frozen), cursor,
 * the selection's times, hover time, event and snapshot counts, archive ingest lag and the four watch slots in
 * miniature; plus a transient message (a refused control's reason, a control's answer).
 */
public final class StatusBarView extends HBox {
    private final ObjectProperty<RunTabView> document = new SimpleObjectProperty<>(this, "document");
    private final Label guest = label("statusGuestState");
    private final Label cursor = label("statusCursor");
    private final Label selection = label("statusSelection");
    private final Label hover = label("statusHover");
    private final Label counts = label("statusCounts");
    private final Label lag = label("statusIngestLag");
    private final Label slots = label("statusSlots");
    private final Label message = label("statusMessage");
    private final PauseTransition messageTimeout = new PauseTransition(Duration.seconds(8));
    private final List<Observable> watched = new ArrayList<>();
    private final javafx.beans.InvalidationListener refresh = o -> refresh();

    public StatusBarView() {
        super(12);
        setId("statusBar");
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(3, 10, 3, 10));
        setMinHeight(24);
        setStyle("-fx-background-color: -color-bg-subtle; -fx-border-color: -color-border-default;"
                + " -fx-border-width: 1 0 0 0;");
        guest.getStyleClass().add(Styles.TEXT_BOLD);
        message.setMinWidth(0);
        message.getStyleClass().add(Styles.TEXT_MUTED);
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.SOMETIMES);
        getChildren().addAll(guest, cursor, selection, hover, message, gap, counts, lag, slots);
        for (Label l : List.of(cursor, selection, hover, counts, lag, slots)) l.setMinWidth(Region.USE_PREF_SIZE);
        messageTimeout.setOnFinished(e -> message.setText(""));
        document.addListener((obs, was, now) -> rewire(now));
        rewire(null);
    }

    private static Label label(String id) {
        Label l = new Label();
        l.setId(id);
        return l;
    }

    /** The document whose state is shown; null for none (the Runs browser, the launch form). */
    public ObjectProperty<RunTabView> documentProperty() {
        return document;
    }

    /** Shows {@code text} for a few seconds. */
    public void showMessage(String text) {
        message.setText(text);
        messageTimeout.playFromStart();
    }

    public String messageText() {
        return message.getText();
    }

    private void rewire(RunTabView doc) {
        for (Observable o : watched) o.removeListener(refresh);
        watched.clear();
        if (doc != null) {
            RunTabModel m = doc.model();
            RunContext c = doc.context();
            watched.addAll(List.of(m.guestStateProperty(), m.elapsedNsProperty(), m.frozenSinceNsProperty(),
                    m.eventsProperty(), m.snapshotsProperty(), m.ingestLagProperty(), m.slots(), c.cursorProperty(),
                    c.selectionProperty(), c.hoverProperty()));
            for (Observable o : watched) o.addListener(refresh);
        }
        refresh();
    }

    private void refresh() {
        RunTabView doc = document.get();
        boolean on = doc != null;
        for (Label l : List.of(guest, cursor, selection, hover, counts, lag, slots)) {
            l.setVisible(on);
            l.setManaged(on);
        }
        if (!on) return;
        RunTabModel m = doc.model();
        RunContext c = doc.context();
        GuestState state = m.guestStateProperty().get();
        String chip = state.chip();
        if (state == GuestState.FROZEN && m.frozenSinceNsProperty().get() >= 0) {
            chip += " " + TimeText.duration(m.elapsedNsProperty().get() - m.frozenSinceNsProperty().get())
                    + " · guest clock paused";
        }
        guest.setText(chip);
        guest.getStyleClass().removeAll(Styles.ACCENT, Styles.SUCCESS, Styles.TEXT_MUTED);
        guest.getStyleClass().add(switch (state) {
            case FROZEN, FREEZING -> Styles.ACCENT;
            case RUNNING -> Styles.SUCCESS;
            default -> Styles.TEXT_MUTED;
        });
        cursor.setText("cursor " + TimeText.relative(c.cursor()));
        selection.setText(describe(c.selection()));
        selection.setVisible(!selection.getText().isEmpty());
        selection.setManaged(selection.isVisible());
        long h = c.hoverProperty().get();
        hover.setText(h >= 0 ? "hover " + TimeText.relative(h) : "");
        counts.setText("events " + TimeText.count(m.eventsProperty().get()) + " · snaps "
                + TimeText.count(m.snapshotsProperty().get()));
        lag.setText(m.isLive() ? "ingest lag " + TimeText.count(m.ingestLagProperty().get()) : "archived");
        StringBuilder s = new StringBuilder();
        for (WatchSlotState slot : m.slots()) {
            if (slot.slot() == 0) continue;
            if (!s.isEmpty()) s.append(' ');
            s.append(circled(slot.slot())).append(slot.state() == WatchSlotState.State.ARMED ? slot.label() : "—");
            if (slot.state() == WatchSlotState.State.ARMED && slot.stayFrozen()) s.append(" ❄");
        }
        slots.setText(s.toString());
    }

    private static String circled(int slot) {
        return switch (slot) {
            case 1 -> "①";
            case 2 -> "②";
            case 3 -> "③";
            default -> "⓪";
        };
    }

    private static String describe(TimelineSelection s) {
        return switch (s) {
            case TimelineSelection.None n -> "";
            case TimelineSelection.Snapshot snap -> "snapshot " + snap.tag();
            case TimelineSelection.Event e -> e.lane().wireName() + " event #" + e.seq();
            case TimelineSelection.ConsoleLine l -> "console line #" + l.seq();
            case TimelineSelection.Area a -> "T1 " + TimeText.relative(a.fromNs()) + "  T2 " + TimeText.relative(a.toNs())
                    + "  Δ " + TimeText.duration(a.toNs() - a.fromNs());
        };
    }
}
