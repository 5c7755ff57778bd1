package dev.freezeframe.app.ui.run;

import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.List;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Turns what happens in a run into non-modal notifications on a line under its toolbar: the scheduler erroring out (with
 * "Show error snapshot"), a watch auto-disarmed as hot, a capture that failed, and the verdict. For an archived run that
 * failed, the failure is shown once when it opens.
 */
final class RunNotifications implements AutoCloseable {
    private final RunBanner pane;
    private final Consumer<String> showSnapshot;
    private LiveRun.Subscription events;

    RunNotifications(RunTabModel model, RunBanner pane, Consumer<String> showSnapshot) {
        this.pane = pane;
        this.showSnapshot = showSnapshot;
        if (model.liveRun().isPresent()) {
            LiveRun run = model.liveRun().get();
            events = run.onEvents(batch -> {
                List<RunEvent> worth = batch.stream().filter(RunNotifications::notable).toList();
                if (!worth.isEmpty()) Platform.runLater(() -> worth.forEach(this::notify));
            });
            run.finished().whenComplete((end, failure) -> Platform.runLater(() -> {
                if (end != null) {
                    String verdict = end.verdict().map(v -> v.wireName()).orElse("unknown");
                    show("Run ended: " + verdict + (end.reason().isEmpty() ? "" : " — " + end.reason()),
                            verdict.equals("passed") ? Feather.CHECK_CIRCLE : Feather.ALERT_OCTAGON,
                            verdict.equals("scheduler_failed") ? "error" : null);
                }
            }));
        } else if (model.verdictProperty().get().equals("scheduler_failed")) {
            Platform.runLater(() -> show("The scheduler failed: " + model.reasonProperty().get(), Feather.ALERT_OCTAGON,
                    "error"));
        }
    }

    static boolean notable(RunEvent e) {
        return (e.lane() == Lane.SCHEDULER && e.kind().equals("error"))
                || (e.lane() == Lane.WATCHPOINTS && e.kind().equals("auto_disarmed"))
                || (e.lane() == Lane.SNAPSHOTS && e.detailJson() != null && e.detailJson().contains("\"placeholder\":true"));
    }

    private void notify(RunEvent e) {
        if (e.lane() == Lane.SCHEDULER) {
            show("The scheduler errored out: " + e.text(), Feather.ALERT_OCTAGON, "error");
        } else if (e.lane() == Lane.WATCHPOINTS) {
            show("Watch auto-disarmed: " + e.text(), Feather.ALERT_TRIANGLE, null);
        } else {
            show("Capture failed: " + e.text(), Feather.ALERT_TRIANGLE, null);
        }
    }

    private void show(String text, Feather icon, String snapshotTag) {
        boolean failure = icon != Feather.CHECK_CIRCLE;
        if (snapshotTag == null) {
            pane.show(text, icon, failure, null, null);
        } else {
            pane.show(text, icon, true, "Show error snapshot", () -> showSnapshot.accept(snapshotTag));
        }
    }

    @Override
    public void close() {
        if (events != null) events.close();
    }
}
