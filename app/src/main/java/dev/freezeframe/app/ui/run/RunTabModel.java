package dev.freezeframe.app.ui.run;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.ForkLink;
import dev.freezeframe.persistence.RunDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The state of one run tab that its toolbar, tab title and the status bar show: guest state, step, counts, verdict,
 * watch slots and which controls apply. Fed from a {@link LiveRun}'s state (coalesced: at most one update per FX pulse)
 * or once from the archive for an ended run. FX thread only, except where noted.
 */
public final class RunTabModel {
    private final long runId;
    private final Optional<LiveRun> live;
    private final Consumer<Runnable> fxThread;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyObjectWrapper<GuestState> guestState = new ReadOnlyObjectWrapper<>(this, "guestState",
            GuestState.BOOTING);
    private final ReadOnlyLongWrapper elapsedNs = new ReadOnlyLongWrapper(this, "elapsedNs", 0);
    private final ReadOnlyLongWrapper frozenSinceNs = new ReadOnlyLongWrapper(this, "frozenSinceNs", -1);
    private final ReadOnlyStringWrapper frozenTag = new ReadOnlyStringWrapper(this, "frozenTag", "");
    private final ReadOnlyStringWrapper step = new ReadOnlyStringWrapper(this, "step", "");
    private final ReadOnlyLongWrapper events = new ReadOnlyLongWrapper(this, "events", 0);
    private final ReadOnlyLongWrapper snapshots = new ReadOnlyLongWrapper(this, "snapshots", 0);
    private final ReadOnlyLongWrapper ingestLag = new ReadOnlyLongWrapper(this, "ingestLag", 0);
    private final ReadOnlyLongWrapper committedSeq = new ReadOnlyLongWrapper(this, "committedSeq", -1);
    private final ReadOnlyStringWrapper verdict = new ReadOnlyStringWrapper(this, "verdict", "");
    private final ReadOnlyStringWrapper reason = new ReadOnlyStringWrapper(this, "reason", "");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    private final ReadOnlyObjectWrapper<RunControls> controls = new ReadOnlyObjectWrapper<>(this, "controls",
            RunControls.NONE);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private final ReadOnlyObjectWrapper<ForkLink> origin = new ReadOnlyObjectWrapper<>(this, "origin");
    private final ObservableList<WatchSlotState> slots = FXCollections.observableArrayList();
    private final ObservableList<WatchSlotState> slotsView = FXCollections.unmodifiableObservableList(slots);
    private final AtomicReference<LiveRunState> latest = new AtomicReference<>();
    private final AtomicBoolean applyPending = new AtomicBoolean();
    /** How often steady progress alone is applied (10 Hz: what a reader of counters and a following tail needs). */
    static final long STEADY_APPLY_NS = 100_000_000L;
    private final AtomicBoolean delayedApply = new AtomicBoolean();
    private volatile long lastApplyNs = System.nanoTime() - STEADY_APPLY_NS;
    private LiveRun.Subscription subscription;
    private LiveRunState lastApplied;
    private Optional<String> kernelRelease = Optional.empty();

    private RunTabModel(long runId, Optional<LiveRun> live, Consumer<Runnable> fxThread) {
        this.runId = runId;
        this.live = live;
        this.fxThread = fxThread;
        for (int i = 0; i < 4; i++) slots.add(WatchSlotState.free(i));
    }

    /** A run that has ended (or whose recorder is gone): what the archive holds, read-only. */
    public static RunTabModel archived(RunDetail detail) {
        ArchivedRun run = detail.run();
        RunTabModel m = new RunTabModel(run.id(), Optional.empty(), Runnable::run);
        m.title.set(titleOf(run.id(), run.scheduler()));
        m.summary.set(summaryOf(run.scheduler(), run.schedulerArgs(), run.scenario(), run.vcpus(), run.memoryMib(),
                run.kernelVersion().orElse(run.kernel())));
        m.guestState.set(GuestState.ARCHIVED);
        m.kernelRelease = run.kernelVersion();
        m.elapsedNs.set(detail.lastEventNs().orElse(0L));
        m.events.set(detail.eventCount());
        m.snapshots.set(detail.snapshotCount());
        m.verdict.set(run.verdictLabel());
        m.reason.set(run.reason().orElse(""));
        List<String> notes = new ArrayList<>();
        if (run.verdict().isEmpty() && !run.recording()) {
            notes.add("interrupted: the process recording this run ended before a verdict; everything it committed is"
                    + " kept");
        }
        if (run.verdict().isEmpty() && run.recording()) {
            notes.add("another Freezeframe process is recording this run; reopen it to see more");
        }
        run.archiveNote().ifPresent(notes::add);
        m.note.set(String.join(" · ", notes));
        return m;
    }

