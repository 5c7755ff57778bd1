package dev.freezeframe.snapshots.model;

import dev.freezeframe.timeline.SeriesPoint;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongFunction;

/**
 * "Jump to the next (or previous) snapshot where this field changed": the nearest snapshot in that direction whose
 * value differs from the value in the shown snapshot. Snapshots that lack the field are passed over (a gap is not a
 * value).
 */
public final class ChangeSearch {
    private ChangeSearch() {
    }

    /** Over a numeric field's series from the index; the snapshot id found, if any. */
    public static Optional<SeriesPoint> inSeries(List<SeriesPoint> series, long shownSnapshotId, int direction) {
        int at = -1;
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i).snapshotId() == shownSnapshotId) at = i;
        }
        if (at < 0) return Optional.empty();
        OptionalDouble here = series.get(at).value();
        for (int i = at + direction; i >= 0 && i < series.size(); i += direction) {
            OptionalDouble v = series.get(i).value();
            if (v.isEmpty()) continue;
            if (here.isEmpty() || Double.compare(v.getAsDouble(), here.getAsDouble()) != 0) {
                return Optional.of(series.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Over any field, by reading reports one by one: {@code ids} are the run's snapshots in time order,
     * {@code valueAt} the exact value of the field in one of them (empty when it lacks the field).
     */
    public static Optional<Long> inReports(List<Long> ids, long shownSnapshotId, int direction,
                                           LongFunction<Optional<String>> valueAt) {
        int at = ids.indexOf(shownSnapshotId);
        if (at < 0) return Optional.empty();
        Optional<String> here = valueAt.apply(shownSnapshotId);
        for (int i = at + direction; i >= 0 && i < ids.size(); i += direction) {
            Optional<String> v = valueAt.apply(ids.get(i));
            if (v.isEmpty()) continue;
            if (!v.equals(here)) return Optional.of(ids.get(i));
        }
        return Optional.empty();
    }
}
