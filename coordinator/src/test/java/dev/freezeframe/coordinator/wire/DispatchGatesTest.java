package dev.freezeframe.coordinator.wire;

import static dev.freezeframe.coordinator.wire.TestFrames.concat;
import static dev.freezeframe.coordinator.wire.TestFrames.of;
import static dev.freezeframe.coordinator.wire.TestFrames.withCrc;
import static dev.freezeframe.coordinator.wire.TestFrames.withTornCrc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatch gates, ported from the ktstr seed {@code ktstr-wire-dispatch-tests} (T1–T8 and the mixed-CRC batch).
 * Each test drives real bytes through {@link FrameAssembler} and then {@link Dispatcher}, as the run loop will.
 * ktstr's "bucket" is our list of verdict entries, its kill promotion our {@link ControlSignal.SchedulerExited}, its
 * SYS_RDY eventfd our {@link ControlSignal.SysReady}, and its STIMULUS our STEP.
 */
class DispatchGatesTest {
    private final FrameAssembler assembler = new FrameAssembler();
    private final Dispatcher dispatcher = new Dispatcher();

    private static final WireMessage.SchedulerExit BPF_ERROR =
            new WireMessage.SchedulerExit(0, 1025, "scx_bpf_error (qmap: injected error)");

    // T1
    @Test
    void unknownTypeIsCountedAndNeverBecomesAnEntryOrSignal() {
        assertTrue(MessageType.fromCode(0xDEAD_BEEF).isEmpty());
        List<Frame> frames = assembler.push(withCrc(0xDEAD_BEEF, "unknown-payload".getBytes()));
        assertEquals(1, frames.size(), "a CRC-good unknown type still assembles");

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertEquals(1, out.dropped().unknownTypes());
        assertTrue(out.verdictEntries().isEmpty(), "unknown type must not surface as a verdict entry");
        assertTrue(out.signals().isEmpty(), "unknown type must not signal (no exit promotion, no SYS_RDY)");
        assertEquals(1, dispatcher.totals().unknownTypes());
    }

    // T2
    @Test
    void crcBadSchedExitNeitherBecomesAnEntryNorPromotes() {
        List<Frame> frames = assembler.push(withTornCrc(MessageType.SCHED_EXIT, MessageCodec.encode(BPF_ERROR)));
        assertEquals(1, frames.size());
        assertFalse(frames.getFirst().crcOk(), "a torn SCHED_EXIT surfaces with crcOk=false");

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertTrue(out.verdictEntries().isEmpty(), "a torn SCHED_EXIT must not become a phantom verdict entry");
        assertEquals(0, out.signalCount(ControlSignal.SchedulerExited.class), "a torn SCHED_EXIT must not promote");
        assertEquals(1, out.dropped().crcRejected());
    }

    // positive control for T2: the gate drops torn frames, not every SCHED_EXIT
    @Test
    void crcGoodSchedExitBecomesOneEntryWithItsPayloadAndPromotesOnce() {
        List<Frame> frames = assembler.push(of(BPF_ERROR));
        assertTrue(frames.getFirst().crcOk());

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertEquals(List.of(new VerdictEntry(0, BPF_ERROR)), out.verdictEntries());
        assertEquals(List.of(new ControlSignal.SchedulerExited(0, BPF_ERROR)), out.signals());
        assertEquals(DispatchCounts.ZERO, out.dropped());
    }

    // T3
    @Test
    void snapshotReplyFromTheGuestIsDroppedByTypeEvenWhenWellFormed() {
        assertTrue(MessageType.SNAPSHOT_REPLY.coordinatorInternal());
        byte[] forgedWellFormed = of(new WireMessage.SnapshotReply(7, SnapshotStatus.TAKEN));
        byte[] forgedJunk = withCrc(MessageType.SNAPSHOT_REPLY, "forged-reply");
        List<Frame> frames = assembler.push(concat(forgedWellFormed, forgedJunk));
        assertEquals(2, frames.size());
        assertTrue(frames.stream().allMatch(Frame::crcOk), "the classifier must drop by type, not by CRC");

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertTrue(out.verdictEntries().isEmpty(), "SNAPSHOT_REPLY is host-to-guest only");
        assertEquals(0, out.signalCount(ControlSignal.SnapshotRequested.class), "a reply is not a request");
        assertEquals(2, out.dropped().internalDropped());
    }

