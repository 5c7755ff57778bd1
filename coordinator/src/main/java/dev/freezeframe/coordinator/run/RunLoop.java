package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    /** Bounded so a flooding guest slows its own reader threads down instead of exhausting the heap. */
    private static final int QUEUE_CAPACITY = 65_536;
    /** After the verdict, how long to wait for the VM's end before settling without it. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

    private final RunFold fold;
    private final RunEventSink sink;
    private final Consumer<RunAction> actions;
    private final LongSupplier clock;
    private final Duration tickEvery;
    private final BlockingQueue<RunInput> inputs = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicReference<RunStatus> status = new AtomicReference<>(RunStatus.INITIAL);
    private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    private volatile long startNs;
    private long seq;
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

    /** Enqueues an input; blocks only while the queue is full. Inputs after the run settled are ignored. */
    public void submit(RunInput input) {
        if (outcome.isDone()) return;
        try {
            inputs.put(input);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                RunInput input = inputs.poll(tickEvery.toNanos(), TimeUnit.NANOSECONDS);
                long now = clock.getAsLong() - startNs;
                RunFold.Result result = fold.apply(input == null ? new RunInput.Tick() : input, now);
                for (EventDraft draft : result.events()) emit(draft, now);
                RunStatus current = fold.status(now);
                status.set(current);
                for (RunAction action : result.actions()) runAction(action);
                settleIfDone(current, now);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.completeExceptionally(e);
        } catch (RuntimeException e) {
            LOG.error("run loop failed", e);
            outcome.completeExceptionally(e);
        }
    }

    private void settleIfDone(RunStatus current, long now) {
        if (current.decision().isEmpty()) return;
        if (decidedAtNs < 0) decidedAtNs = now;
        boolean vmGone = current.phase() == RunPhase.ENDED;
        if (vmGone || now - decidedAtNs > SETTLE_TIMEOUT.toNanos()) {
            outcome.complete(new RunOutcome(current.decision().get(), seq, now, fold.metrics()));
        }
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
        RunEvent event = new RunEvent(seq++, at, draft.lane(), draft.kind(), draft.text(), draft.value(),
                draft.detailJson());
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            LOG.error("event sink rejected event {}", event.seq(), e);
        }
    }
}
