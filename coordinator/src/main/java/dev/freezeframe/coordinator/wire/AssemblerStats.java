package dev.freezeframe.coordinator.wire;

/**
 * Counters of a {@link FrameAssembler} since it was created. Every byte pushed in ends up in exactly one place:
 * {@code bytesIn == frameBytes + garbageBytes + pendingBytes}. A CRC-bad frame is reported but owns no bytes: they
 * are rescanned and end up in a good frame or in the garbage count.
 *
 * @param bytesIn         bytes pushed in
 * @param frames          frames handed out (CRC-good and CRC-bad)
 * @param frameBytes      bytes of the CRC-good frames, headers included
 * @param crcFailures     frames handed out with {@code crcOk == false}
 * @param garbageBytes    bytes skipped because they were not part of any good frame
 * @param oversizeHeaders headers otherwise acceptable whose length exceeded the maximum payload (then skipped)
 * @param resyncs         times the assembler lost sync and started scanning for the next header
 * @param checkedBytes    payload bytes run through CRC-32, good and failed checks alike (the assembler's work)
 * @param budgetExhaustions failed checks that found the rescan budget spent, so their bytes were skipped whole
 * @param pendingBytes    bytes held for a frame that is not complete yet
 */
public record AssemblerStats(long bytesIn, long frames, long frameBytes, long crcFailures, long garbageBytes,
                             long oversizeHeaders, long resyncs, long checkedBytes, long budgetExhaustions,
                             long pendingBytes) {
}
