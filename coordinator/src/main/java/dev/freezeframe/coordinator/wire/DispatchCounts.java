package dev.freezeframe.coordinator.wire;

/**
 * Frames the dispatcher dropped, by reason. Each dropped frame is counted under exactly one reason, checked in this
 * order: unknown type, CRC mismatch, then the per-type gates.
 *
 * @param unknownTypes      type code is not a {@link MessageType}
 * @param crcRejected       known type, payload CRC did not match the header
 * @param malformed         CRC-good but the payload does not fit the type's layout (including SYS_RDY with a payload)
 * @param duplicateSysReady a well-formed SYS_RDY after the first one
 * @param internalDropped   a coordinator-internal type the guest has no business sending (SNAPSHOT_REPLY, kernel ops)
 */
public record DispatchCounts(long unknownTypes, long crcRejected, long malformed, long duplicateSysReady,
                             long internalDropped) {
    public static final DispatchCounts ZERO = new DispatchCounts(0, 0, 0, 0, 0);

    public long total() {
        return unknownTypes + crcRejected + malformed + duplicateSysReady + internalDropped;
    }

    public DispatchCounts plus(DispatchCounts o) {
        return new DispatchCounts(unknownTypes + o.unknownTypes, crcRejected + o.crcRejected, malformed + o.malformed,
                duplicateSysReady + o.duplicateSysReady, internalDropped + o.internalDropped);
    }
}
