package dev.freezeframe.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points Logback's rolling file appender (configured in {@code logback.xml}) at the user's state directory. Must run
 * before the first logger is created, which is why it only sets a property.
 */
public final class Logging {
    public static final String LOG_DIR_PROPERTY = "freezeframe.log.dir";

    private Logging() {
    }

    public static void start(Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            // Logging must never stop the program: Logback reports its own failure to open the file on stderr.
            System.err.println("freezeframe: cannot create the log folder " + logDir + " (" + e.getMessage() + ")");
        }
        System.setProperty(LOG_DIR_PROPERTY, logDir.toString());
    }
}
