package dev.freezeframe.app.ui.compare;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.timeline.ArchiveTimelineSource;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimeWindow;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The compared runs' timelines stacked, aligned on one moment (the scheduler enabled by default, or a step's start):
 * every timeline shows the same span relative to that moment, so the moment sits at the same x in all of them, and
 * a pan or zoom in one moves the others in lockstep. Each timeline's cursor marks its run's alignment point, and its
 * ruler reads time from there (0 at the point, negative before).
 */
final class AlignedTimelines extends VBox {
    /** One shown run: its timeline over its own run time. */
    record Aligned(RunMoments run, RunContext context, TimelineView view, ArchiveTimelineSource source) {
    }

    private static final double TIMELINE_HEIGHT = 200;

    private final Path archivePath;
    private final ComboBox<String> alignOn = new ComboBox<>();
    private final Label windowText = new Label();
    private final VBox stack = new VBox(6);
    private final List<Aligned> shown = new ArrayList<>();
    private boolean syncing;

    AlignedTimelines(Path archivePath, ObservableList<RunMoments> runs) {
        super(6);
        this.archivePath = archivePath;
        setId("alignedTimelines");
        alignOn.setId("alignOn");
        windowText.setId("alignedWindow");
        windowText.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        windowText.setWrapText(true);
        windowText.setMinHeight(Region.USE_PREF_SIZE);
        alignOn.valueProperty().addListener((obs, old, now) -> {
            if (now != null && !syncing) realign();
        });
        HBox bar = new HBox(8, new Label("Timelines aligned on"), alignOn);
        bar.setAlignment(Pos.CENTER_LEFT);
        ScrollPane scroll = new ScrollPane(stack);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(atlantafx.base.theme.Tweaks.EDGE_TO_EDGE);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().setAll(bar, windowText, scroll);
        runs.addListener((ListChangeListener<RunMoments>) c -> rebuild(List.copyOf(runs)));
        rebuild(List.copyOf(runs));
    }

    private void rebuild(List<RunMoments> runs) {
        close();
        stack.getChildren().clear();
        for (RunMoments run : runs) {
            RunContext context = new RunContext(new TimeWindow(0, run.endNs()));
            context.setRunEnd(run.endNs());
            ArchiveTimelineSource source = new ArchiveTimelineSource(archivePath, run.runId());
            TimelineView view = new TimelineView(context, source);
            view.setId("alignedTimeline" + run.runId());
            view.setPrefHeight(TIMELINE_HEIGHT);
            view.setMinHeight(TIMELINE_HEIGHT);
            Aligned aligned = new Aligned(run, context, view, source);
            context.windowProperty().addListener((obs, old, now) -> follow(aligned, now));
            shown.add(aligned);
            Label title = new Label(run.title());
            title.getStyleClass().add(Styles.TEXT_BOLD);
            stack.getChildren().addAll(title, view);
        }
        List<String> common = RunMoments.common(runs);
        syncing = true;
        try {
            alignOn.getItems().setAll(common);
            alignOn.setValue(common.contains(RunMoments.SCHEDULER_ENABLED) ? RunMoments.SCHEDULER_ENABLED
                    : common.isEmpty() ? null : common.getFirst());
        } finally {
            syncing = false;
        }
        realign();
    }

    /** Chooses the moment to align on (one of {@link #choices()}). */
    void alignOn(String moment) {
        alignOn.setValue(moment);
    }

    List<String> choices() {
        return List.copyOf(alignOn.getItems());
    }

    List<Aligned> shown() {
        return List.copyOf(shown);
    }

    /** Where {@code a}'s alignment point is in its own run time. */
    long offset(Aligned a) {
        String moment = alignOn.getValue();
        return moment == null ? 0 : a.run().at(moment).orElse(0L);
    }

    /** Shows every run from the earliest start to the latest end, relative to the alignment point. */
    private void realign() {
        if (shown.isEmpty()) {
            windowText.setText("");
            return;
        }
        long from = 0;
        long to = 1;
        for (Aligned a : shown) {
            from = Math.min(from, -offset(a));
            to = Math.max(to, a.run().endNs() - offset(a));
        }
        for (Aligned a : shown) {
            a.context().setCursor(offset(a));
            // each ruler reads 0 at its run's alignment point, negative before it
            a.view().setRulerOrigin(offset(a));
        }
        apply(new TimeWindow(from, to), null);
    }

    /** A pan or zoom in one timeline: the others show the same span relative to their alignment points. */
    private void follow(Aligned source, TimeWindow now) {
        if (syncing) return;
        long off = offset(source);
        apply(new TimeWindow(now.fromNs() - off, now.toNs() - off), source);
    }

    private void apply(TimeWindow relative, Aligned except) {
        syncing = true;
        try {
            for (Aligned a : shown) {
                if (a == except) continue;
                long off = offset(a);
                a.context().setWindow(new TimeWindow(relative.fromNs() + off, relative.toNs() + off));
            }
        } finally {
            syncing = false;
        }
        windowText.setText(seconds(relative.fromNs()) + " … " + seconds(relative.toNs()) + " from "
                + alignOn.getValue() + " (the dashed line, 0 on every ruler). Zoom or pan one: all follow.");
    }

    private static String seconds(long ns) {
        return String.format(Locale.ROOT, "%+.3f s", ns / 1e9).replace('-', '−');
    }

    /** Releases the timelines' archive connections. */
    void close() {
        for (Aligned a : shown) {
            a.view().dispose();
            a.source().close();
        }
        shown.clear();
    }
}
