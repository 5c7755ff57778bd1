package dev.freezeframe.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The versions a bug report needs: the app, the JDK running it, JavaFX and the SQLite engine.
 *
 * @param app    Freezeframe's version
 * @param jdk    runtime version and vendor
 * @param javafx JavaFX version (the running toolkit's when it is up, else the one the app was built against)
 * @param sqlite the SQLite engine version inside sqlite-jdbc
 */
public record VersionInfo(String app, String jdk, String javafx, String sqlite) {

    public static VersionInfo current() {
        Properties built = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("/dev/freezeframe/app/version.properties")) {
            if (in != null) built.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String javafx = System.getProperty("javafx.runtime.version", built.getProperty("javafx.version", "unknown"));
        return new VersionInfo(
                built.getProperty("app.version", "unknown"),
                Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                javafx,
                sqliteEngineVersion());
    }

    private static String sqliteEngineVersion() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             ResultSet rs = c.createStatement().executeQuery("SELECT sqlite_version()")) {
            return rs.next() ? rs.getString(1) : "unknown";
        } catch (SQLException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    public List<String> lines() {
        return List.of(
                "Freezeframe " + app,
                "JDK         " + jdk,
                "JavaFX      " + javafx,
                "SQLite      " + sqlite);
    }

    /** picocli's {@code --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return current().lines().toArray(String[]::new);
        }
    }
}
