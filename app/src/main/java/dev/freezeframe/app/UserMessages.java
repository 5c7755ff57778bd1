package dev.freezeframe.app;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.persistence.ArchiveException;
import dev.freezeframe.vmm.VmmException;
import java.nio.file.Path;

/**
 * Turns an exception into the sentence a user sees. Each module's typed error already carries such a sentence; anything
 * else is a bug, reported as such with a pointer to the log that holds the stack trace.
 */
public final class UserMessages {
    private UserMessages() {
    }

    public static String describe(Throwable error, Path logFile) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof VmmException || t instanceof CoordinatorException || t instanceof ArchiveException
                    || t instanceof AppException) {
                return t.getMessage();
            }
        }
        String what = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return "Internal error (" + what + "). This is a bug in Freezeframe; the details are in " + logFile + ".";
    }
}
