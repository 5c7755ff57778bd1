package dev.freezeframe.vmm;

/** Which accesses a {@link Watchpoint} stops on. */
public enum WatchKind {
    /** Stores to the watched bytes. */
    WRITE,
    /** Loads from the watched bytes. */
    READ,
    /** Loads and stores. */
    ACCESS;

    /** Lower-case word for messages. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
