package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code run_metrics} table: a run's workload metrics, written once when it ends. */
final class MetricRows {
    private MetricRows() {
    }

    static void insert(Connection connection, long runId, List<WorkloadMetric> metrics) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT OR REPLACE INTO run_metrics (run_id, step_index, step_name, grp, metric, value)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            for (WorkloadMetric m : metrics) {
                insert.setLong(1, runId);
                insert.setInt(2, m.stepIndex());
                insert.setString(3, m.stepName());
                insert.setString(4, m.group());
                insert.setString(5, m.metric().key());
                insert.setDouble(6, m.value());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** In step, group and metric order; rows with a metric name this version does not know are skipped. */
    static List<WorkloadMetric> read(Connection connection, long runId) throws SQLException {
        List<WorkloadMetric> out = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT step_index, step_name, grp, metric, value FROM run_metrics WHERE run_id = ?
                ORDER BY step_index, grp""")) {
            select.setLong(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Optional<MetricName> name = MetricName.fromKey(rs.getString(4));
                    if (name.isEmpty()) continue;
                    out.add(new WorkloadMetric(rs.getInt(1), rs.getString(2), rs.getString(3), name.get(),
                            rs.getDouble(5)));
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(WorkloadMetric::stepIndex).thenComparing(WorkloadMetric::group)
                .thenComparing(m -> m.metric().ordinal()));
        return out;
    }
}
