package dev.freezeframe.coordinator.wire;

/**
 * Counters of a {@link FrameAssembler} since it was created. Every byte pushed in ends up in exactly one place:
 * {@code bytesIn == frameBytes + garbageBytes + pendingBytes}.
 *
 * @param bytesIn         bytes pushed in
 * @param frames          frames handed out (CRC-good and CRC-bad)
 * @param frameBytes      bytes of those frames, headers included
 * @param crcFailures     frames handed out with {@code crcOk == false}
 * @param garbageBytes    bytes skipped because they were not part of any acceptable frame
 * @param oversizeHeaders headers otherwise acceptable whose length exceeded the maximum payload (then skipped)
 * @param resyncs         times the assembler lost sync and started scanning for the next header
 * @param pendingBytes    bytes held for a frame that is not complete yet
 */
public record AssemblerStats(long bytesIn, long frames, long frameBytes, long crcFailures, long garbageBytes,
                             long oversizeHeaders, long resyncs, long pendingBytes) {
}
