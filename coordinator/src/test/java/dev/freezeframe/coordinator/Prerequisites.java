package dev.freezeframe.coordinator;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (the guest kit, gcc, static libc, busybox-static, cpio...). On a developer machine
 * a missing prerequisite skips the test with the sentence saying how to get it; when the environment variable {@code CI}
 * is set to anything non-empty ({@code true}, {@code 1}, {@code yes}...), it fails the test instead, so a CI that lost
 * a prerequisite goes red rather than green with nothing tested. (The same rule is in each module's test tree.)
 */
public final class Prerequisites {
    private Prerequisites() {
    }

    /** Whether {@code CI} is set to a non-empty value. */
    public static boolean underCi() {
        return underCi(System.getenv("CI"));
    }

    static boolean underCi(String ci) {
        return ci != null && !ci.isEmpty();
    }

    /** Returns when {@code present}; otherwise fails (under CI) or skips with "{@code missing}; {@code howToGet}". */
    public static void require(boolean present, String missing, String howToGet) {
        require(System.getenv("CI"), present, missing, howToGet);
    }

    static void require(String ci, boolean present, String missing, String howToGet) {
        if (present) return;
        if (underCi(ci)) {
            Assertions.fail(missing + "; CI (CI=" + ci + ") must provide it: " + howToGet + ".");
        }
        Assumptions.abort(missing + "; " + howToGet + " to run this test.");
    }
}
