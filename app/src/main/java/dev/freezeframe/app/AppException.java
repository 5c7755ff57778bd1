package dev.freezeframe.app;

/**
 * The one error type of the {@code app} module (settings, display, launcher). Its message is a sentence a user can act
 * on; technical detail belongs in the cause, which goes to the log.
 */
public class AppException extends RuntimeException {
    public AppException(String userMessage) {
        super(userMessage);
    }

    public AppException(String userMessage, Throwable cause) {
        super(userMessage, cause);
    }
}
