package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's event loop: every source enqueues {@link RunInput}s; one thread folds them in order with {@link RunFold},
 * stamps the resulting events with their stream position and time, hands them to the sink, passes actions to the
 * executor, and publishes an immutable {@link RunStatus} that readers take without locks.
 */
public final class RunLoop {
    private static final Logger LOG = LoggerFactory.getLogger(RunLoop.class);
    /**
     * Bounded in count and in bytes (an input's text can be up to a frame, 1 MiB), so a flooding guest slows its own
     * reader threads down instead of exhausting the heap.
     */
    private static final int QUEUE_CAPACITY = 65_536;
    static final int QUEUE_BYTES = 32 * 1024 * 1024;
    /** After the verdict, how long to wait for the VM's end before settling without it. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

    private final RunFold fold;
    private final RunEventSink sink;
    private final Consumer<RunAction> actions;
    private final LongSupplier clock;
    private final Duration tickEvery;
    private final BlockingQueue<Queued> inputs = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Semaphore queueBytes = new Semaphore(QUEUE_BYTES);
    private final AtomicLong producerWaits = new AtomicLong();
    private long producerWaitsNoted;
    private long sinkFailures;
    private volatile String firstSinkFailure;
    /** Snapshots captured but not archived (each came as an {@link #ARCHIVE_FAILED} note): the record lacks them. */
    private long snapshotsNotArchived;
    private String firstSnapshotNotArchived;

    /** The harness note a capture submits when its snapshot could not be archived; the outcome counts them. */
    public static final String ARCHIVE_FAILED = "archive_failed";
    private final AtomicReference<RunStatus> status = new AtomicReference<>(RunStatus.INITIAL);
    private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    private volatile long startNs;
    private long seq;
    private long lastAtNs;
    /** Run time of the last tick the fold was given (loop thread only). */
    private long lastTickNs;
    private long decidedAtNs = -1;
    private Thread thread;

    /**
     * @param actions   executes actions; called on the loop thread, so it must hand work off rather than block
     * @param clock     monotonic nanoseconds ({@code System::nanoTime})
     * @param tickEvery how often the watchdog looks at the clock
     */
    public RunLoop(RunFold fold, RunEventSink sink, Consumer<RunAction> actions, LongSupplier clock, Duration tickEvery) {
        this.fold = fold;
        this.sink = sink;
        this.actions = actions;
        this.clock = clock;
        this.tickEvery = tickEvery;
    }

    public synchronized void start(String description) {
        if (thread != null) throw new IllegalStateException("run loop already started");
        startNs = clock.getAsLong();
        emit(new EventDraft(Lane.LIFECYCLE, "run_started", description, null, null), 0);
        thread = Thread.ofPlatform().name("run-loop").daemon(true).start(this::loop);
    }

    /** An input with the run time it was submitted at (when it happened, not when the loop got to it). */
    private record Queued(RunInput input, long atNs, int bytes) {
    }

