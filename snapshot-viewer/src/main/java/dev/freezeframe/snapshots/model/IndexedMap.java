package dev.freezeframe.snapshots.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a diff needs of a map row whose entries are still report text ({@link MapEntries.Indexed}): the map's rows other
 * than its entries, the entries' text, the row of one parsed entry, and the chunk an entry is listed in. With it a diff
 * parses only the entries whose text differs from the base's ({@link SnapshotDiff}).
 */
record IndexedMap(Supplier<List<FieldNode>> others, MapEntries.Indexed entries, EntryRow row, String label) {
    /** The row of entry {@code position}, from its parsed JSON (the same row the map lists). */
    interface EntryRow {
        FieldNode make(JsonNode entry, int position);
    }

    /** The path of the chunk row that lists entry {@code position}, or null when the map is not chunked. */
    String chunkPath(int position) {
        return entries.size() > ReportModel.CHUNK ? ReportModel.chunkPath(label, position / ReportModel.CHUNK
                * ReportModel.CHUNK) : null;
    }
}
