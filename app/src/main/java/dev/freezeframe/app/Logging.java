package dev.freezeframe.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Points Logback's rolling file appender (configured in {@code logback.xml}) at the user's state directory. Must run
 * before the first logger is created, which is why it only sets a property. The folder is created owner-only (0700)
 * and the appender ({@link PrivateRollingFileAppender}) creates each log file 0600, so rotated and compressed logs,
 * which Logback creates itself, are private too.
 */
public final class Logging {
    public static final String LOG_DIR_PROPERTY = "freezeframe.log.dir";

    private Logging() {
    }

    public static void start(Path logDir) {
        try {
            createPrivateDirectories(logDir);
        } catch (IOException e) {
            // Logging must never stop the program: Logback reports its own failure to open the file on stderr.
            System.err.println("freezeframe: cannot create the log folder " + logDir + " (" + e.getMessage() + ")");
        }
        System.setProperty(LOG_DIR_PROPERTY, logDir.toString());
    }

    /** Creates the missing folders of {@code dir} owner-only (0700); folders that exist keep their mode. */
    static void createPrivateDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) return;
        Path parent = absolute.getParent();
        if (parent != null) createPrivateDirectories(parent);
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) throw e;
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(absolute);
        }
    }
}
