package dev.freezeframe.snapshots.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.timeline.SeriesPoint;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PlotSeriesTest {
    /** Three snapshots; cpu1 could not be read in the second, the third is a watch hit. */
    private static final List<List<FieldPoint>> PER_CPU = List.of(
            List.of(p(1, 4), p(2, 6), p(3, 1)),
            List.of(p(1, 10), gap(2), p(3, 7)));
    private static final List<SnapshotInfo> SNAPSHOTS = List.of(info(1, SnapshotKind.PERIODIC),
            info(2, SnapshotKind.PERIODIC), info(3, SnapshotKind.WATCH));

    @Test
    void perCpuFieldsCombineAsSumMinMaxOrOneCpuWithGapsWhereACpuIsMissing() {
        assertEquals(List.of("14", "gap", "8"), values(PlotSeries.Combine.SUM));
        assertEquals(List.of("4", "gap", "1"), values(new PlotSeries.Combine.Min()));
        assertEquals(List.of("10", "gap", "7"), values(new PlotSeries.Combine.Max()));
        assertEquals(List.of("4", "6", "1"), values(new PlotSeries.Combine.OneCpu(0)), "cpu0 was read every time");
        assertEquals(List.of("gap", "gap", "gap"), values(new PlotSeries.Combine.OneCpu(5)), "no such CPU");
    }

    @Test
    void pointsSitAtTheirSnapshotsAndNonPeriodicOnesAreHollow() {
        List<SeriesPoint> s = PlotSeries.combine(PER_CPU, PlotSeries.Combine.SUM, SNAPSHOTS);
        assertEquals(List.of(1L, 2L, 3L), s.stream().map(SeriesPoint::snapshotId).toList());
        assertEquals(List.of(1000L, 2000L, 3000L), s.stream().map(SeriesPoint::atNs).toList());
        assertEquals(List.of(false, false, true), s.stream().map(SeriesPoint::hollow).toList());
        assertEquals(List.of(), PlotSeries.combine(List.of(), PlotSeries.Combine.SUM, SNAPSHOTS));
    }

    private static List<String> values(PlotSeries.Combine how) {
        return PlotSeries.combine(PER_CPU, how, SNAPSHOTS).stream().map(p -> p.value().isPresent()
                ? String.valueOf((long) p.value().getAsDouble()) : "gap").toList();
    }

    private static FieldPoint p(long id, double v) {
        return new FieldPoint(id, "s" + id, id * 1000, OptionalDouble.of(v));
    }

    private static FieldPoint gap(long id) {
        return new FieldPoint(id, "s" + id, id * 1000, OptionalDouble.empty());
    }

    private static SnapshotInfo info(long id, SnapshotKind kind) {
        return new SnapshotInfo(id, 1, "s" + id, kind, id * 1000, Optional.empty(), false, Optional.empty(), 0);
    }
}
