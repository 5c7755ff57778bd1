package dev.freezeframe.coordinator.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the dispatch gates to assembled frames. The gates are security properties: the guest is untrusted, and
 * nothing it sends may forge harness state or a verdict.
 * <ol>
 *   <li>An unknown type code is counted and dropped.</li>
 *   <li>A CRC-bad frame of any type is counted and dropped: it never becomes a verdict entry and never raises a signal
 *       (so a torn SCHED_EXIT can neither stop the run nor decide its verdict).</li>
 *   <li>Coordinator-internal types never become verdict entries. SYS_RDY raises {@link ControlSignal.SysReady} once
 *       per dispatcher, and only with an empty payload — a SYS_RDY with bytes is malformed and does not use up the
 *       one-shot. A SNAPSHOT_REQUEST that decodes raises {@link ControlSignal.SnapshotRequested}. The others
 *       (SNAPSHOT_REPLY, kernel ops) are not the guest's to send and are dropped.</li>
 *   <li>A report whose payload decodes becomes a {@link VerdictEntry}; an undecodable one is counted as malformed.
 *       A SCHED_EXIT entry additionally raises {@link ControlSignal.SchedulerExited}, once per frame.</li>
 * </ol>
 * The one-shot SYS_RDY state lives here, not in the assembler or a batch, so it holds across reads: use one dispatcher
 * per run. No exception escapes {@link #dispatch}. Not thread-safe: the run's reader thread owns it.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private boolean sysReadyFired;
    private long nextFrameSeq;
    private DispatchCounts totals = DispatchCounts.ZERO;

    public DispatchOutcome dispatch(List<Frame> frames) {
        List<VerdictEntry> entries = new ArrayList<>();
        List<ControlSignal> signals = new ArrayList<>();
        Drops drops = new Drops();
        for (Frame frame : frames) {
            dispatchOne(frame, nextFrameSeq++, entries, signals, drops);
        }
        DispatchCounts batch = drops.toCounts();
        if (batch.total() > 0) logDrops(batch);
        totals = totals.plus(batch);
        return new DispatchOutcome(entries, signals, batch);
    }

    /** Drops since this dispatcher was created. */
    public DispatchCounts totals() {
        return totals;
    }

    public boolean sysReadyFired() {
        return sysReadyFired;
    }

    private void dispatchOne(Frame frame, long seq, List<VerdictEntry> entries, List<ControlSignal> signals,
                             Drops drops) {
        MessageType type = MessageType.byCode(frame.typeCode());
        if (type == null) {
            drops.unknownTypes++;
            return;
        }
        if (!frame.crcOk()) {
            drops.crcRejected++;
            return;
        }
        Optional<WireMessage> decoded = MessageCodec.decode(type, frame.payload());
        switch (type) {
            case SYS_RDY -> {
                if (decoded.isEmpty()) {
                    drops.malformed++;
                } else if (sysReadyFired) {
                    drops.duplicateSysReady++;
                } else {
                    sysReadyFired = true;
                    signals.add(new ControlSignal.SysReady(seq));
                }
            }
            case SNAPSHOT_REQUEST -> {
                if (decoded.orElse(null) instanceof WireMessage.SnapshotRequest request) {
                    signals.add(new ControlSignal.SnapshotRequested(seq, request));
                } else {
                    drops.malformed++;
                }
            }
            default -> {
                if (type.coordinatorInternal()) {
                    drops.internalDropped++;
                } else if (decoded.orElse(null) instanceof WireMessage.Report report) {
                    entries.add(new VerdictEntry(seq, report));
                    if (report instanceof WireMessage.SchedulerExit exit) {
                        signals.add(new ControlSignal.SchedulerExited(seq, exit));
                    }
                } else {
                    drops.malformed++;
                }
            }
        }
    }

    private void logDrops(DispatchCounts batch) {
        // Warn on the first drop of each kind in the run; after that a hostile or broken guest could flood the log.
        boolean firstOfAKind = (batch.unknownTypes() > 0 && totals.unknownTypes() == 0)
                || (batch.crcRejected() > 0 && totals.crcRejected() == 0)
                || (batch.malformed() > 0 && totals.malformed() == 0)
                || (batch.duplicateSysReady() > 0 && totals.duplicateSysReady() == 0)
                || (batch.internalDropped() > 0 && totals.internalDropped() == 0);
        if (firstOfAKind) {
            log.warn("dropped guest frames (first of their kind in this run; later drops are logged at debug): {}",
                    batch);
        } else {
            log.debug("dropped guest frames: {}", batch);
        }
    }

    /** Per-batch drop tallies; mutable so the hot loop does not allocate. */
    private static final class Drops {
        long unknownTypes;
        long crcRejected;
        long malformed;
        long duplicateSysReady;
        long internalDropped;

        DispatchCounts toCounts() {
            return new DispatchCounts(unknownTypes, crcRejected, malformed, duplicateSysReady, internalDropped);
        }
    }
}
