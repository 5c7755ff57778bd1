package dev.freezeframe.coordinator.findings;

/**
 * One thing a run's snapshots say went wrong (or is worth a look), with where to see it.
 *
 * @param severity how bad
 * @param rule     which rule found it ({@code scheduler_error}, {@code stall}, {@code dsq_growing}, ...)
 * @param title    one line, the headline when it is the worst finding
 * @param detail   the evidence in words (may span lines), or null
 * @param snapshot the tag of the snapshot that shows it, or null
 * @param atMs     when (run time, ms), or -1
 */
public record Finding(Severity severity, String rule, String title, String detail, String snapshot, long atMs) {

    public enum Severity {
        CRITICAL, WARNING, INFO;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
