package dev.freezeframe.coordinator.capture;

import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * A run's snapshots kept in memory for the live views, with the store semantics of ktstr's snapshot bridge: at most
 * {@link #MAX_STORED_SNAPSHOTS} reports, evicted oldest first; storing a tag again overwrites it and refreshes its
 * place; every eviction, overwrite and failed capture is an event; the event log holds at most
 * {@link #MAX_STORED_EVENTS} entries and reports what it dropped. The archive keeps every snapshot regardless.
 *
 * <p>One insertion-ordered map holds the reports and their order together, so the bridge's "order and reports out of
 * step" invariant violations cannot happen here by construction. Thread-safe: captures and readers may race.
 */
public final class SnapshotStore {
    public static final int MAX_STORED_SNAPSHOTS = 64;
    public static final int MAX_STORED_EVENTS = 1024;

    private final SequencedMap<String, SnapshotRecord> reports = new LinkedHashMap<>();
    private final Deque<StoreEvent> events = new ArrayDeque<>();
    private long eventsDropped;

    /** Stores a captured (or placeholder) snapshot under its tag. */
    public synchronized void store(SnapshotRecord snapshot) {
        String tag = snapshot.tag();
        if (reports.remove(tag) != null) {
            push(new StoreEvent.Overwrite(tag));
        }
        reports.put(tag, snapshot);
        while (reports.size() > MAX_STORED_SNAPSHOTS) {
            String evicted = reports.pollFirstEntry().getKey();
            push(new StoreEvent.Eviction(evicted, tag, MAX_STORED_SNAPSHOTS));
        }
    }

    /** Records a capture that produced nothing: a placeholder is stored so the timeline shows the attempt. */
    public synchronized void storeUnavailable(SnapshotRecord placeholder) {
        if (!placeholder.placeholder()) throw new IllegalArgumentException("not a placeholder: " + placeholder.tag());
        push(new StoreEvent.CaptureUnavailable(placeholder.tag(), placeholder.placeholderReason().orElseThrow()));
        store(placeholder);
    }

    public synchronized Optional<SnapshotRecord> get(String tag) {
        return Optional.ofNullable(reports.get(tag));
    }

    public synchronized int size() {
        return reports.size();
    }

    /** Snapshots in insertion order (oldest first), without removing them. */
    public synchronized List<SnapshotRecord> ordered() {
        return List.copyOf(reports.values());
    }

    /** Real (non-placeholder) periodic captures; a user tag that merely starts with "periodic_" does not count. */
    public synchronized int periodicRealCount() {
        return (int) reports.values().stream()
                .filter(s -> SnapshotRecord.isPeriodicTag(s.tag()) && !s.placeholder())
                .count();
    }

    /** Takes the events logged since the last drain; a truncation marker comes last when some were dropped. */
    public synchronized List<StoreEvent> drainEvents() {
        List<StoreEvent> drained = new ArrayList<>(events);
        events.clear();
        if (eventsDropped > 0) {
            drained.add(new StoreEvent.EventLogTruncated(eventsDropped));
            eventsDropped = 0;
        }
        return drained;
    }

    private void push(StoreEvent event) {
        if (events.size() >= MAX_STORED_EVENTS) {
            events.removeFirst();
            eventsDropped++;
        }
        events.addLast(event);
    }
}
