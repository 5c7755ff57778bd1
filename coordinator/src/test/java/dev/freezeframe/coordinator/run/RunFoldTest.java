package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.ExecState;
import dev.freezeframe.coordinator.wire.LifecyclePhase;
import dev.freezeframe.coordinator.wire.SnapshotRequestKind;
import dev.freezeframe.coordinator.wire.VerdictEntry;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lifecycle fold and its verdict rules, driven input by input with a fake clock. */
class RunFoldTest {
    private static final long S = 1_000_000_000L;

    private final RunFold fold = new RunFold(new RunFold.Limits(Duration.ofSeconds(30), Duration.ofSeconds(10)));
    private final List<EventDraft> events = new ArrayList<>();
    private final List<RunAction> actions = new ArrayList<>();
    private long now;
    private long frameSeq;

    private void feed(RunInput input) {
        RunFold.Result result = fold.apply(input, now);
        events.addAll(result.events());
        actions.addAll(result.actions());
    }

    private void report(WireMessage.Report report) {
        feed(new RunInput.GuestReport(new VerdictEntry(frameSeq++, report)));
    }

    private void phase(LifecyclePhase phase) {
        report(new WireMessage.Lifecycle(phase, ""));
    }

    private void bootAndEnable() {
        feed(new RunInput.GuestControl(new ControlSignal.SysReady(frameSeq++)));
        phase(LifecyclePhase.SCHEDULER_STARTING);
        phase(LifecyclePhase.SCHEDULER_ENABLED);
        phase(LifecyclePhase.SCENARIO_STARTED);
        report(new WireMessage.StepStarted(1, "cpu"));
    }

    private VerdictDecision decision() {
        return fold.status(now).decision().orElseThrow();
    }

    private List<EventDraft> lane(Lane lane) {
        return events.stream().filter(e -> e.lane() == lane).toList();
    }

