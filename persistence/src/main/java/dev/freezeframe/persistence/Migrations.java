package dev.freezeframe.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Schema migrations keyed on {@code PRAGMA user_version}: migration N takes the schema from version N-1 to N. The
 * scripts are resources named {@code migrations/V###__what.sql}, listed in {@link #STEPS} in order. A migration that
 * must transform data (not just the schema) adds a {@link DataStep} that runs after its script. Script, data step and
 * version bump run in one transaction, so a crash leaves the previous version intact.
 */
final class Migrations {
    /** Work done in Java after a migration's script, inside its transaction. */
    @FunctionalInterface
    interface DataStep {
        void run(Connection connection) throws SQLException;
    }

    /** One migration: its script and, when data must be converted, the step that does it. */
    record Step(String script, DataStep data) {
        static Step script(String script) {
            return new Step(script, null);
        }
    }

    /** Index i migrates to version i+1. Append only: released migrations never change. */
    static final List<Step> STEPS = List.of(
            Step.script("V001__runs_and_events.sql"),
            Step.script("V002__snapshots_lod_search.sql"),
            new Step("V003__event_blocks.sql", EventBlocksMigration::run),
            new Step("V004__snapshot_fields.sql", SnapshotFieldsMigration::run),
            new Step("V005__workload_metrics.sql", VerdictCheckMigration::run),
            Step.script("V006__run_forks.sql"),
            Step.script("V007__viewer_marks.sql"),
            Step.script("V008__ab_marks.sql"));

    static final int LATEST = STEPS.size();

    private Migrations() {
    }

    static int userVersion(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var rs = statement.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Brings the schema to {@link #LATEST}; the caller has already refused newer versions. */
    static void migrate(Connection connection) throws SQLException {
        int current = userVersion(connection);
        for (int target = current + 1; target <= LATEST; target++) {
            Step step = STEPS.get(target - 1);
            List<String> statements = statementsOf(step.script());
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
                if (step.data() != null) step.data().run(connection);
                statement.execute("PRAGMA user_version = " + target);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static List<String> statementsOf(String script) {
        String text;
        try (InputStream in = Objects.requireNonNull(Migrations.class.getResourceAsStream("migrations/" + script),
                "missing migration resource " + script)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + script, e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) continue;
            current.append(line).append('\n');
            // Scripts put one statement per ';'-terminated line group; triggers would need a smarter splitter.
            if (trimmed.endsWith(";") && !insideTrigger(current)) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) statements.add(current.toString().strip());
        return statements;
    }

    /** A CREATE TRIGGER body contains ';' before its final END; keep collecting until END;. */
    private static boolean insideTrigger(CharSequence statement) {
        String s = statement.toString().toUpperCase(java.util.Locale.ROOT);
        return s.contains("CREATE TRIGGER") && !s.strip().endsWith("END;");
    }
}
