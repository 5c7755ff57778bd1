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
 * scripts are resources named {@code migrations/V###__what.sql}, listed in {@link #SCRIPTS} in order; each runs in one
 * transaction together with the version bump, so a crash leaves the previous version intact.
 */
final class Migrations {
    /** Script resource names, index i migrates to version i+1. Append only: released scripts never change. */
    static final List<String> SCRIPTS = List.of(
            "V001__runs_and_events.sql",
            "V002__snapshots_lod_search.sql");

    static final int LATEST = SCRIPTS.size();

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
            List<String> statements = statementsOf(SCRIPTS.get(target - 1));
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
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
