package dev.freezeframe.coordinator.findings;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A snapshot as the findings rules see it: its tag, kind ({@code periodic}, {@code error}, {@code stall_onset}...),
 * time, and its report (null for a placeholder, whose {@code placeholderReason} says why nothing was captured).
 */
public record SnapshotView(String tag, String kind, long atMs, JsonNode report, String placeholderReason) {
    public boolean placeholder() {
        return report == null;
    }
}
