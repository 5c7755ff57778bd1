package dev.freezeframe.app;

import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Logback's rolling file appender, except that each log file it starts is created readable by its owner only (0600):
 * the log holds archive paths, kernel messages and guest console lines. A file that already exists keeps its mode.
 */
public final class PrivateRollingFileAppender<E> extends RollingFileAppender<E> {
    @Override
    public void openFile(String fileName) throws IOException {
        createPrivate(Path.of(fileName));
        super.openFile(fileName);
    }

    static void createPrivate(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) Logging.createPrivateDirectories(parent);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            // an existing file keeps its mode; a non-POSIX filesystem has no mode to set
        } catch (IOException e) {
            // Logback reports its own failure to open the file
        }
    }
}