    // T4
    @Test
    void sysRdyWithPayloadDoesNotFireAndLeavesTheOneShotArmed() {
        List<Frame> frames = assembler.push(withCrc(MessageType.SYS_RDY, "smuggled-bytes"));
        assertEquals(1, frames.size());
        assertTrue(frames.getFirst().crcOk());
        assertEquals(14, frames.getFirst().payloadLength(), "the assembler passes the smuggled bytes on verbatim");

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertTrue(out.signals().isEmpty(), "the shape gate (empty payload) blocks the smuggle path");
        assertTrue(out.verdictEntries().isEmpty(), "SYS_RDY never becomes an entry, whatever its shape");
        assertFalse(dispatcher.sysReadyFired(), "the one-shot stays armed for a well-formed SYS_RDY");
        assertEquals(1, out.dropped().malformed());

        DispatchOutcome later = dispatcher.dispatch(assembler.push(withCrc(MessageType.SYS_RDY, new byte[0])));
        assertEquals(List.of(new ControlSignal.SysReady(1)), later.signals());
    }

    // T5
    @Test
    void sysRdyFiresOnceAcrossTwoReads() {
        List<Frame> first = assembler.push(withCrc(MessageType.SYS_RDY, new byte[0]));
        List<Frame> second = assembler.push(withCrc(MessageType.SYS_RDY, new byte[0]));
        assertEquals(1, first.size());
        assertEquals(1, second.size());
        List<Frame> both = new ArrayList<>(first);
        both.addAll(second);

        DispatchOutcome out = dispatcher.dispatch(both);

        assertEquals(1, out.signalCount(ControlSignal.SysReady.class), "the second SYS_RDY must not fire");
        assertTrue(dispatcher.sysReadyFired());
        assertEquals(1, out.dropped().duplicateSysReady());
    }

    // T5, as our run loop will call it: one dispatch per read, the one-shot living in the dispatcher
    @Test
    void sysRdyFiresOnceAcrossTwoDispatchCalls() {
        DispatchOutcome first = dispatcher.dispatch(assembler.push(withCrc(MessageType.SYS_RDY, new byte[0])));
        DispatchOutcome second = dispatcher.dispatch(assembler.push(withCrc(MessageType.SYS_RDY, new byte[0])));

        assertEquals(1, first.signalCount(ControlSignal.SysReady.class));
        assertEquals(0, second.signalCount(ControlSignal.SysReady.class));
        assertEquals(1, dispatcher.totals().duplicateSysReady());
    }

    // T6
    @Test
    void interleavedBatchAppliesEveryGateIndependently() {
        WireMessage.SnapshotRequest snap = new WireMessage.SnapshotRequest(7, SnapshotRequestKind.CAPTURE, "snap");
        WireMessage.StepStarted step = new WireMessage.StepStarted(0, "cpu-bound");
        byte[] batch = concat(of(new WireMessage.SysReady()), of(BPF_ERROR), of(snap), of(step));
        List<Frame> frames = assembler.push(batch);
        assertEquals(4, frames.size());
        assertTrue(frames.stream().allMatch(Frame::crcOk));

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertEquals(List.of(new ControlSignal.SysReady(0), new ControlSignal.SchedulerExited(1, BPF_ERROR),
                new ControlSignal.SnapshotRequested(2, snap)), out.signals());
        assertEquals(List.of(MessageType.SCHED_EXIT, MessageType.STEP),
                out.verdictEntries().stream().map(VerdictEntry::type).toList(),
                "only SCHED_EXIT and STEP are verdict entries; SYS_RDY and SNAPSHOT_REQUEST are internal");
        assertEquals(DispatchCounts.ZERO, out.dropped());
    }

    // T7
    @Test
    void sysRdyOnlyBatchHasNoVerdictEntries() {
        DispatchOutcome out = dispatcher.dispatch(assembler.push(of(new WireMessage.SysReady())));

        assertTrue(out.noVerdictEntries());
        assertEquals(1, out.signalCount(ControlSignal.SysReady.class));
    }

