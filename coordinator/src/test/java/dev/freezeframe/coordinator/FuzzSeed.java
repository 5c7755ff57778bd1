package dev.freezeframe.coordinator;

/**
 * The base seed of a fuzz test: fixed by default, so a run is the same on every machine and a failure reproduces;
 * {@code -Dfuzz.seed=N} (decimal or {@code 0x}hex) explores other inputs. A fuzz failure names the base seed and how to
 * rerun it ({@link #rerun}).
 */
public final class FuzzSeed {
    public static final String PROPERTY = "fuzz.seed";

    private FuzzSeed() {
    }

    /** {@code -Dfuzz.seed} when given, else {@code fixed}. */
    public static long base(long fixed) {
        String given = System.getProperty(PROPERTY);
        if (given == null || given.isBlank()) return fixed;
        try {
            return Long.decode(given.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + given + " is not a number (decimal or 0x hex).",
                    e);
        }
    }

    /** The sentence a failure ends with: how to run exactly this again. */
    public static String rerun(long base) {
        return "rerun with -D" + PROPERTY + "=0x" + Long.toHexString(base);
    }
}
