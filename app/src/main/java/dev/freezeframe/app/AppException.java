package dev.freezeframe.app;

/**
 * The one error type of the {@code app} module (settings, display, launcher, run options). Its message is a sentence a
 * user can act on; technical detail belongs in the cause, which goes to the log. A usage error is a mistake in what the
 * user asked for (a value out of range, a file that is not what it should be): the command line exits 64 for it.
 */
public class AppException extends RuntimeException {
    private final boolean usage;

    public AppException(String userMessage) {
        this(userMessage, null, false);
    }

    public AppException(String userMessage, Throwable cause) {
        this(userMessage, cause, false);
    }

    private AppException(String userMessage, Throwable cause, boolean usage) {
        super(userMessage, cause);
        this.usage = usage;
    }

    /** A mistake in what the user asked for, found before anything ran. */
    public static AppException usage(String userMessage) {
        return new AppException(userMessage, null, true);
    }

    public boolean isUsageError() {
        return usage;
    }
}
