package dev.freezeframe.vmm;

/**
 * The one error type of the {@code vmm} module. Its message is a sentence a user can act on (what happened and what to
 * do); technical detail belongs in the cause, which goes to the log.
 */
public class VmmException extends RuntimeException {
    public VmmException(String userMessage) {
        super(userMessage);
    }

    public VmmException(String userMessage, Throwable cause) {
        super(userMessage, cause);
    }
}