    @Test
    void aForkFoldsItsParentsInputsSilentlyAndGoesOnFromThereToAVerdict() {
        List<RunInput> parent = List.of(new RunInput.GuestControl(new ControlSignal.SysReady(frameSeq++)),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.Lifecycle(
                        LifecyclePhase.SCHEDULER_ENABLED, "qmap"))),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.Lifecycle(
                        LifecyclePhase.SCENARIO_STARTED, ""))),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.StepStarted(1, "cpu"))));
        feed(new RunInput.ForkReplay(parent, "run 7, snapshot periodic_000"));

        assertEquals(List.of("forked"), events.stream().map(EventDraft::kind).toList(), "only the fork's own event");
        assertTrue(events.getFirst().text().contains("run 7, snapshot periodic_000"), events.getFirst().text());
        assertEquals(RunPhase.SCENARIO_RUNNING, fold.status(now).phase());
        assertEquals(1, fold.status(now).stepIndex());
        finishCleanly();
        assertEquals(Verdict.PASSED, decision().verdict());
    }

    private static WireMessage.WorkloadMetrics cpuMetrics(int step) {
        return new WireMessage.WorkloadMetrics(step, 2 * S, List.of(new WireMessage.WorkerSample(
                dev.freezeframe.coordinator.wire.WorkerRole.CPU, 0, 1000, S, 0, 10, 0, 10, 0, 0)), List.of());
    }

    /** A fork's parent measured its step 1; the fork then replaces the plan and runs its own step 1. */
    private void forkWithNewScenario() {
        List<RunInput> parent = List.of(new RunInput.GuestControl(new ControlSignal.SysReady(frameSeq++)),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.Lifecycle(
                        LifecyclePhase.SCHEDULER_ENABLED, "qmap"))),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.Lifecycle(
                        LifecyclePhase.SCENARIO_STARTED, ""))),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.StepStarted(1, "old-one"))),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, cpuMetrics(1))),
                new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.StepStarted(2, "old-two"))));
        feed(new RunInput.ForkReplay(parent, "run 7, snapshot periodic_000"));
        feed(new RunInput.ForkPlanSent("burst"));
    }

    @Test
    void aForksNewScenarioStartsItsStepsAfresh() {
        forkWithNewScenario();
        report(new WireMessage.Lifecycle(LifecyclePhase.PLAN_REPLACED, "burst"));
        report(new WireMessage.StepStarted(1, "new-one"));
        report(cpuMetrics(1));
        finishCleanly();

        assertEquals(Verdict.PASSED, decision().verdict(), decision().reason());
        EventDraft sent = lane(Lane.LIFECYCLE).stream().filter(e -> e.kind().equals("fork_plan")).findFirst()
                .orElseThrow();
        assertTrue(sent.text().contains("wall clock") && sent.text().contains("scenario burst"), sent.text());
        EventDraft replaced = lane(Lane.LIFECYCLE).stream().filter(e -> e.kind().equals("plan_replaced")).findFirst()
                .orElseThrow();
        assertTrue(replaced.text().contains("scenario burst") && replaced.text().contains("step 2 old-two"),
                replaced.text());
        assertEquals(RunPhase.ENDED, fold.status(now).phase(), "the new plan does not rewind the run");
        // the new step 1 is measured as its own, not taken for the parent's (a replay of which counts once)
        assertEquals(List.of("new-one"), fold.metrics().stream().map(m -> m.stepName()).distinct().toList());
    }

    @Test
    void aForkWhoseGuestNeverTakesItsNewScenarioIsInconclusive() {
        forkWithNewScenario();
        report(new WireMessage.StepStarted(3, "old-three"));
        finishCleanly();

        assertEquals(Verdict.INCONCLUSIVE, decision().verdict());
        assertTrue(decision().reason().contains("never took the fork's new scenario burst"), decision().reason());
    }

    @Test
    void aForkThatGoesOnWithItsPlanIsToldSoAndPasses() {
        forkWithNewScenario();
        feed(new RunInput.ForkPlanSent(null));
        finishCleanly();

        assertEquals(Verdict.PASSED, decision().verdict(), decision().reason());
        assertTrue(lane(Lane.LIFECYCLE).stream().anyMatch(e -> e.kind().equals("fork_plan")
                && e.text().endsWith("it goes on with its plan")), lane(Lane.LIFECYCLE).toString());
    }

    @Test
    void aHealthyRunPasses() {
        bootAndEnable();
        report(new WireMessage.StepStarted(2, "pingpong"));
        phase(LifecyclePhase.SCENARIO_FINISHED);
        phase(LifecyclePhase.SCHEDULER_STOPPING);
        report(new WireMessage.SchedulerExit(0, 64, "unregistered from user space"));
        phase(LifecyclePhase.POWERING_OFF);
        report(new WireMessage.Exit(0, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));

        assertEquals(Verdict.PASSED, decision().verdict());
        assertEquals(RunPhase.ENDED, fold.status(now).phase());
        assertEquals(List.of("cpu", "pingpong"), lane(Lane.STEPS).stream().map(EventDraft::text).toList());
        assertEquals(2.0, lane(Lane.STEPS).get(1).value());
        assertTrue(actions.isEmpty(), "a run that ends by itself needs no stop: " + actions);
    }

    @Test
    void aSchedulerErrorIsASchedulerFailureWithTheKernelsReasonEvenWhenTheProcessExitedZero() {
        bootAndEnable();
        String reason = "scx_bpf_error (scx_qmap.bpf.c:388: test triggering error) on CPU 0";
        report(new WireMessage.SchedulerExit(0, 1025, reason));
        phase(LifecyclePhase.SCENARIO_FINISHED);
        report(new WireMessage.Exit(0, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));

        assertEquals(new VerdictDecision(Verdict.SCHEDULER_FAILED, reason), decision());
        assertEquals("error", lane(Lane.SCHEDULER).getLast().kind());
    }

    @Test
    void anExitKindAboveTwoToTheThirtyOneIsStillAnErrorKind() {
        bootAndEnable();
        report(new WireMessage.SchedulerExit(0, 0x8000_0001, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        assertEquals(new VerdictDecision(Verdict.SCHEDULER_FAILED, "the scheduler errored out (exit kind 2147483649)"),
                decision());
        assertEquals(2147483649.0, lane(Lane.SCHEDULER).getLast().value());
    }

    @Test
    void thePromotedExitSignalAndTheReportAreRecordedOnce() {
        bootAndEnable();
        WireMessage.SchedulerExit exit = new WireMessage.SchedulerExit(0, 1025, "boom");
        feed(new RunInput.GuestControl(new ControlSignal.SchedulerExited(frameSeq++, exit)));
        report(exit);
        assertEquals(1, lane(Lane.SCHEDULER).stream().filter(e -> e.kind().equals("error")).count());
    }

    @Test
    void aKernelPanicIsAnErrorNamingThePanicAndTheLinesAreKept() {
        bootAndEnable();
        now = 3 * S;
        feed(new RunInput.ConsoleLine("[    4.2] sysrq: Trigger a crash"));
        feed(new RunInput.ConsoleLine("[    4.2] Kernel panic - not syncing: sysrq triggered crash"));
        feed(new RunInput.ConsoleLine("[    4.2] CPU: 1 PID: 80 Comm: ffagent"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));

        assertEquals(new VerdictDecision(Verdict.ERROR, "guest kernel panicked: sysrq triggered crash"), decision());
        assertEquals(3, lane(Lane.CONSOLE).size());
        assertTrue(lane(Lane.LIFECYCLE).stream().anyMatch(e -> e.kind().equals("kernel_panic")));
    }

    @Test
    void aPanicOutranksTheWatchdog() {
        bootAndEnable();
        feed(new RunInput.ConsoleLine("Kernel panic - not syncing: Attempted to kill init!"));
        now = 40 * S;
        feed(new RunInput.Tick());
        assertEquals("guest kernel panicked: Attempted to kill init!", decision().reason());
    }

    @Test
    void qemuKilledMidRunIsAnErrorWithTheReasonAndThePhase() {
        bootAndEnable();
        feed(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));
        VerdictDecision d = decision();
        assertEquals(Verdict.ERROR, d.verdict());
        assertEquals("the VM ended before the run finished: the VMM crashed (signal 9) (last phase: scenario_running, "
                + "step 1 cpu)", d.reason());
    }

    @Test
    void aGuestThatStopsTalkingIsHungAndTheVmIsStopped() {
        bootAndEnable();
        now = 29 * S;
        feed(new RunInput.Tick());
        assertTrue(fold.status(now).decision().isEmpty(), "still within the watchdog limit");
        now = 31 * S;
        feed(new RunInput.Tick());
        VerdictDecision d = decision();
        assertEquals(Verdict.ERROR, d.verdict());
        assertTrue(d.reason().startsWith("hung: the guest showed no progress for 30 s"), d.reason());
        assertEquals(1, actions.size());
        assertTrue(actions.getFirst() instanceof RunAction.StopVm);
        assertTrue(lane(Lane.HARNESS).stream().anyMatch(e -> e.kind().equals("watchdog")));
    }

    @Test
    void aUserFreezeIsOneSpanStampedWhereItBeganAndEndedAndTheWatchdogWaitsMeanwhile() {
        bootAndEnable();
        now = 5 * S;
        feed(new RunInput.UserFrozen(4 * S, "freeze_000"));
        now = 200 * S; // far past the 30 s watchdog, but the user holds the guest
        feed(new RunInput.Tick());
        assertTrue(fold.status(now).decision().isEmpty(), "no watchdog while the user holds the guest frozen");
        assertEquals(0, fold.status(now).sinceProgressNs());
        now = 201 * S;
        feed(new RunInput.UserResumed(4 * S, 200 * S + 7, "freeze_000"));
        List<EventDraft> lifecycle = lane(Lane.LIFECYCLE);
        EventDraft frozen = lifecycle.get(lifecycle.size() - 2);
        EventDraft resumed = lifecycle.getLast();
        assertEquals("frozen", frozen.kind());
        assertEquals(4 * S, frozen.atNs(), "stamped where the freeze began, not when it was folded");
        assertEquals("resumed", resumed.kind());
        assertEquals(200 * S + 7, resumed.atNs());
        assertEquals("{\"frozen_at_ns\":" + 4 * S + ",\"frozen_ns\":" + (196 * S + 7)
                + ",\"guest_clock\":\"paused\",\"tag\":\"freeze_000\"}", resumed.detailJson());
        now = 229 * S; // the watchdog counts from the resume
        feed(new RunInput.Tick());
        assertTrue(fold.status(now).decision().isEmpty(), "the watchdog starts over at the resume");
        now = 231 * S;
        feed(new RunInput.Tick());
        assertTrue(decision().reason().startsWith("hung:"), decision().reason());
    }

    @Test
    void consoleOutputCountsAsProgress() {
        bootAndEnable();
        for (int i = 1; i <= 5; i++) {
            now = i * 20 * S;
            feed(new RunInput.ConsoleLine("still alive " + i));
            feed(new RunInput.Tick());
        }
        assertTrue(fold.status(now).decision().isEmpty());
    }

    @Test
    void anAgentThatFinishesButAVmThatDoesNotPowerOffIsSettledAfterTheGrace() {
        bootAndEnable();
        phase(LifecyclePhase.SCENARIO_FINISHED);
        report(new WireMessage.Exit(0, ""));
        now = 11 * S;
        feed(new RunInput.Tick());
        assertEquals(Verdict.PASSED, decision().verdict());
        assertTrue(actions.getFirst() instanceof RunAction.StopVm);
    }

    @Test
    void aSchedulerThatFailsToLoadIsASchedulerFailureQuotingItsLastWords() {
        feed(new RunInput.GuestControl(new ControlSignal.SysReady(frameSeq++)));
        phase(LifecyclePhase.SCHEDULER_STARTING);
        report(new WireMessage.Stderr("libbpf: prog 'qmap_dequeue': failed to load: -EACCES\n"));
        report(new WireMessage.SchedulerExit(1, 0, ""));
        report(new WireMessage.Exit(3, "the scheduler did not start"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        VerdictDecision d = decision();
        assertEquals(Verdict.SCHEDULER_FAILED, d.verdict());
        assertEquals("the scheduler exited with code 1 before sched_ext enabled it; it said: libbpf: prog "
                + "'qmap_dequeue': failed to load: -EACCES", d.reason());
    }

    @Test
    void aVmThatEndsBeforeSysRdyIsAnError() {
        feed(new RunInput.ConsoleLine("SeaBIOS"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 1 (unknown)")));
        assertEquals(Verdict.ERROR, decision().verdict());
        assertTrue(decision().reason().startsWith("the guest never became ready"), decision().reason());
    }

    @Test
    void aSchedulerThatUnloadsItselfMidScenarioIsInconclusive() {
        bootAndEnable();
        report(new WireMessage.SchedulerExit(0, 64, "unregistered from user space"));
        phase(LifecyclePhase.SCENARIO_FINISHED);
        report(new WireMessage.Exit(0, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        assertEquals(Verdict.INCONCLUSIVE, decision().verdict());
    }

    @Test
    void theAgentsOwnFailureIsAnError() {
        bootAndEnable();
        report(new WireMessage.Exit(2, "cannot fork workers"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        assertEquals(new VerdictDecision(Verdict.ERROR, "guest agent failed: cannot fork workers"), decision());
    }

    @Test
    void cancellingStopsTheVmAndIsInconclusive() {
        bootAndEnable();
        feed(new RunInput.Cancel("cancelled by the user"));
        assertEquals(new VerdictDecision(Verdict.INCONCLUSIVE, "cancelled by the user"), decision());
        assertTrue(actions.getFirst() instanceof RunAction.StopVm);
    }

    @Test
    void afterTheVerdictGuestReportsAreIgnoredButTheConsoleAndVmEndAreStillRecorded() {
        bootAndEnable();
        feed(new RunInput.Cancel("stop"));
        int before = events.size();
        report(new WireMessage.StepStarted(2, "late"));
        assertEquals(before, events.size());
        feed(new RunInput.ConsoleLine("reboot: Power down"));
        feed(new RunInput.VmEnded(new VmEnd("the VM was killed on request")));
        assertEquals(before + 2, events.size());
        assertEquals(RunPhase.ENDED, fold.status(now).phase());
        assertEquals(Verdict.INCONCLUSIVE, decision().verdict(), "the verdict does not change once decided");
    }

    /** Issue 12, "no lost error": the stop is only asked for after the verdict, so its failure must still be recorded. */
    @Test
    void theHarnesssFailuresAfterTheVerdictAreStillRecordedOtherNotesAreNot() {
        bootAndEnable();
        feed(new RunInput.Cancel("stop"));
        int before = events.size();
        feed(new RunInput.HarnessNote(Lane.HARNESS, "vm_started", "late bookkeeping", null));
        assertEquals(before, events.size(), "ordinary notes end with the verdict");
        List<String> failures = List.of("stop_failed", "action_failed", "reply_failed", RunLoop.ARCHIVE_FAILED,
                "hit_failed");
        for (String kind : failures) feed(new RunInput.HarnessNote(Lane.HARNESS, kind, kind + " happened", null));
        assertEquals(failures, events.subList(before, events.size()).stream().map(EventDraft::kind).toList());
        assertEquals(new VerdictDecision(Verdict.INCONCLUSIVE, "stop"), decision(), "the verdict stays");
    }

    @Test
    void schedulerOutputChunksBecomeWholeLinesAndTheTailIsFlushedAtTheEnd() {
        bootAndEnable();
        report(new WireMessage.Stdout("stats  : enq=5"));
        report(new WireMessage.Stdout("15 dsp=513\ncpuperf: cur"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        List<String> lines = lane(Lane.SCHEDULER).stream().filter(e -> e.kind().equals("stdout"))
                .map(EventDraft::text).toList();
        assertEquals(List.of("stats  : enq=515 dsp=513", "cpuperf: cur"), lines);
    }

    @Test
    void phasesNeverMoveBackwards() {
        bootAndEnable();
        phase(LifecyclePhase.SCENARIO_FINISHED);
        phase(LifecyclePhase.SCHEDULER_STARTING);
        assertEquals(RunPhase.SCENARIO_FINISHED, fold.status(now).phase());
    }

    @Test
    void snapshotRequestsAreRecordedAndHandedToTheExecutor() {
        bootAndEnable();
        var request = new WireMessage.SnapshotRequest(7, SnapshotRequestKind.CAPTURE, "mid");
        feed(new RunInput.GuestControl(new ControlSignal.SnapshotRequested(frameSeq++, request)));
        assertEquals(new RunAction.AnswerSnapshotRequest(request), actions.getFirst());
        assertEquals("mid", lane(Lane.SNAPSHOTS).getFirst().text());
    }

    @Test
    void theSymbolTableIsPublishedOnceTheAddressesCloseTheKallsymsDump() {
        report(new WireMessage.KernelSymbols("ffffffff81000000 T _text\nffffffff83e4b000 B total_forks\n"));
        assertEquals(0, fold.status(now).symbols().size(), "not published while chunks are arriving");
        var addresses = new LinkedHashMap<String, Long>();
        addresses.put("_text", 0xffffffff81000000L);
        report(new WireMessage.KernelAddresses(addresses));
        assertEquals(2, fold.status(now).symbols().size());
        assertEquals(0xffffffff83e4b000L, fold.status(now).symbols().resolve("total_forks").orElseThrow().address());
        assertTrue(lane(Lane.HARNESS).stream().anyMatch(e -> e.kind().equals("kernel_symbols") && e.value() == 2.0));
    }

    @Test
    void kernelAddressesWithoutAKallsymsDumpPublishNoTableButAreRecorded() {
        var addresses = new LinkedHashMap<String, Long>();
        addresses.put("scx_root", 0xffffffff83e4afd0L);
        report(new WireMessage.KernelAddresses(addresses));
        assertEquals(0, fold.status(now).symbols().size());
        assertTrue(lane(Lane.HARNESS).stream().anyMatch(e -> e.kind().equals("kernel_addresses") && e.value() == 1.0));
    }

    // ---- verdicts the host can vouch for ----

    /** A crafted guest claims a clean unload and a finished scenario; the host read an error in scx_root. */
    @Test
    void aCraftedGuestCannotTurnAHostReadSchedulerErrorIntoAPass() {
        bootAndEnable();
        feed(new RunInput.HostSchedulerExit(1025, null, null, null));
        feed(new RunInput.HostSchedulerExit(1025, "SCX_EXIT_ERROR_BPF", "scx_bpf_error", "test triggering error"));
        phase(LifecyclePhase.SCENARIO_FINISHED);
        phase(LifecyclePhase.SCHEDULER_STOPPING);
        report(new WireMessage.SchedulerExit(0, 64, "unregistered from user space")); // the lie
        phase(LifecyclePhase.POWERING_OFF);
        report(new WireMessage.Exit(0, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));

        assertEquals(new VerdictDecision(Verdict.SCHEDULER_FAILED, "scx_bpf_error: test triggering error"), decision());
        List<EventDraft> findings = lane(Lane.HARNESS).stream().filter(e -> e.kind().equals("verdict_disagreement"))
                .toList();
        assertEquals(1, findings.size(), "one finding: " + findings);
        assertTrue(findings.getFirst().text().contains("kernel exit kind 64")
                && findings.getFirst().text().contains("exit_kind = 1025"), findings.getFirst().text());
        assertEquals(2, lane(Lane.SCHEDULER).stream().filter(e -> e.kind().equals("host_exit")).count());
    }

    @Test
    void aGuestThatSaysNothingOfTheErrorTheHostReadStillFailsAndTheSilenceIsAFinding() {
        bootAndEnable();
        feed(new RunInput.HostSchedulerExit(1026, null, null, null));
        phase(LifecyclePhase.SCENARIO_FINISHED);
        report(new WireMessage.Exit(0, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));

        assertEquals(new VerdictDecision(Verdict.SCHEDULER_FAILED,
                "the scheduler errored out (exit kind 1026, read by the host)"), decision());
        assertTrue(lane(Lane.HARNESS).stream().anyMatch(e -> e.kind().equals("verdict_disagreement")
                && e.text().startsWith("the guest reported no scheduler exit")), lane(Lane.HARNESS).toString());
    }

    @Test
    void whenHostAndGuestAgreeThereIsNoFindingAndTheHostsReasonIsUsed() {
        bootAndEnable();
        report(new WireMessage.SchedulerExit(0, 1025, "scx_bpf_error (guest text)"));
        feed(new RunInput.HostSchedulerExit(1025, "SCX_EXIT_ERROR_BPF", "scx_bpf_error", "boom"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        assertEquals(new VerdictDecision(Verdict.SCHEDULER_FAILED, "scx_bpf_error: boom"), decision());
        assertTrue(lane(Lane.HARNESS).stream().noneMatch(e -> e.kind().equals("verdict_disagreement")));
    }

    @Test
    void aGuestErrorClaimTheHostSawAsCleanIsKeptAndRecordedAsAFinding() {
        bootAndEnable();
        feed(new RunInput.HostSchedulerExit(64, null, null, null));
        report(new WireMessage.SchedulerExit(0, 1024, "runtime error"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        assertEquals(Verdict.SCHEDULER_FAILED, decision().verdict());
        assertTrue(lane(Lane.HARNESS).stream().anyMatch(e -> e.kind().equals("verdict_disagreement")
                && e.text().contains("error claim is kept")));
    }

    // ---- memory bounded ----

    @Test
    void aFloodedLineWithoutNewlinesIsRecordedInBoundedPiecesWithOneEvent() {
        bootAndEnable();
        String chunk = "x".repeat(1 << 20); // 1 MiB frames, no newline: the partial line must not grow without end
        for (int i = 0; i < 8; i++) report(new WireMessage.Stdout(chunk));
        report(new WireMessage.Stdout("tail\n"));
        List<EventDraft> lines = lane(Lane.SCHEDULER).stream().filter(e -> e.kind().equals("stdout")).toList();
        assertTrue(lines.stream().allMatch(e -> e.text().length() <= RunFold.MAX_OUTPUT_LINE), "bounded pieces");
        assertEquals(8L * (1 << 20) + 4, lines.stream().mapToLong(e -> e.text().length()).sum(), "nothing lost");
        assertTrue(lines.getLast().text().endsWith("tail"));
        assertEquals(1, lane(Lane.HARNESS).stream().filter(e -> e.kind().equals("output_line_split")).count());
    }

    @Test
    void manySmallChunksOfOneLineAreJoinedAndNewlinesInsideAChunkSplitIt() {
        bootAndEnable();
        report(new WireMessage.Stderr("a"));
        report(new WireMessage.Stderr("b\r\nc\n\nd"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        assertEquals(List.of("ab", "c", "", "d"), lane(Lane.SCHEDULER).stream().filter(e -> e.kind().equals("stderr"))
                .map(EventDraft::text).toList());
    }

    @Test
    void aFloodOfSnapshotRequestsIsRefusedBeyondTheBudgetAndRefillsWithTime() {
        bootAndEnable();
        for (int i = 0; i < 100; i++) {
            feed(new RunInput.GuestControl(new ControlSignal.SnapshotRequested(frameSeq++,
                    new WireMessage.SnapshotRequest(i, SnapshotRequestKind.CAPTURE, "t" + i))));
        }
        long answered = actions.stream().filter(a -> a instanceof RunAction.AnswerSnapshotRequest).count();
        long refused = actions.stream().filter(a -> a instanceof RunAction.RefuseSnapshotRequest).count();
        assertEquals(RunFold.REQUEST_BURST, answered);
        assertEquals(100 - RunFold.REQUEST_BURST, refused);
        assertEquals(refused, lane(Lane.SNAPSHOTS).stream().filter(e -> e.kind().equals("rate_limited")).count());
        now += 5 * RunFold.REQUEST_REFILL_NS;
        actions.clear();
        for (int i = 0; i < 6; i++) {
            feed(new RunInput.GuestControl(new ControlSignal.SnapshotRequested(frameSeq++,
                    new WireMessage.SnapshotRequest(200 + i, SnapshotRequestKind.CAPTURE, "later" + i))));
        }
        assertEquals(5, actions.stream().filter(a -> a instanceof RunAction.AnswerSnapshotRequest).count());
    }

    @Test
    void aFloodOfKernelSymbolsStopsAtTheCapWithOneEvent() {
        RunFold small = new RunFold(new RunFold.Limits(RunFold.Limits.DEFAULT.watchdog(),
                RunFold.Limits.DEFAULT.exitGrace(), 50_000));
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < 10_000; i++) chunk.append("ffffffff81000000 T s").append(i).append('\n');
        String text = chunk.toString();
        for (int i = 0; i < 12; i++) {
            events.addAll(small.apply(new RunInput.GuestReport(new VerdictEntry(frameSeq++,
                    new WireMessage.KernelSymbols(text))), now).events());
        }
        events.addAll(small.apply(new RunInput.GuestReport(new VerdictEntry(frameSeq++, new WireMessage.KernelAddresses(
                new LinkedHashMap<>(java.util.Map.of("_text", 0xffffffff81000000L))))), now).events());
        assertEquals(50_000, small.status(now).symbols().size());
        assertEquals(1, lane(Lane.HARNESS).stream().filter(e -> e.kind().equals("symbols_capped")).count());
    }

    // ---- a guest that breaks its channel ----

    @Test
    void aCorruptedChannelThatFallsSilentIsNamedInTheReasonWithItsCounts() {
        feed(new RunInput.GuestControl(new ControlSignal.SysReady(frameSeq++)));
        phase(LifecyclePhase.SCHEDULER_STARTING);
        feed(new RunInput.ChannelCorrupt(4096, 3, 2, null));
        feed(new RunInput.ChannelCorrupt(65536, 7, 9, null));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
        VerdictDecision d = decision();
        assertEquals(Verdict.ERROR, d.verdict());
        assertTrue(d.reason().contains("last phase: scheduler_starting")
                && d.reason().endsWith("the guest's data channel went corrupt and then silent (65536 garbage bytes, 7"
                + " CRC failures, 9 frames dropped)"), d.reason());
        assertEquals(1, lane(Lane.HARNESS).stream().filter(e -> e.kind().equals("channel_corrupt")).count());
    }

    @Test
    void aCorruptedChannelIsNamedWhenTheWatchdogEndsTheRun() {
        bootAndEnable();
        feed(new RunInput.ChannelCorrupt(0, 0, 0, "the channel stopped: the guest wrote a bad ring index"));
        now = 40 * S;
        feed(new RunInput.Tick());
        assertTrue(decision().reason().startsWith("hung: ") && decision().reason().contains("bad ring index"),
                decision().reason());
    }

    @Test
    void theGuestKernelIsPublishedWithAnEventOnceItsBtfIsComplete() {
        report(new WireMessage.KernelBtf(0, 0, 0, "7.3.4+deb13-amd64", "b3997c9bf954ef", new byte[0]));
        var kernel = fold.status(now).kernel().orElseThrow();
        assertEquals("7.3.4+deb13-amd64", kernel.release());
        assertTrue(kernel.types().reasonOrNull().contains("has no BTF"), kernel.types().reasonOrNull());
        var event = lane(Lane.HARNESS).getLast();
        assertEquals("kernel_types_unavailable", event.kind());
        assertTrue(event.text().startsWith("kernel 7.3.4+deb13-amd64 (build id b3997c9bf954…): snapshots cannot be"
                + " decoded"), event.text());
    }

    /** The agent's swap: stopping the scheduler (report and its control-signal promotion), then the next one. */
    private void swapTo(String command, String ops) {
        report(new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_SWAPPING, command));
        WireMessage.SchedulerExit stop = new WireMessage.SchedulerExit(0, 64, "unregistered from user space");
        long seq = frameSeq++;
        feed(new RunInput.GuestReport(new VerdictEntry(seq, stop)));
        feed(new RunInput.GuestControl(new ControlSignal.SchedulerExited(seq, stop)));
        feed(new RunInput.HostSchedulerExit(64, null, null, null));
        report(new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_STARTING, command));
        report(new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_ENABLED, ops));
    }

    private void finishCleanly() {
        phase(LifecyclePhase.SCENARIO_FINISHED);
        phase(LifecyclePhase.SCHEDULER_STOPPING);
        report(new WireMessage.SchedulerExit(0, 64, "unregistered from user space"));
        phase(LifecyclePhase.POWERING_OFF);
        report(new WireMessage.Exit(0, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));
    }

    @Test
    void aSchedulerSwapIsRecordedAndTheRunPassesUnderTheNewScheduler() {
        bootAndEnable();
        swapTo("/usr/bin/scx_simple", "simple");
        assertEquals(RunPhase.SCENARIO_RUNNING, fold.status(now).phase(), "a swap does not rewind the run");
        finishCleanly();

        assertEquals(Verdict.PASSED, decision().verdict(), decision().reason());
        List<EventDraft> stopped = lane(Lane.SCHEDULER).stream().filter(e -> e.kind().equals("scheduler_stopped"))
                .toList();
        assertEquals(1, stopped.size(), "the report and its promotion are one stop: " + stopped);
        assertTrue(stopped.getFirst().text().contains("swapped out for /usr/bin/scx_simple"), stopped.toString());
        assertTrue(lane(Lane.LIFECYCLE).stream().anyMatch(e -> e.kind().equals("scheduler_enabled")
                && e.text().equals("simple")), "the new scheduler's name is recorded");
    }

    @Test
    void anErrorOfTheSwappedInSchedulerIsASchedulerFailureAndTheHostsReadingCounts() {
        bootAndEnable();
        swapTo("/usr/bin/scx_qmap -e 50", "qmap");
        feed(new RunInput.HostSchedulerExit(1025, "SCX_EXIT_ERROR_BPF", "scx_bpf_error", "boom"));
        report(new WireMessage.SchedulerExit(0, 1025, "scx_bpf_error: boom"));
        report(new WireMessage.Exit(0, ""));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));

        assertEquals(Verdict.SCHEDULER_FAILED, decision().verdict());
        assertEquals("scx_bpf_error: boom", decision().reason());
    }

    @Test
    void aSwappedInSchedulerThatNeverStartsFailsTheRunNamingIt() {
        bootAndEnable();
        report(new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_SWAPPING, "/run.d/bin/broken"));
        report(new WireMessage.SchedulerExit(0, 64, "unregistered from user space"));
        report(new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_STARTING, "/run.d/bin/broken"));
        report(new WireMessage.SchedulerExit(1, 0, ""));
        report(new WireMessage.Exit(3, "the scheduler exited before sched_ext enabled it"));
        feed(new RunInput.VmEnded(new VmEnd("the VM exited with code 0 (guest poweroff)")));

        assertEquals(Verdict.SCHEDULER_FAILED, decision().verdict());
        assertTrue(decision().reason().startsWith("the scheduler swapped in (/run.d/bin/broken) ended before sched_ext"
                + " enabled it: exit code 1"), decision().reason());
    }

    @Test
    void anExecWorkersExitFrameBecomesAStepEvent() {
        bootAndEnable();
        report(new WireMessage.ExecExit(1, 0, ExecState.EXITED, 7, "tool", "hello world\nlast line\n"));
        report(new WireMessage.ExecExit(1, 1, ExecState.RUNNING, 0, "tool", ""));
        report(new WireMessage.ExecExit(1, 2, ExecState.KILLED, 9, "tool", "x"));
        List<EventDraft> exits = lane(Lane.STEPS).stream().filter(e -> e.kind().equals("exec_exit")).toList();
        assertEquals(3, exits.size(), exits.toString());
        assertEquals("exec tool (step 1, worker 0) exited with code 7; output ends: last line", exits.get(0).text());
        assertEquals(7.0, exits.get(0).value());
        assertEquals("{\"step\":1,\"worker\":0,\"path\":\"tool\",\"state\":\"exited\",\"code\":7,"
                + "\"output\":\"hello world\\nlast line\\n\"}", exits.get(0).detailJson());
        assertEquals("exec tool (step 1, worker 1) was still running at the step's end", exits.get(1).text());
        assertEquals(null, exits.get(1).value());
        assertEquals("exec tool (step 1, worker 2) was killed by signal 9; output ends: x", exits.get(2).text());
        assertTrue(exits.get(2).detailJson().contains("\"signal\":9"), exits.get(2).detailJson());
    }

    /** The console is anyone's to write: a guest program printing the agent's old line format must not forge one. */
    @Test
    void anExecExitLineOnTheConsoleIsOnlyAConsoleLine() {
        bootAndEnable();
        String forged = "FFAGENT exec-exit step=1 worker=0 path=tool state=exited code=0 output=forged";
        feed(new RunInput.ConsoleLine(forged));
        assertTrue(lane(Lane.STEPS).stream().noneMatch(e -> e.kind().equals("exec_exit")), lane(Lane.STEPS).toString());
        assertTrue(lane(Lane.CONSOLE).stream().anyMatch(e -> e.text().equals(forged)));
    }
}
