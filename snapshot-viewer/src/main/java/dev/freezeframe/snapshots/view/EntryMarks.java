package dev.freezeframe.snapshots.view;

import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.persistence.ViewerMark;
import dev.freezeframe.snapshots.ArchiveAccess;
import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.FieldRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels on map entries (followed by key) and the snapshots they flag (⚑: the entry is present there, from the field
 * index), plus the saving of marks and pins in the archive so they come back when the run is reopened.
 */
final class EntryMarks {
    private static final Logger LOG = LoggerFactory.getLogger(EntryMarks.class);

    private final ArchiveAccess archive;
    private final long runId;
    private final PinnedStrip pins;
    private final Supplier<SnapshotReports.Loaded> shown;
    private final Consumer<Map<String, String>> showMarks;
    private Runnable flagsChanged = () -> { };
    private final Consumer<String> say;
    private final Map<String, String> marks = new LinkedHashMap<>();
    private final Set<Long> flagged = new HashSet<>();

    /**
     * @param shown        the snapshot shown now (null before the first), whose rows locate a marked entry
     * @param showMarks    told the labels by entry path whenever they change
     * @param say          the viewer's status line
     */
    EntryMarks(ArchiveAccess archive, long runId, PinnedStrip pins, Supplier<SnapshotReports.Loaded> shown,
               Consumer<Map<String, String>> showMarks, Consumer<String> say) {
        this.archive = archive;
        this.runId = runId;
        this.pins = pins;
        this.shown = shown;
        this.showMarks = showMarks;
        this.say = say;
        pins.setOnChange(() -> save(ViewerMark.Kind.PIN));
    }

    /** Told when the set of flagged snapshots changed (the list redraws its ⚑). */
    void setOnFlagsChanged(Runnable flagsChanged) {
        this.flagsChanged = flagsChanged;
    }

    Map<String, String> labels() {
        return Map.copyOf(marks);
    }

    String labelOf(String entryPath) {
        return marks.getOrDefault(entryPath, "");
    }

    /** The snapshots flagged ⚑ (live set, read by the snapshot list's cells). */
    Set<Long> flagged() {
        return flagged;
    }

    /** Brings back the marks and pins left on this run (they are kept in the archive, so exports carry them). */
    void restore() {
        archive.read(a -> a.runs().viewerMarks(runId)).whenComplete((left, failure) -> Platform.runLater(() -> {
            if (failure != null) {
                LOG.warn("cannot read the marks of run {}", runId, failure);
                say.accept("the marks and pins left on this run cannot be read: " + rootMessage(failure));
                return;
            }
            for (ViewerMark m : left) {
                if (m.kind() == ViewerMark.Kind.MARK) marks.putIfAbsent(m.path(), m.label());
                else pins.restore(m.path());
            }
            showMarks.accept(marks);
            if (!marks.isEmpty() && shown.get() != null) refreshFlags();
        }));
    }

    /** Labels entry {@code entryPath} (a blank label removes the mark) and saves the marks. */
    void mark(String entryPath, String label) {
        if (label.isBlank()) {
            marks.remove(entryPath);
        } else {
            marks.put(entryPath, label.strip());
        }
        showMarks.accept(marks);
        save(ViewerMark.Kind.MARK);
        refreshFlags();
    }

    /** A snapshot is shown: restored marks get their flags once a snapshot can locate their entries. */
    void snapshotShown() {
        if (!marks.isEmpty() && flagged.isEmpty()) refreshFlags();
    }

    private void save(ViewerMark.Kind kind) {
        List<ViewerMark> now = new ArrayList<>();
        if (kind == ViewerMark.Kind.MARK) marks.forEach((path, label) -> now.add(new ViewerMark(kind, path, label)));
        else pins.pinned().forEach(path -> now.add(new ViewerMark(kind, path, "")));
        archive.read(a -> {
            a.saveViewerMarks(runId, kind, now);
            return null;
        }).whenComplete((ok, failure) -> {
            if (failure == null) return;
            LOG.warn("cannot save the {}s of run {}", kind, runId, failure);
            Platform.runLater(() -> say.accept("the " + (kind == ViewerMark.Kind.MARK ? "marks" : "pins")
                    + " are shown but not saved: " + rootMessage(failure)));
        });
    }

    /** Flags (⚑) the snapshots where a marked entry is present, from the field index. */
    private void refreshFlags() {
        SnapshotReports.Loaded in = shown.get();
        List<String> paths = List.copyOf(marks.keySet());
        archive.read(a -> {
            // the index of the shown snapshot is made here, off the FX thread
            List<FieldRef> refs = new ArrayList<>();
            for (String path : paths) {
                FieldNode entry = in == null ? null : in.flat().get(path);
                FieldRef ref = entry == null ? null : firstField(entry);
                if (ref != null) refs.add(ref);
            }
            Set<Long> ids = new HashSet<>();
            for (FieldRef r : refs) {
                for (FieldPoint p : a.runs().fieldSeries(runId, r.map(), r.path())) {
                    if (p.value().isPresent()) ids.add(p.snapshotId());
                }
            }
            return ids;
        }).whenComplete((ids, failure) -> Platform.runLater(() -> {
            if (failure != null) return;
            flagged.clear();
            flagged.addAll(ids);
            flagsChanged.run();
        }));
    }

    private static FieldRef firstField(FieldNode n) {
        if (n.field() != null) return n.field();
        for (FieldNode c : n.children()) {
            FieldRef r = firstField(c);
            if (r != null) return r;
        }
        return null;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c instanceof CompletionException
                || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