    /**
     * A run in progress. State updates arrive on engine threads and are applied on the FX thread through
     * {@code fxThread}, at most one pending at a time (the newest wins).
     */
    public static RunTabModel live(LiveRun run, Consumer<Runnable> fxThread) {
        RunTabModel m = new RunTabModel(run.runId(), Optional.of(run), fxThread);
        m.title.set(titleOf(run.runId(), run.config().scheduler()));
        m.summary.set(summaryOf(run.config().scheduler(), String.join(" ", run.config().schedulerArgs()),
                run.config().scenario(), run.config().vcpus(), run.config().memoryMib(),
                run.config().kernel().equals("kit") ? "kit kernel" : run.config().kernel()));
        m.apply(run.state());
        m.subscription = run.onState(m::offer);
        return m;
    }

    private static String titleOf(long id, String scheduler) {
        String name = scheduler.contains("/") ? scheduler.substring(scheduler.lastIndexOf('/') + 1) : scheduler;
        return "#" + id + " " + name;
    }

    private static String summaryOf(String scheduler, String args, String scenario, int vcpus, int memoryMib,
                                    String kernel) {
        String mem = memoryMib % 1024 == 0 ? memoryMib / 1024 + " GiB" : memoryMib + " MiB";
        return (scheduler + " " + args).strip() + " · " + scenario + " · " + vcpus + " vCPU · " + mem + " · " + kernel;
    }

    /**
     * Any thread: remembers the newest state and schedules one apply. A run that records thousands of events a second
     * offers a new state for each; when only its progress moved (elapsed time, event counts), the views get it at most
     * every {@link #STEADY_APPLY_NS} — at the event rate, the timeline re-drew and the toolbar and status bar re-laid
     * out at every pulse. Anything else (phase, frozen, step, snapshots, slots, verdict) is applied at once.
     */
    private void offer(LiveRunState state) {
        LiveRunState previous = latest.getAndSet(state);
        long wait = lastApplyNs + STEADY_APPLY_NS - System.nanoTime();
        if (previous != null && wait > 0 && onlyProgressed(previous, state)) {
            if (delayedApply.compareAndSet(false, true)) {
                dev.freezeframe.timeline.PaintTurns.after(wait, () -> {
                    delayedApply.set(false);
                    scheduleApply();
                });
            }
            return;
        }
        scheduleApply();
    }

    private void scheduleApply() {
        if (applyPending.compareAndSet(false, true)) {
            fxThread.accept(() -> {
                applyPending.set(false);
                lastApplyNs = System.nanoTime();
                LiveRunState newest = latest.get();
                if (newest != null) apply(newest);
            });
        }
    }

    /** Whether {@code b} differs from {@code a} only in the run's steady progress. */
    static boolean onlyProgressed(LiveRunState a, LiveRunState b) {
        return a.phase() == b.phase() && a.frozen() == b.frozen() && a.frozenSinceNs() == b.frozenSinceNs()
                && a.stepIndex() == b.stepIndex() && a.stepCount() == b.stepCount()
                && a.stepName().equals(b.stepName()) && a.snapshots() == b.snapshots()
                && a.verdict().equals(b.verdict()) && a.reason().equals(b.reason()) && a.slots().equals(b.slots())
                && a.frozenTag().equals(b.frozenTag());
    }

    private void apply(LiveRunState s) {
        lastApplied = s;
        elapsedNs.set(s.elapsedNs());
        frozenSinceNs.set(s.frozen() ? s.frozenSinceNs() : -1);
        frozenTag.set(s.frozen() ? s.frozenTag() : "");
        events.set(s.events());
        snapshots.set(s.snapshots());
        ingestLag.set(Math.max(0, s.events() - 1 - s.committedSeq()));
        committedSeq.set(s.committedSeq());
        step.set(s.stepIndex() < 0 ? "" : "step " + s.stepIndex() + "/" + s.stepCount()
                + (s.stepName().isEmpty() ? "" : " \"" + s.stepName() + "\""));
        verdict.set(s.verdict().map(Verdict::wireName).orElse(""));
        reason.set(s.reason());
        if (!s.slots().isEmpty() && !s.slots().equals(slots)) slots.setAll(s.slots());
        guestState.set(stateOf(s));
        controls.set(RunControls.of(s, busy.get()));
    }

    private GuestState stateOf(LiveRunState s) {
        if (s.ended()) return GuestState.ENDED;
        if (s.phase().compareTo(dev.freezeframe.coordinator.run.RunPhase.READY) < 0) return GuestState.BOOTING;
        if (busy.get()) return s.frozen() ? GuestState.RESUMING : GuestState.FREEZING;
        return s.frozen() ? GuestState.FROZEN : GuestState.RUNNING;
    }

    // ---- controls: each returns the engine's answer; refusals complete exceptionally with its sentence ----

    public CompletableFuture<String> freeze() {
        return control(controls.get().freeze(), true, () -> live.get().freeze());
    }

    public CompletableFuture<String> resume() {
        return control(controls.get().resume(), true, () -> live.get().resume());
    }

    /** Runs (or resumes) the guest until the next hit of any armed watch, where it stays frozen (F9). */
    public CompletableFuture<String> runToNextHit() {
        return control(controls.get().arm(), true, () -> live.get().runToNextHit());
    }

    public CompletableFuture<String> captureNow() {
        return control(controls.get().capture(), false, () -> live.get().captureNow());
    }

