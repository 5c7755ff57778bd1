package dev.freezeframe.coordinator;

/**
 * The one error type of the {@code coordinator} module. Its message is a sentence a user can act on; technical detail
 * belongs in the cause, which goes to the log.
 */
public class CoordinatorException extends RuntimeException {
    public CoordinatorException(String userMessage) {
        super(userMessage);
    }

    public CoordinatorException(String userMessage, Throwable cause) {
        super(userMessage, cause);
    }
}
