package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.introspect.kernel.GuestKernel;
import dev.freezeframe.coordinator.introspect.kernel.GuestKernelAssembler;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.metrics.Expectations;
import dev.freezeframe.coordinator.metrics.GroupLayout;
import dev.freezeframe.coordinator.metrics.StepMetrics;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.monitor.MonitorPoints;
import dev.freezeframe.coordinator.scenario.Expectation;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * The run's lifecycle as a fold: each {@link RunInput} updates the run's facts and yields the events to record and the
 * actions to take; once the facts settle it decides the verdict. Confined to the loop thread, so plain fields; readers
 * see only the immutable {@link RunStatus} it publishes. Pure logic: time comes in as an argument.
 */
public final class RunFold {
    /** {@code enum scx_exit_kind}: values from SCX_EXIT_ERROR (1024) up are errors; below are clean unloads. */
    public static final int SCX_EXIT_ERROR = dev.freezeframe.vmm.kit.GuestContract.SCX_EXIT_ERROR;
    private static final String PANIC_MARKER = "Kernel panic - not syncing";
    private static final int OUTPUT_TAIL_LINES = 20;
    private static final int MAX_PANIC_LINES = 80;
    /** A stdout/stderr line longer than this (in chars) is recorded in pieces of this size. */
    static final int MAX_OUTPUT_LINE = 64 * 1024;
    /** The guest's snapshot requests: a burst of this many, then one more per {@link #REQUEST_REFILL_NS}. */
    static final int REQUEST_BURST = 20;
    /**
     * The harness's failures are recorded whenever they happen: the stop of the VM is only ever asked for once the
     * verdict is decided, and an archive, reply or hit can fail after it too (docs/run-engine.md, "No lost error").
     */
    static final Set<String> RECORDED_AFTER_VERDICT = Set.of("stop_failed", "action_failed", "reply_failed",
            RunLoop.ARCHIVE_FAILED, "hit_failed");
    static final long REQUEST_REFILL_NS = 1_000_000_000L;
    /**
     * Stats-lane events of workload metrics have the kind {@code workload:GROUP/METRIC} (one timeline series each, a
     * point at the end of every step that measured it) and the step's name as their text.
     */
    public static final String METRIC_KIND_PREFIX = "workload:";

