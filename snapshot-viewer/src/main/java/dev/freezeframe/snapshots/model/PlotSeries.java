package dev.freezeframe.snapshots.model;

import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.timeline.SeriesPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A field's series across a run's snapshots, from the archive's field index: one point per snapshot, empty where that
 * snapshot lacks the field (its map was unavailable, the entry absent). A per-CPU field is read once per CPU and
 * combined: Σ, min, max, or one CPU.
 */
public final class PlotSeries {
    /** How the values of a per-CPU field combine into one point. */
    public sealed interface Combine {
        record Sum() implements Combine {
        }

        record Min() implements Combine {
        }

        record Max() implements Combine {
        }

        record OneCpu(int cpu) implements Combine {
        }

        Combine SUM = new Sum();

        default String label() {
            return switch (this) {
                case Sum s -> "Σ CPUs";
                case Min m -> "min over CPUs";
                case Max m -> "max over CPUs";
                case OneCpu c -> "cpu" + c.cpu();
            };
        }
    }

    private PlotSeries() {
    }

    /**
     * Points of a field read as {@code perPath} (one series per index path, all over the same snapshots in the same
     * order, as {@code RunQueries.fieldSeries} answers), combined with {@code how}. Snapshots of other kinds than
     * periodic are hollow.
     */
    public static List<SeriesPoint> combine(List<List<FieldPoint>> perPath, Combine how, List<SnapshotInfo> snapshots) {
        if (perPath.isEmpty()) return List.of();
        Map<Long, SnapshotKind> kinds = new HashMap<>();
        for (SnapshotInfo s : snapshots) kinds.put(s.id(), s.kind());
        List<FieldPoint> first = perPath.getFirst();
        List<SeriesPoint> out = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            FieldPoint p = first.get(i);
            OptionalDouble v = switch (how) {
                case Combine.OneCpu c -> c.cpu() < perPath.size() ? perPath.get(c.cpu()).get(i).value()
                        : OptionalDouble.empty();
                default -> fold(perPath, i, how);
            };
            boolean hollow = kinds.getOrDefault(p.snapshotId(), SnapshotKind.PERIODIC) != SnapshotKind.PERIODIC;
            out.add(new SeriesPoint(p.atNanos(), v, p.snapshotId(), p.tag(), hollow));
        }
        return out;
    }

    private static OptionalDouble fold(List<List<FieldPoint>> perPath, int i, Combine how) {
        double acc = switch (how) {
            case Combine.Min m -> Double.POSITIVE_INFINITY;
            case Combine.Max m -> Double.NEGATIVE_INFINITY;
            default -> 0;
        };
        for (List<FieldPoint> series : perPath) {
            OptionalDouble v = series.get(i).value();
            if (v.isEmpty()) return OptionalDouble.empty(); // one CPU missing: the snapshot lacks the field
            double x = v.getAsDouble();
            acc = switch (how) {
                case Combine.Min m -> Math.min(acc, x);
                case Combine.Max m -> Math.max(acc, x);
                default -> acc + x;
            };
        }
        return OptionalDouble.of(acc);
    }
}