    /**
     * Enqueues an input stamped with the time now; blocks only while the queue is full (in count or bytes), and the
     * first wait of a burst becomes an {@code input_backpressure} event. Inputs after the run settled are ignored.
     */
    public void submit(RunInput input) {
        if (outcome.isDone()) return;
        int bytes = Math.min(QUEUE_BYTES, weight(input));
        try {
            if (!queueBytes.tryAcquire(bytes)) {
                producerWaits.incrementAndGet();
                queueBytes.acquire(bytes);
            }
            inputs.put(new Queued(input, clock.getAsLong() - startNs, bytes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Roughly what an input holds in memory: its text (two bytes a char) and a fixed overhead. */
    static int weight(RunInput input) {
        long chars = switch (input) {
            case RunInput.GuestReport r -> switch (r.entry().report()) {
                case WireMessage.Stdout o -> o.text().length();
                case WireMessage.Stderr o -> o.text().length();
                case WireMessage.KernelSymbols o -> o.text().length();
                case WireMessage.SchedulerLog o -> o.text().length();
                case WireMessage.KernelAddresses o -> o.addresses().size() * 48L;
                default -> 64;
            };
            case RunInput.ConsoleLine l -> l.line().length();
            case RunInput.HarnessNote n -> n.text().length() + (n.detailJson() == null ? 0 : n.detailJson().length());
            case RunInput.MonitorSamples m -> m.points().size() * 12L; // 24 bytes a point
            default -> 64;
        };
        return (int) Math.min(Integer.MAX_VALUE, 64 + 2 * chars);
    }

    /** Events the sink could not take (the archive failed): the run's record is incomplete by this many. */
    public long sinkFailures() {
        return sinkFailures;
    }

    public RunStatus status() {
        return status.get();
    }

    /** Run time now, on the same clock as the events' times. */
    public long elapsedNanos() {
        return clock.getAsLong() - startNs;
    }

    /** Completes once the verdict is decided and the VM has ended (or did not end within a grace period). */
    public CompletableFuture<RunOutcome> outcome() {
        return outcome;
    }

    private void loop() {
        try {
            while (!outcome.isDone()) {
                Queued queued = inputs.poll(tickEvery.toNanos(), TimeUnit.NANOSECONDS);
                if (queued != null) queueBytes.release(queued.bytes());
                noteBackpressure();
                long now = clock.getAsLong() - startNs;
                // stamped where it happened; never before an event already on the stream
                long at = queued == null ? now : Math.max(lastAtNs, queued.atNs());
                fold(queued == null ? new RunInput.Tick() : queued.input(), at, now);
                // a steady stream of inputs (the live monitor's samples come every 100 ms) must not starve the
                // watchdog: the clock is looked at every tickEvery whether or not the queue ever ran dry
                if (queued == null) {
                    lastTickNs = now;
                } else if (now - lastTickNs >= tickEvery.toNanos()) {
                    lastTickNs = now;
                    fold(new RunInput.Tick(), Math.max(lastAtNs, now), now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.completeExceptionally(e);
        } catch (RuntimeException e) {
            LOG.error("run loop failed", e);
            outcome.completeExceptionally(e);
        }
    }

    private void fold(RunInput input, long at, long now) {
        if (input instanceof RunInput.HarnessNote n && n.kind().equals(ARCHIVE_FAILED)
                && snapshotsNotArchived++ == 0) {
            firstSnapshotNotArchived = n.text();
        }
        RunFold.Result result = fold.apply(input, at);
        for (EventDraft draft : result.events()) emit(draft, at);
        RunStatus current = fold.status(now);
        status.set(current);
        for (RunAction action : result.actions()) runAction(action);
        settleIfDone(current, now);
    }

    private void noteBackpressure() {
        long waits = producerWaits.get();
        if (waits == producerWaitsNoted) return;
        producerWaitsNoted = waits;
        emit(new EventDraft(Lane.HARNESS, "input_backpressure", "the run's input queue was full ("
                + QUEUE_BYTES / (1024 * 1024) + " MiB or " + QUEUE_CAPACITY + " inputs): the guest's readers waited "
                + waits + " times so far", (double) waits, null), Math.max(lastAtNs, clock.getAsLong() - startNs));
    }

    private void settleIfDone(RunStatus current, long now) {
        if (current.decision().isEmpty()) return;
        if (decidedAtNs < 0) decidedAtNs = now;
        boolean vmGone = current.phase() == RunPhase.ENDED;
        if (vmGone || now - decidedAtNs > SETTLE_TIMEOUT.toNanos()) {
            outcome.complete(new RunOutcome(withSinkFailures(current.decision().get()), seq, now, fold.metrics()));
        }
    }

    /** A record the archive could not fully take (events or snapshots) says so in its verdict reason. */
    private VerdictDecision withSinkFailures(VerdictDecision decision) {
        List<String> missing = new ArrayList<>();
        if (sinkFailures > 0) missing.add(sinkFailures + " events could not be archived: " + firstSinkFailure);
        if (snapshotsNotArchived > 0) {
            missing.add(snapshotsNotArchived + (snapshotsNotArchived == 1 ? " snapshot" : " snapshots")
                    + " could not be archived: " + firstSnapshotNotArchived);
        }
        if (missing.isEmpty()) return decision;
        return new VerdictDecision(decision.verdict(), decision.reason() + " (the record is incomplete: "
                + String.join("; ", missing) + ")");
    }

    private void runAction(RunAction action) {
        try {
            actions.accept(action);
        } catch (RuntimeException e) {
            LOG.error("run action {} failed", action, e);
        }
    }

    private void emit(EventDraft draft, long atNs) {
        long at = draft.atNs() == EventDraft.NOW ? atNs : draft.atNs();
        if (draft.atNs() == EventDraft.NOW) lastAtNs = Math.max(lastAtNs, at);
        RunEvent event = new RunEvent(seq++, at, draft.lane(), draft.kind(), draft.text(), draft.value(),
                draft.detailJson());
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            // the run goes on (its verdict still matters) but its record is incomplete: the outcome says so
            if (sinkFailures++ == 0) firstSinkFailure = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("event sink rejected event {}", event.seq(), e);
        }
    }
}