    /**
     * Captures a snapshot that keeps the whole VM state (a run can be forked from it once this one has ended); only
     * for a run started forkable. Completes with the engine's answer (the tag).
     */
    public CompletableFuture<String> captureForkable() {
        return control(captureForkableUnavailable(), false, () -> live.get().captureForkable());
    }

    /** Why "Capture forkable" does not apply now, or empty. */
    public String captureForkableUnavailable() {
        if (live.isEmpty()) return RunControls.ENDED;
        if (!live.get().forkable()) {
            return "this run keeps no VM state: only a run started with \"Forkable snapshots\" (--forkable) can"
                    + " capture forkable ones";
        }
        return controls.get().capture();
    }

    /** Whether the run's snapshots keep the whole VM state (a live run started forkable). */
    public boolean forkable() {
        return live.map(LiveRun::forkable).orElse(false);
    }

    /** Whether the run has ended (archived, or a live run with its verdict). */
    public boolean ended() {
        return !guestState.get().live();
    }

    /** Where this run was forked from, once read from the archive; null when it is not a fork. */
    public void setOrigin(ForkLink link) {
        origin.set(link);
    }

    public ReadOnlyObjectProperty<ForkLink> originProperty() {
        return origin.getReadOnlyProperty();
    }

    public CompletableFuture<String> arm(String watchSpec) {
        return control(controls.get().arm(), false, () -> live.get().arm(watchSpec));
    }

    /** Arms a watch on a kernel address with a label (a snapshot field's "Watch this field"). */
    public CompletableFuture<String> watchAddress(long address, int size, String label) {
        return control(controls.get().arm(), false, () -> live.get().watchAddress(address, size, label));
    }

    public CompletableFuture<String> disarm(int slot) {
        return control(controls.get().arm(), false, () -> live.get().disarm(slot));
    }

    /** Whether a hit of user slot {@code slot} keeps the guest frozen on its snapshot until resumed. */
    public CompletableFuture<String> setStayFrozen(int slot, boolean stay) {
        return control(controls.get().arm(), false, () -> live.get().setStayFrozen(slot, stay));
    }

    public CompletableFuture<String> stop() {
        String why = controls.get().stop();
        if (!why.isEmpty() || live.isEmpty()) return refused(why.isEmpty() ? RunControls.ENDED : why);
        live.get().stop("stopped by the user");
        return CompletableFuture.completedFuture("stopping the run");
    }

    private CompletableFuture<String> control(String unavailable, boolean marksBusy,
                                              Supplier<CompletableFuture<String>> action) {
        if (live.isEmpty()) return refused(RunControls.ENDED);
        if (!unavailable.isEmpty()) return refused(unavailable);
        if (marksBusy) setBusy(true);
        CompletableFuture<String> answer;
        try {
            answer = action.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        answer.whenComplete((text, failure) -> fxThread.accept(() -> {
            if (marksBusy) setBusy(false);
            if (failure != null) result.completeExceptionally(unwrap(failure));
            else result.complete(text);
        }));
        return result;
    }

    private void setBusy(boolean on) {
        busy.set(on);
        if (lastApplied != null) apply(latest.get() != null ? latest.get() : lastApplied);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static CompletableFuture<String> refused(String why) {
        return CompletableFuture.failedFuture(new CoordinatorException(capitalize(why) + "."));
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Stops listening to the live run (the run itself goes on). */
    public void detach() {
        if (subscription != null) subscription.close();
        subscription = null;
    }

    public long runId() {
        return runId;
    }

    public Optional<LiveRun> liveRun() {
        return live;
    }

    public boolean isLive() {
        return live.isPresent();
    }

    /** The guest kernel's release as the archive recorded it (archived runs); empty for a live run. */
    public Optional<String> kernelRelease() {
        return kernelRelease;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<GuestState> guestStateProperty() {
        return guestState.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty elapsedNsProperty() {
        return elapsedNs.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty frozenSinceNsProperty() {
        return frozenSinceNs.getReadOnlyProperty();
    }

    /** While frozen, the snapshot the hold shows ({@code freeze_003}, or a held watch hit's); else empty. */
    public ReadOnlyStringProperty frozenTagProperty() {
        return frozenTag.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stepProperty() {
        return step.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty eventsProperty() {
        return events.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty snapshotsProperty() {
        return snapshots.getReadOnlyProperty();
    }

    /** Events recorded but not yet committed to the archive. */
    public ReadOnlyLongProperty ingestLagProperty() {
        return ingestLag.getReadOnlyProperty();
    }

    /** The highest event seq the archive holds for a live run (-1 before any); views read the archive up to it. */
    public ReadOnlyLongProperty committedSeqProperty() {
        return committedSeq.getReadOnlyProperty();
    }

    /** The verdict's wire name, or empty while the run goes on. */
    public ReadOnlyStringProperty verdictProperty() {
        return verdict.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty reasonProperty() {
        return reason.getReadOnlyProperty();
    }

    /** What the archive says about the record's completeness (interrupted, imported cut-off), or empty. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<RunControls> controlsProperty() {
        return controls.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Watch slots 0..3. */
    public ObservableList<WatchSlotState> slots() {
        return slotsView;
    }
}
