package dev.freezeframe.coordinator.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.capture.CaptureRequest;
import dev.freezeframe.coordinator.capture.SnapshotCapturer;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernelReader;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.monitor.LiveSampler;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures one snapshot tagged {@value #TAG} when a stall is coming, before the kernel's watchdog kills the scheduler:
 * polls guest RAM without freezing ({@value #POLL_MS} ms) and fires when a sched_ext task that is not running has been
 * runnable longer than half the watchdog timeout, or a CPU with runnable sched_ext tasks has not advanced its
 * {@code rq->scx.clock} for that long (measured in the guest's jiffies, which stand still during freezes). Reads of a
 * running guest can be torn: a poll that reads nonsense just waits for the next one.
 * <p>
 * Every run pays for this watch, monitored or not, so most polls are a cheap look: the oldest runnable age per CPU read
 * the way the live monitor reads it ({@link LiveSampler#oldestRunnableMs}: a few reads with layouts resolved once,
 * tens of µs). The full read of the run queues and their tasks (types looked up, every task's fields; about ten times
 * the cost) runs only when that look finds a task past half the timeout, and every {@value #FULL_READ_EVERY}th poll
 * for the run-queue clock check (whose limit is seconds away) and in case the cheap look missed a task (it looks at the
 * first {@code 64} entries of each list, which is in runnable order). It does not take the monitor's samples: the
 * monitor may be off, and its own reads cost no more than this look.
 */
final class StallOnsetWatch {
    static final String TAG = "stall_onset";
    static final long POLL_MS = 200;
    /** Every how many polls the full read runs even when the cheap look finds nothing (once a second). */
    static final int FULL_READ_EVERY = 5;
    private static final Logger LOG = LoggerFactory.getLogger(StallOnsetWatch.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SnapshotCapturer capturer;
    private final RunLoop loop;
    private final RunCaptures captures;
    /** cpu → {clock, jiffies when that clock value was first seen}. */
    private final Map<Integer, long[]> clocks = new HashMap<>();
    /** The cheap look, prepared for the scheduler of the last full read (null before it, or when it cannot be). */
    private LiveSampler probe;
    /** Half the watchdog timeout in ms, from the last full read (0: not known yet). */
    private long halfMs;
    private long polls;

    StallOnsetWatch(SnapshotCapturer capturer, RunLoop loop, RunCaptures captures) {
        this.capturer = capturer;
        this.loop = loop;
        this.captures = captures;
    }

    /** Polls until the onset is captured, the scheduler exits or the run ends. */
    void run(RunningVm vm) {
        try {
            while (true) {
                RunStatus s = loop.status();
                if (s.ended()) return;
                if (s.phase().atLeast(RunPhase.SCHEDULER_ENABLED) && s.symbols().size() > 0) {
                    Optional<ObjectNode> onset = poll(vm, s);
                    if (onset.isPresent()) {
                        capture(vm, onset.get());
                        return;
                    }
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (VmmException e) {
            LOG.info("stall-onset watch stopped: {}", e.getMessage());
        }
    }

    private Optional<ObjectNode> poll(RunningVm vm, RunStatus s) {
        if (probe != null && halfMs > 0 && ++polls % FULL_READ_EVERY != 0) {
            long oldest = probe.oldestRunnableMs();
            if (oldest != Long.MIN_VALUE && oldest <= halfMs) return Optional.empty(); // nothing near the limit
        }
        SchedExtKernel k;
        ScxState scx;
        synchronized (captures) { // the capturer's type caches are not thread-safe; captures hold this lock
            Read<KernelView> view = capturer.kernelView(vm.memory(), s.symbols(), Optional.empty());
            if (!view.isOk()) return Optional.empty();
            scx = ScxStateReader.read(view.orElse(null));
            if (!scx.attached() || scx.exitKind() != 0) return Optional.empty();
            k = SchedExtKernelReader.readRunQueues(view.orElse(null), scx);
            if (probe == null || !probe.root().equals(scx.root())) {
                probe = LiveSampler.prepare(view.orElse(null), scx, List.of(), 1).map(LiveSampler.Prepared::sampler)
                        .orElse(null);
            }
        }
        long hz = k.sched().hz();
        halfMs = hz <= 0 ? 0 : k.sched().watchdogTimeoutJiffies() * 1000 / hz / 2;
        return onset(k);
    }

    /** The reason to capture now, as the trigger's JSON, or empty. */
    Optional<ObjectNode> onset(SchedExtKernel k) {
        long hz = k.sched().hz();
        if (hz <= 0 || k.sched().watchdogTimeoutJiffies() <= 0) return Optional.empty();
        long halfMs = k.sched().watchdogTimeoutJiffies() * 1000 / hz / 2;
        for (SchedExtKernel.Task t : k.tasks().items()) {
            if (!t.running() && t.runnableForMs() != null && t.runnableForMs() > halfMs
                    && t.runnableForMs() < 100L * halfMs) { // a torn read can make up any age
                ObjectNode o = trigger("a task has been runnable for over half the watchdog timeout", halfMs * 2);
                o.put("pid", t.pid());
                o.put("comm", t.comm());
                o.put("cpu", t.cpu());
                o.put("runnable_for_ms", t.runnableForMs());
                return Optional.of(o);
            }
        }
        long jiffies = k.sched().jiffies();
        for (SchedExtKernel.Cpu c : k.cpus().items()) {
            long[] seen = clocks.get(c.cpu());
            if (seen == null || seen[0] != c.clockNs() || c.runnable() == 0) {
                clocks.put(c.cpu(), new long[] {c.clockNs(), jiffies});
                continue;
            }
            long stuckMs = (jiffies - seen[1]) * 1000 / hz;
            if (stuckMs > halfMs) {
                ObjectNode o = trigger("a CPU with runnable tasks stopped advancing its run-queue clock", halfMs * 2);
                o.put("cpu", c.cpu());
                o.put("clock_stuck_ms", stuckMs);
                o.put("runnable", c.runnable());
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private static ObjectNode trigger(String why, long watchdogMs) {
        ObjectNode o = NODES.objectNode();
        o.put("trigger", "stall onset");
        o.put("why", why);
        o.put("watchdog_timeout_ms", watchdogMs);
        return o;
    }

    private void capture(RunningVm vm, ObjectNode trigger) {
        RunStatus status = loop.status();
        try (FrozenVm frozen = vm.freeze()) {
            captures.capture(frozen, new CaptureRequest(TAG, SnapshotKind.REQUESTED, loop.elapsedNanos(),
                    status.currentStep(), trigger));
        }
        loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, TAG, "stall onset: " + trigger.path("why").asText(),
                trigger.toString()));
    }
}
