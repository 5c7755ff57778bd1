package dev.freezeframe.persistence;

/**
 * The one error type of the {@code persistence} module. Its message is a sentence a user can act on; technical detail
 * belongs in the cause, which goes to the log.
 */
public class ArchiveException extends RuntimeException {
    public ArchiveException(String userMessage) {
        super(userMessage);
    }

    public ArchiveException(String userMessage, Throwable cause) {
        super(userMessage, cause);
    }
}
