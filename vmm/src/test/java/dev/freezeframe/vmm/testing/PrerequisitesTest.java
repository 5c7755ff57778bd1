package dev.freezeframe.vmm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** CI in any non-empty form turns a missing prerequisite into a failure; elsewhere the test is skipped. */
class PrerequisitesTest {
    @Test
    void anyNonEmptyCiValueCounts() {
        for (String ci : new String[] {"true", "TRUE", "1", "yes", "github-actions", "false"}) {
            assertTrue(Prerequisites.underCi(ci), ci);
        }
        assertFalse(Prerequisites.underCi(null));
        assertFalse(Prerequisites.underCi(""));
    }

    @Test
    void underCiAMissingPrerequisiteFailsWithASentence() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Prerequisites.require("1", false, "gcc is not installed", "install gcc"));
        assertEquals("gcc is not installed; CI (CI=1) must provide it: install gcc.", e.getMessage());
    }

    @Test
    void elsewhereItIsSkippedAndPresentIsFine() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> Prerequisites.require(null, false, "gcc is not installed", "install gcc"));
        assertTrue(e.getMessage().contains("gcc is not installed; install gcc to run this test."), e.getMessage());
        Prerequisites.require("1", true, "unused", "unused");
    }
}
