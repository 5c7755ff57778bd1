package dev.freezeframe.coordinator.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One captured snapshot of the frozen scheduler state, as a run records it.
 *
 * @param tag               the capture's tag ({@code periodic_NNN}, a user tag, a watched symbol, ...)
 * @param kind              why it was captured
 * @param atNanos           time since the run started (host monotonic clock)
 * @param stepIndex         scenario step index (0 = baseline, 1..N = steps), if known
 * @param placeholder       {@code true} when the capture failed entirely and only its reason is kept
 * @param placeholderReason why the capture failed (present when {@code placeholder})
 * @param reportJson        the report (a ktstr-style failure dump: maps, vcpu registers, stats, ...) as JSON text;
 *                          for a placeholder a small JSON object carrying the reason
 */
public record SnapshotRecord(String tag, SnapshotKind kind, long atNanos, Optional<Integer> stepIndex,
                             boolean placeholder, Optional<String> placeholderReason, String reportJson) {
    public SnapshotRecord {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stepIndex, "stepIndex");
        Objects.requireNonNull(placeholderReason, "placeholderReason");
        Objects.requireNonNull(reportJson, "reportJson");
        if (placeholder && placeholderReason.isEmpty()) {
            throw new IllegalArgumentException("a placeholder snapshot needs a reason");
        }
    }

    /** A capture that produced no data; the reason is what the user sees. */
    public static SnapshotRecord placeholder(String tag, SnapshotKind kind, long atNanos, Optional<Integer> stepIndex,
                                             String reason) {
        String json = "{\"is_placeholder\":true,\"reason\":" + quote(reason) + "}";
        return new SnapshotRecord(tag, kind, atNanos, stepIndex, true, Optional.of(reason), json);
    }

    /** The canonical periodic tag shape: {@code periodic_} followed by exactly three digits. */
    public static boolean isPeriodicTag(String tag) {
        return tag != null && tag.length() == 12 && tag.startsWith("periodic_")
                && tag.chars().skip(9).allMatch(c -> c >= '0' && c <= '9');
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
