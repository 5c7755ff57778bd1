package dev.freezeframe.app.ui.events;

import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.EventQueries;
import dev.freezeframe.persistence.EventRefs;
import java.util.List;

/** Which events the table's rows are, in seq order: all of the run's (row i is seq i) or those a filter matched. */
sealed interface RowSet {
    int size();

    /** The events of rows {@code [from, to)}; runs on the view's archive thread. */
    List<RunEvent> fetch(EventQueries queries, long runId, int from, int to);

    /** The last row whose event's seq is at most {@code seq}, or -1 when every row comes after it. */
    int rowAtOrBefore(long seq);

    /** Every event of the run; recorded runs number their events from 0 without gaps. */
    record All(int size) implements RowSet {
        @Override
        public List<RunEvent> fetch(EventQueries queries, long runId, int from, int to) {
            return queries.bySeq(runId, from, to);
        }

        @Override
        public int rowAtOrBefore(long seq) {
            return (int) Math.min(seq, size - 1L);
        }
    }

    /** The events a filter matched. */
    record Matches(EventRefs refs) implements RowSet {
        @Override
        public int size() {
            return refs.size();
        }

        @Override
        public List<RunEvent> fetch(EventQueries queries, long runId, int from, int to) {
            return queries.events(runId, refs, from, to);
        }

        @Override
        public int rowAtOrBefore(long seq) {
            return refs.indexAtOrBefore(seq);
        }
    }
}