    /**
     * @param watchdog   no progress from the guest for this long ends the run as hung
     * @param exitGrace  how long to wait for the VM to end after the agent said it is done
     * @param maxSymbols the most kernel symbols kept from the guest (a flooding guest's rest are dropped, with an event)
     */
    public record Limits(Duration watchdog, Duration exitGrace, int maxSymbols) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(15));

        public Limits {
            if (maxSymbols < 1) throw new IllegalArgumentException("maxSymbols must be at least 1, not " + maxSymbols);
        }

        /** With the symbol cap of {@link KernelSymbolTable.Builder#MAX_SYMBOLS}. */
        public Limits(Duration watchdog, Duration exitGrace) {
            this(watchdog, exitGrace, KernelSymbolTable.Builder.MAX_SYMBOLS);
        }
    }

    /** What one input produced. */
    public record Result(List<EventDraft> events, List<RunAction> actions) {
        static final Result NONE = new Result(List.of(), List.of());
    }

    private final Limits limits;
    private final List<Expectation> expectations;
    private final GroupLayout groups;
    private final List<WorkloadMetric> metrics = new ArrayList<>();
    private final Map<Integer, String> stepNames = new HashMap<>();
    private RunPhase phase = RunPhase.BOOTING;
    private long lastProgressNs;
    private int stepIndex = -1;
    private String stepName = "";
    private WireMessage.SchedulerExit schedulerExit;
    private RunPhase schedulerExitPhase;
    /** A scenario's scheduler swap in progress: the old one is stopping, then the new one is starting. */
    private enum Swap { NONE, STOPPING, STARTING }
    private Swap swap = Swap.NONE;
    private String swapCommand = "";
    private boolean schedulerExitWhileSwapping;
    private long lastExitSeq = -1;
    private WireMessage.SchedulerExit lastExit;
    private RunInput.HostSchedulerExit hostExit;
    private boolean disagreementNoted;
    private WireMessage.Exit agentExit;
    private long agentExitAtNs;
    private String panicMessage;
    private final List<String> panicLines = new ArrayList<>();
    private final Deque<String> schedulerOutputTail = new ArrayDeque<>();
    private final StringBuilder partialStdout = new StringBuilder();
    private final StringBuilder partialStderr = new StringBuilder();
    private final int maxSymbols;
    private KernelSymbolTable.Builder symbolsInFlight;
    private boolean symbolsCapNoted;
    private boolean longLineNoted;
    private double requestTokens = REQUEST_BURST;
    private long requestTokensAtNs;
    private long refusedRequests;
    private KernelSymbolTable symbols = KernelSymbolTable.EMPTY;
    private RunInput.ChannelCorrupt channelCorrupt;
    private final GuestKernelAssembler kernelInFlight = new GuestKernelAssembler();
    private GuestKernel kernel;
    private VmEnd vmEnd;
    private boolean stopRequested;
    private boolean held;
    private VerdictDecision decision;
    /** Run time the verdict was decided at: monitor points read later are not recorded. */
    private long decidedAtNs;
    private long events;
    /** A fork's new scenario the host sent its guest, until the guest says it runs it; else null. */
    private String planAwaited;

    public RunFold(Limits limits) {
        this(limits, List.of());
    }

    /** @param expectations the scenario's assertions on workload metrics, checked when the run would pass */
    public RunFold(Limits limits, List<Expectation> expectations) {
        this(limits, expectations, GroupLayout.NONE);
    }

    /** @param groups the scenario's cgroups, which name and weigh the workers placed in them */
    public RunFold(Limits limits, List<Expectation> expectations, GroupLayout groups) {
        this.groups = groups;
        this.limits = limits;
        this.expectations = List.copyOf(expectations);
        this.maxSymbols = limits.maxSymbols();
        this.symbolsInFlight = new KernelSymbolTable.Builder(maxSymbols);
    }

    /** The workload metrics measured so far, step by step (confined to the loop thread like the rest). */
    public List<WorkloadMetric> metrics() {
        return List.copyOf(metrics);
    }

    public Result apply(RunInput input, long nowNs) {
        if (decision != null && !(input instanceof RunInput.VmEnded) && !(input instanceof RunInput.ConsoleLine)
                && !(input instanceof RunInput.UserResumed) && !(input instanceof RunInput.MonitorSamples)
                && !(input instanceof RunInput.HarnessNote note && RECORDED_AFTER_VERDICT.contains(note.kind()))) {
            // after the verdict only the VM's last words, its end, the close of a freeze span, the monitor's points
            // read before it and the harness's own failures are still recorded
            return Result.NONE;
        }
        boolean undecided = decision == null;
        List<EventDraft> out = new ArrayList<>();
        List<RunAction> actions = new ArrayList<>();
        switch (input) {
            case RunInput.GuestReport report -> {
                lastProgressNs = nowNs;
                onReport(report.entry().report(), report.entry().frameSeq(), out);
            }
            case RunInput.GuestControl control -> {
                lastProgressNs = nowNs;
                onControl(control.signal(), nowNs, out, actions);
            }
            case RunInput.ConsoleLine line -> {
                lastProgressNs = nowNs;
                onConsoleLine(line.line(), out);
            }
            case RunInput.HostSchedulerExit host -> onHostSchedulerExit(host, out);
            case RunInput.ChannelCorrupt corrupt -> {
                if (channelCorrupt == null) {
                    out.add(EventDraft.of(Lane.HARNESS, "channel_corrupt", "the guest's data channel carries garbage ("
                            + corrupt.describe() + "); reports behind it may be lost"));
                }
                channelCorrupt = corrupt;
            }
            case RunInput.VmEnded ended -> onVmEnded(ended.end(), out);
            case RunInput.Tick tick -> onTick(nowNs, out, actions);
            case RunInput.HarnessNote note -> out.add(new EventDraft(note.lane(), note.kind(), note.text(), null,
                    note.detailJson()));
            case RunInput.HarnessFailure failure -> decide(new VerdictDecision(Verdict.ERROR, failure.reason()), out,
                    actions);
            case RunInput.Cancel cancel -> decide(new VerdictDecision(Verdict.INCONCLUSIVE, cancel.reason()), out,
                    actions);
            case RunInput.UserFrozen frozen -> onUserFrozen(frozen, out);
            case RunInput.UserResumed resumed -> onUserResumed(resumed, out);
            case RunInput.ForkReplay replay -> {
                for (RunInput parent : replay.parentInputs()) apply(parent, nowNs); // the parent recorded these
                lastProgressNs = nowNs;
                out.add(EventDraft.of(Lane.LIFECYCLE, "forked", "forked from " + replay.from() + ": the guest runs on "
                        + "from that instant (" + phase.name().toLowerCase() + ", step " + stepIndex + ")"));
            }
            case RunInput.ForkPlanSent sent -> {
                planAwaited = sent.newScenario();
                out.add(EventDraft.of(Lane.LIFECYCLE, "fork_plan", "sent the guest the host's wall clock and fresh"
                        + " randomness" + (planAwaited == null ? "; it goes on with its plan"
                        : " and scenario " + planAwaited + ", to run instead of the rest of its plan")));
            }
            case RunInput.MonitorSamples samples -> {
                MonitorPoints p = samples.points();
                for (int i = 0; i < p.size(); i++) {
                    // the monitor hands a second of points over at once: each keeps the time it was read at
                    if (decision != null && p.atNs(i) > decidedAtNs) continue;
                    out.add(new EventDraft(Lane.STATS, p.kind(i), "", p.value(i), null, p.atNs(i)));
                }
            }
        }
        if (undecided && decision != null) decidedAtNs = nowNs;
        events += out.size();
        return out.isEmpty() && actions.isEmpty() ? Result.NONE : new Result(List.copyOf(out), List.copyOf(actions));
    }

    public RunStatus status(long nowNs) {
        return new RunStatus(phase, stepIndex, stepName, events, held ? 0 : Math.max(0, nowNs - lastProgressNs),
                Optional.ofNullable(decision), symbols, List.copyOf(schedulerOutputTail), Optional.ofNullable(kernel));
    }

    private void onReport(WireMessage.Report report, long frameSeq, List<EventDraft> out) {
        switch (report) {
            case WireMessage.Lifecycle lifecycle -> {
                onSwapPhase(lifecycle);
                RunPhase next = switch (lifecycle.phase()) {
                    case SCHEDULER_SWAPPING -> phase; // a step's action: the run stays where it is
                    case PLAN_REPLACED -> phase; // a fork's new plan: its steps follow in the same phase
                    case SCHEDULER_STARTING -> RunPhase.SCHEDULER_STARTING;
                    case SCHEDULER_ENABLED -> RunPhase.SCHEDULER_ENABLED;
                    case SCENARIO_STARTED -> RunPhase.SCENARIO_RUNNING;
                    case SCENARIO_FINISHED -> RunPhase.SCENARIO_FINISHED;
                    case SCHEDULER_STOPPING -> RunPhase.SCHEDULER_STOPPING;
                    case POWERING_OFF -> RunPhase.POWERING_OFF;
                };
                // Phases only move forward: a replayed or reordered report must not rewind the run.
                if (next.compareTo(phase) > 0) phase = next;
                String text = lifecycle.phase() == dev.freezeframe.coordinator.wire.LifecyclePhase.PLAN_REPLACED
                        ? planReplaced(lifecycle.detail()) : lifecycle.detail();
                out.add(EventDraft.of(Lane.LIFECYCLE, lifecycle.phase().name().toLowerCase(), text));
            }
            case WireMessage.KernelSymbols chunk -> {
                symbolsInFlight.addKallsymsText(chunk.text());
                if (symbolsInFlight.full() && !symbolsCapNoted) {
                    symbolsCapNoted = true;
                    out.add(EventDraft.of(Lane.HARNESS, "symbols_capped", "the guest sent more than " + maxSymbols
                            + " kernel symbols; the rest are ignored"));
                }
            }
            case WireMessage.KernelBtf part -> kernelInFlight.add(part).ifPresent(k -> {
                kernel = k;
                out.add(k.types().isOk()
                        ? EventDraft.of(Lane.HARNESS, "kernel_types", "kernel " + k.describe() + ": types from its BTF")
                        : EventDraft.of(Lane.HARNESS, "kernel_types_unavailable", "kernel " + k.describe()
                                + ": snapshots cannot be decoded: " + k.types().reasonOrNull()));
            });
            case WireMessage.KernelAddresses addresses -> {
                // the addresses follow the whole kallsyms dump: the table is complete now
                if (symbolsInFlight.size() > 0) {
                    symbols = symbolsInFlight.build();
                    symbolsInFlight = new KernelSymbolTable.Builder(maxSymbols);
                    out.add(new EventDraft(Lane.HARNESS, "kernel_symbols", symbols.size() + " kernel symbols received",
                            (double) symbols.size(), null));
                }
                out.add(new EventDraft(Lane.HARNESS, "kernel_addresses",
                        addresses.addresses().size() + " kernel symbol addresses received",
                        (double) addresses.addresses().size(), null));
            }
            case WireMessage.StepStarted step -> {
                stepIndex = step.index();
                stepName = step.name();
                stepNames.put(step.index(), step.name());
                out.add(new EventDraft(Lane.STEPS, "step", step.name(), (double) step.index(), null));
            }
            case WireMessage.Stdout stdout -> lines(partialStdout, stdout.text(), "stdout", out);
            case WireMessage.Stderr stderr -> lines(partialStderr, stderr.text(), "stderr", out);
            case WireMessage.SchedulerLog log -> {
                for (String line : log.text().split("\n")) {
                    if (!line.isBlank()) out.add(EventDraft.of(Lane.SCHEDULER, "kernel_log", line));
                }
            }
            case WireMessage.SchedulerExit exit -> recordSchedulerExit(frameSeq, exit, out);
            case WireMessage.WorkloadMetrics measured -> recordMetrics(measured, out);
            case WireMessage.ExecExit exit -> out.add(ExecExit.event(exit));
            case WireMessage.Exit exit -> {
                if (agentExit == null) {
                    agentExit = exit;
                    agentExitAtNs = lastProgressNs;
                    out.add(EventDraft.of(Lane.LIFECYCLE, "agent_exit",
                            exit.code() == 0 ? "agent finished" : "agent failed: " + exit.reason()));
                }
            }
        }
    }

    /**
     * A fork's guest runs a new scenario from here: its steps are numbered from 1 again, and what the steps of the plan
     * it dropped measured (the parent's, replayed) is not this scenario's, so its expectations do not see it.
     */
    private String planReplaced(String scenario) {
        String text = "the guest runs scenario " + scenario + " from here" + (stepIndex >= 0 ? "; the rest of its plan"
                + " (from step " + stepIndex + " " + stepName + ", cut short) was dropped" : "");
        planAwaited = null;
        metrics.clear();
        stepNames.clear();
        return text;
    }

    /** A token bucket: a guest's requests each freeze the VM, so a flood must not queue freezes without end. */
    private boolean takeRequestToken(long nowNs) {
        requestTokens = Math.min(REQUEST_BURST,
                requestTokens + (double) Math.max(0, nowNs - requestTokensAtNs) / REQUEST_REFILL_NS);
        requestTokensAtNs = nowNs;
        if (requestTokens < 1) return false;
        requestTokens -= 1;
        return true;
    }

    private void onControl(ControlSignal signal, long nowNs, List<EventDraft> out, List<RunAction> actions) {
        switch (signal) {
            case ControlSignal.SysReady ready -> {
                if (phase == RunPhase.BOOTING) phase = RunPhase.READY;
                out.add(EventDraft.of(Lane.LIFECYCLE, "sys_ready", "guest agent ready"));
            }
            case ControlSignal.SnapshotRequested requested -> {
                out.add(EventDraft.of(Lane.SNAPSHOTS, "requested", requested.request().tag()));
                if (takeRequestToken(nowNs)) {
                    actions.add(new RunAction.AnswerSnapshotRequest(requested.request()));
                } else {
                    refusedRequests++;
                    String reason = "snapshot '" + requested.request().tag() + "' refused: the guest asked for more than "
                            + REQUEST_BURST + " snapshots at once (then one a second); " + refusedRequests
                            + " refused so far";
                    out.add(EventDraft.of(Lane.SNAPSHOTS, "rate_limited", reason));
                    actions.add(new RunAction.RefuseSnapshotRequest(requested.request(), reason));
                }
            }
            // The promotion carries the same exit as the SCHED_EXIT report; recording it once is enough.
            case ControlSignal.SchedulerExited exited -> recordSchedulerExit(exited.frameSeq(), exited.exit(), out);
        }
    }

    /** Each metric becomes a point of a series on the stats lane and part of the outcome. */
    private void recordMetrics(WireMessage.WorkloadMetrics measured, List<EventDraft> out) {
        String name = stepNames.getOrDefault(measured.stepIndex(), "step" + measured.stepIndex());
        if (metrics.stream().anyMatch(m -> m.stepIndex() == measured.stepIndex())) return; // a replay: once per step
        for (WorkloadMetric m : StepMetrics.of(name, measured, groups)) {
            metrics.add(m);
            out.add(new EventDraft(Lane.STATS, METRIC_KIND_PREFIX + m.group() + "/" + m.metric().key(), m.stepName(),
                    m.value(), "{\"step\":" + m.stepIndex() + ",\"unit\":\"" + m.metric().unit() + "\"}"));
        }
    }

    /** A scheduler swap: stopping (SCHEDULER_SWAPPING) until the old one's exit, starting until SCHEDULER_ENABLED. */
    private void onSwapPhase(WireMessage.Lifecycle lifecycle) {
        if (lifecycle.phase() == dev.freezeframe.coordinator.wire.LifecyclePhase.SCHEDULER_SWAPPING) {
            swap = Swap.STOPPING;
            swapCommand = lifecycle.detail();
        } else if (lifecycle.phase() == dev.freezeframe.coordinator.wire.LifecyclePhase.SCHEDULER_ENABLED) {
            swap = Swap.NONE;
        }
    }

    private void recordSchedulerExit(long frameSeq, WireMessage.SchedulerExit exit, List<EventDraft> out) {
        // the SCHED_EXIT report and its control-signal promotion are one exit
        if (frameSeq == lastExitSeq && exit.equals(lastExit)) return;
        lastExitSeq = frameSeq;
        lastExit = exit;
        if (swap == Swap.STOPPING && !isErrorKind(exit.kernelExitKind())) {
            // the clean end a swap asked for: recorded, not the run's story; the next scheduler is watched afresh
            swap = Swap.STARTING;
            out.add(new EventDraft(Lane.SCHEDULER, "scheduler_stopped", "swapped out for " + swapCommand + ": "
                    + describeSchedulerExit(exit), (double) Integer.toUnsignedLong(exit.kernelExitKind()), null));
            return;
        }
        if (schedulerExit != null) return;
        schedulerExit = exit;
        schedulerExitPhase = phase;
        schedulerExitWhileSwapping = swap == Swap.STARTING;
        String kind = isErrorKind(exit.kernelExitKind()) ? "error" : "exit";
        out.add(new EventDraft(Lane.SCHEDULER, kind, describeSchedulerExit(exit),
                (double) Integer.toUnsignedLong(exit.kernelExitKind()),
                null));
        noteDisagreement(false, out);
    }

    /** The host's own reading of {@code scx_root}: the kind first (slot 0 latched it), the message once it was read. */
    private void onHostSchedulerExit(RunInput.HostSchedulerExit host, List<EventDraft> out) {
        // the first write of exit_kind counts; a clean one gives way to a later scheduler's (a scenario's swap)
        if (hostExit != null && hostExit.exitKind() != host.exitKind() && hostExit.isError()) return;
        boolean first = hostExit == null || hostExit.exitKind() != host.exitKind();
        hostExit = host;
        if (first || host.reason() != null || host.message() != null) {
            out.add(new EventDraft(Lane.SCHEDULER, "host_exit", describeHostExit(host), (double) host.exitKind(),
                    null));
        }
        noteDisagreement(false, out);
    }

    private static String describeHostExit(RunInput.HostSchedulerExit host) {
        StringBuilder text = new StringBuilder("the host read scx_root->exit_kind = ").append(host.exitKind());
        if (host.kindName() != null) text.append(" (").append(host.kindName()).append(')');
        String reason = hostReason(host);
        if (reason != null) text.append(": ").append(reason);
        return text.toString();
    }

    /** {@code exit_info}'s reason and message as one sentence ("scx_bpf_error: test triggering error"), or null. */
    private static String hostReason(RunInput.HostSchedulerExit host) {
        boolean hasReason = host.reason() != null && !host.reason().isBlank();
        boolean hasMessage = host.message() != null && !host.message().isBlank();
        if (hasReason && hasMessage) return host.reason() + ": " + host.message();
        if (hasReason) return host.reason();
        return hasMessage ? host.message() : null;
    }

    /**
     * A finding when what the guest claims about the scheduler's end differs from what the host read. While the run
     * goes on only a contradiction counts; at the verdict a host-seen error the guest never reported counts too.
     */
    private void noteDisagreement(boolean atVerdict, List<EventDraft> out) {
        if (disagreementNoted || hostExit == null) return;
        String guest;
        if (schedulerExit == null) {
            if (!atVerdict || !hostExit.isError()) return;
            guest = "the guest reported no scheduler exit";
        } else if (Integer.toUnsignedLong(schedulerExit.kernelExitKind()) == hostExit.exitKind()) {
            return;
        } else if (schedulerExit.kernelExitKind() == 0 && !hostExit.isError()) {
            return; // the agent knows no kind for a clean unload; nothing is claimed
        } else {
            guest = "the guest reported " + describeSchedulerExit(schedulerExit);
        }
        disagreementNoted = true;
        String decides = hostExit.isError() ? "the host's reading decides the verdict"
                : "the guest's error claim is kept (a later scheduler instance is not watched)";
        String detail = "{\"host_exit_kind\":" + hostExit.exitKind() + ",\"guest_exit_kind\":"
                + (schedulerExit == null ? "null" : Integer.toUnsignedLong(schedulerExit.kernelExitKind())) + "}";
        out.add(new EventDraft(Lane.HARNESS, "verdict_disagreement", guest + ", but " + describeHostExit(hostExit)
                + "; " + decides, null, detail));
    }

    private void onConsoleLine(String line, List<EventDraft> out) {
        out.add(EventDraft.of(Lane.CONSOLE, "line", line));
        int marker = line.indexOf(PANIC_MARKER);
        if (marker >= 0 && panicMessage == null) {
            String rest = line.substring(marker + PANIC_MARKER.length()).replaceFirst("^:\\s*", "").strip();
            panicMessage = rest.isEmpty() ? "no message" : rest;
            out.add(EventDraft.of(Lane.LIFECYCLE, "kernel_panic", panicMessage));
        }
        if (panicMessage != null && panicLines.size() < MAX_PANIC_LINES) panicLines.add(line);
    }

    private void onVmEnded(VmEnd end, List<EventDraft> out) {
        if (vmEnd != null) return;
        vmEnd = end;
        out.add(EventDraft.of(Lane.LIFECYCLE, "vm_ended", end.describe()));
        flushPartialLines(out);
        if (decision == null) decide(decideAtVmEnd(), out, new ArrayList<>());
        phase = RunPhase.ENDED;
    }

    private void onUserFrozen(RunInput.UserFrozen frozen, List<EventDraft> out) {
        held = true;
        String detail = "{\"frozen_at_ns\":" + frozen.atNs() + ",\"tag\":\"" + frozen.tag()
                + "\",\"guest_clock\":\"paused\"}";
        out.add(new EventDraft(Lane.LIFECYCLE, "frozen", "guest frozen by the user (" + frozen.tag() + ")", null,
                detail, frozen.atNs()));
    }

    /** The guest's clock stood still while held (QEMU stops its virtual clock): the waits start over from here. */
    private void onUserResumed(RunInput.UserResumed resumed, List<EventDraft> out) {
        held = false;
        long frozenNs = resumed.atNs() - resumed.frozenAtNs();
        lastProgressNs = Math.max(lastProgressNs, resumed.atNs());
        if (agentExit != null) agentExitAtNs += frozenNs;
        String detail = "{\"frozen_at_ns\":" + resumed.frozenAtNs() + ",\"frozen_ns\":" + frozenNs
                + ",\"guest_clock\":\"paused\",\"tag\":\"" + resumed.tag() + "\"}";
        out.add(new EventDraft(Lane.LIFECYCLE, "resumed", "guest resumed after " + frozenNs / 1_000_000 + " ms frozen ("
                + resumed.tag() + ")", (double) frozenNs, detail, resumed.atNs()));
    }

    private void onTick(long nowNs, List<EventDraft> out, List<RunAction> actions) {
        if (held) return; // the user holds the guest frozen: no progress is expected, so neither timeout runs
        if (agentExit != null && nowNs - agentExitAtNs > limits.exitGrace().toNanos()) {
            // The agent is done but the VM did not power off: decide from what we have, then stop it.
            decide(decideFromFacts(), out, actions);
            return;
        }
        if (nowNs - lastProgressNs > limits.watchdog().toNanos()) {
            long seconds = limits.watchdog().toSeconds();
            out.add(EventDraft.of(Lane.HARNESS, "watchdog", "no progress from the guest for " + seconds + " s"));
            decide(new VerdictDecision(Verdict.ERROR, "hung: the guest showed no progress for " + seconds
                    + " s (last phase: " + phase.name().toLowerCase() + stepSuffix() + ")" + channelSuffix()), out,
                    actions);
        }
    }

    private void decide(VerdictDecision verdict, List<EventDraft> out, List<RunAction> actions) {
        if (decision != null) return;
        // Facts that outrank the trigger: a panic or a scheduler error seen before it is the real story.
        decision = panicMessage != null || schedulerErrored() ? decideFromFacts() : verdict;
        noteDisagreement(true, out);
        out.add(new EventDraft(Lane.LIFECYCLE, "verdict", decision.verdict().wireName() + ": " + decision.reason(),
                null, null));
        if (vmEnd == null && !stopRequested) {
            stopRequested = true;
            actions.add(new RunAction.StopVm(decision.reason()));
        }
    }

    private VerdictDecision decideAtVmEnd() {
        if (panicMessage != null || schedulerErrored() || agentExit != null) return decideFromFacts();
        if (phase == RunPhase.BOOTING) {
            return new VerdictDecision(Verdict.ERROR, "the guest never became ready: " + vmEnd.describe()
                    + " before the agent said SYS_RDY; see the console" + channelSuffix());
        }
        return new VerdictDecision(Verdict.ERROR, "the VM ended before the run finished: " + vmEnd.describe()
                + " (last phase: " + phase.name().toLowerCase() + stepSuffix() + ")" + channelSuffix());
    }

    /** The verdict from what the guest reported, strongest evidence first. */
    private VerdictDecision decideFromFacts() {
        if (panicMessage != null) {
            return new VerdictDecision(Verdict.ERROR, "guest kernel panicked: " + panicMessage);
        }
        if (hostExit != null && hostExit.isError()) {
            String reason = hostReason(hostExit);
            if (reason == null && guestErrored()) reason = schedulerExit.reason();
            return new VerdictDecision(Verdict.SCHEDULER_FAILED, reason == null || reason.isBlank()
                    ? "the scheduler errored out (exit kind " + hostExit.exitKind() + ", read by the host)" : reason);
        }
        if (guestErrored()) {
            String kind = Integer.toUnsignedString(schedulerExit.kernelExitKind());
            return new VerdictDecision(Verdict.SCHEDULER_FAILED, schedulerExit.reason().isBlank()
                    ? "the scheduler errored out (exit kind " + kind + ")" : schedulerExit.reason());
        }
        if (schedulerExit != null && schedulerExitWhileSwapping) {
            return new VerdictDecision(Verdict.SCHEDULER_FAILED, "the scheduler swapped in (" + swapCommand
                    + ") ended before sched_ext enabled it: exit code " + schedulerExit.exitCode() + lastOutputLine());
        }
        if (schedulerExit != null && !schedulerExitPhase.atLeast(RunPhase.SCHEDULER_ENABLED)
                && schedulerExit.exitCode() != 0) {
            return new VerdictDecision(Verdict.SCHEDULER_FAILED, "the scheduler exited with code "
                    + schedulerExit.exitCode() + " before sched_ext enabled it" + lastOutputLine());
        }
        if (agentExit == null) {
            return new VerdictDecision(Verdict.INCONCLUSIVE, "the run ended before the guest agent finished"
                    + channelSuffix());
        }
        if (agentExit.code() != 0) {
            return new VerdictDecision(Verdict.ERROR, "guest agent failed: " + agentExit.reason());
        }
        if (schedulerExit != null && schedulerExitPhase.compareTo(RunPhase.SCENARIO_FINISHED) < 0) {
            return new VerdictDecision(Verdict.INCONCLUSIVE, "the scheduler unloaded during the scenario ("
                    + describeSchedulerExit(schedulerExit) + ")");
        }
        if (planAwaited != null) {
            return new VerdictDecision(Verdict.INCONCLUSIVE, "the guest never took the fork's new scenario "
                    + planAwaited + ": it went on with the parent's plan (was the parent's guest kit built before"
                    + " forks could change scenario?)");
        }
        if (!phase.atLeast(RunPhase.SCENARIO_FINISHED)) {
            return new VerdictDecision(Verdict.INCONCLUSIVE, "the agent finished without completing the scenario");
        }
        Optional<String> miss = Expectations.firstMiss(expectations, metrics);
        if (miss.isPresent()) return new VerdictDecision(Verdict.FAILED_EXPECTATION, miss.get());
        return new VerdictDecision(Verdict.PASSED, "the scenario completed and the scheduler stayed healthy");
    }

    /** The host's reading or the guest's report says the scheduler errored (a guest cannot un-say the host's). */
    private boolean schedulerErrored() {
        return (hostExit != null && hostExit.isError()) || guestErrored();
    }

    private boolean guestErrored() {
        return schedulerExit != null && isErrorKind(schedulerExit.kernelExitKind());
    }

    /** The wire carries the exit kind as a u32 in a Java int: compare unsigned so huge guest values stay errors. */
    private static boolean isErrorKind(int kernelExitKind) {
        return Integer.compareUnsigned(kernelExitKind, SCX_EXIT_ERROR) >= 0;
    }

    private static String describeSchedulerExit(WireMessage.SchedulerExit exit) {
        StringBuilder text = new StringBuilder("scheduler ended: exit code ").append(exit.exitCode());
        if (exit.kernelExitKind() != 0) {
            text.append(", kernel exit kind ").append(Integer.toUnsignedString(exit.kernelExitKind()));
        }
        if (!exit.reason().isBlank()) text.append(", ").append(exit.reason());
        return text.toString();
    }

    /** Why the guest's reports may have stopped: its channel was corrupted (by the guest itself, it is root there). */
    private String channelSuffix() {
        return channelCorrupt == null ? "" : "; the guest's data channel went corrupt and then silent ("
                + channelCorrupt.describe() + ")";
    }

    private String stepSuffix() {
        return stepIndex >= 0 ? ", step " + stepIndex + " " + stepName : "";
    }

    private String lastOutputLine() {
        return schedulerOutputTail.isEmpty() ? "" : "; it said: " + schedulerOutputTail.peekLast();
    }

    /**
     * Output chunks are not whole lines: keep the partial tail until its newline arrives. Only the new chunk is scanned
     * (linear in the output), and a line longer than {@link #MAX_OUTPUT_LINE} is recorded in pieces of that size.
     */
    private void lines(StringBuilder partial, String chunk, String kind, List<EventDraft> out) {
        int start = 0;
        int newline;
        while ((newline = chunk.indexOf('\n', start)) >= 0) {
            appendBounded(partial, chunk, start, newline, kind, out);
            emitOutputLine(kind, partial.toString().replace("\r", ""), out);
            partial.setLength(0);
            start = newline + 1;
        }
        appendBounded(partial, chunk, start, chunk.length(), kind, out);
    }

    private void appendBounded(StringBuilder partial, String chunk, int from, int to, String kind,
                               List<EventDraft> out) {
        while (partial.length() + (to - from) > MAX_OUTPUT_LINE) {
            int take = MAX_OUTPUT_LINE - partial.length();
            partial.append(chunk, from, from + take);
            from += take;
            if (!longLineNoted) {
                longLineNoted = true;
                out.add(EventDraft.of(Lane.HARNESS, "output_line_split", "the scheduler's " + kind + " has a line longer"
                        + " than " + MAX_OUTPUT_LINE / 1024 + " KiB; such lines are recorded in pieces"));
            }
            emitOutputLine(kind, partial.toString().replace("\r", ""), out);
            partial.setLength(0);
        }
        partial.append(chunk, from, to);
    }

    private void flushPartialLines(List<EventDraft> out) {
        if (!partialStdout.isEmpty()) emitOutputLine("stdout", partialStdout.toString(), out);
        if (!partialStderr.isEmpty()) emitOutputLine("stderr", partialStderr.toString(), out);
        partialStdout.setLength(0);
        partialStderr.setLength(0);
    }

    private void emitOutputLine(String kind, String line, List<EventDraft> out) {
        out.add(EventDraft.of(Lane.SCHEDULER, kind, line));
        if (!line.isBlank()) {
            schedulerOutputTail.addLast(line);
            if (schedulerOutputTail.size() > OUTPUT_TAIL_LINES) schedulerOutputTail.removeFirst();
        }
    }
}