    // T8
    @Test
    void everyCrcGoodSchedExitPromotesAndBecomesAnEntry() {
        byte[] batch = concat(of(new WireMessage.SchedulerExit(0, 1025, "first")),
                of(new WireMessage.SchedulerExit(0, 1025, "second")),
                of(new WireMessage.SchedulerExit(0, 1025, "third")));
        List<Frame> frames = assembler.push(batch);
        assertEquals(3, frames.size());

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertEquals(3, out.signalCount(ControlSignal.SchedulerExited.class), "one promotion per frame, not per run");
        assertEquals(List.of("first", "second", "third"), out.verdictEntries().stream()
                .map(e -> assertInstanceOf(WireMessage.SchedulerExit.class, e.report()).reason()).toList());
    }

    // mixed-CRC batch
    @Test
    void tornSchedExitBetweenTwoGoodOnesIsFilteredAlone() {
        WireMessage.SchedulerExit valid1 = new WireMessage.SchedulerExit(0, 1025, "valid-1");
        WireMessage.SchedulerExit valid2 = new WireMessage.SchedulerExit(0, 1025, "valid-2");
        byte[] torn = withTornCrc(MessageType.SCHED_EXIT,
                MessageCodec.encode(new WireMessage.SchedulerExit(0, 1025, "torn")));
        List<Frame> frames = assembler.push(concat(of(valid1), torn, of(valid2)));
        assertEquals(List.of(true, false, true), frames.stream().map(Frame::crcOk).toList());

        DispatchOutcome out = dispatcher.dispatch(frames);

        assertEquals(List.of(new VerdictEntry(0, valid1), new VerdictEntry(2, valid2)), out.verdictEntries());
        assertEquals(List.of(new ControlSignal.SchedulerExited(0, valid1), new ControlSignal.SchedulerExited(2, valid2)),
                out.signals());
        assertEquals(1, out.dropped().crcRejected());
    }

    // beyond the seed: the gates for the other types
    @Test
    void crcBadSysRdyAndSnapshotRequestDoNotSignal() {
        byte[] batch = concat(withTornCrc(MessageType.SYS_RDY, new byte[0]),
                withTornCrc(MessageType.SNAPSHOT_REQUEST,
                        MessageCodec.encode(new WireMessage.SnapshotRequest(1, SnapshotRequestKind.CAPTURE, "x"))));
        DispatchOutcome out = dispatcher.dispatch(assembler.push(batch));

        assertTrue(out.signals().isEmpty());
        assertFalse(dispatcher.sysReadyFired(), "a torn SYS_RDY must not use up the one-shot");
        assertEquals(2, out.dropped().crcRejected());
    }

    @Test
    void kernelOpFramesFromTheGuestAreDropped() {
        byte[] batch = concat(withCrc(MessageType.KERNEL_OP_REQUEST, "op"), withCrc(MessageType.KERNEL_OP_REPLY, "ok"));
        DispatchOutcome out = dispatcher.dispatch(assembler.push(batch));

        assertTrue(out.verdictEntries().isEmpty());
        assertTrue(out.signals().isEmpty());
        assertEquals(2, out.dropped().internalDropped());
    }

    @Test
    void malformedReportIsCountedNotPassedOn() {
        byte[] batch = concat(withCrc(MessageType.SCHED_EXIT, "exit"), withCrc(MessageType.LIFECYCLE, new byte[3]));
        DispatchOutcome out = dispatcher.dispatch(assembler.push(batch));

        assertTrue(out.verdictEntries().isEmpty());
        assertTrue(out.signals().isEmpty(), "an undecodable SCHED_EXIT must not promote either");
        assertEquals(2, out.dropped().malformed());
    }

    @Test
    void frameSequenceNumbersRunAcrossBatches() {
        dispatcher.dispatch(assembler.push(of(new WireMessage.Stdout("a"))));
        DispatchOutcome out = dispatcher.dispatch(assembler.push(of(new WireMessage.Stderr("b"))));

        assertEquals(List.of(new VerdictEntry(1, new WireMessage.Stderr("b"))), out.verdictEntries());
    }
}
