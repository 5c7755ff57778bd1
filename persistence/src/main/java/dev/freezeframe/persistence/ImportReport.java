package dev.freezeframe.persistence;

/**
 * What an import did.
 *
 * @param runId        the id the imported run got in this archive
 * @param tornTail     true when the file was cut off and only the records before the cut were imported
 * @param usedBytes    bytes of the file that held the imported records
 * @param fileBytes    the file's size
 * @param message      one sentence for the user (what was imported; for a torn tail, what was lost)
 */
public record ImportReport(long runId, long events, long snapshots, boolean tornTail, long usedBytes,
                           long fileBytes, String message) {
}
