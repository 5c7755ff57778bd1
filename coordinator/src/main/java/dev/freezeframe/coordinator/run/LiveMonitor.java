package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.AddressSpace;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.MonitorConfig;
import dev.freezeframe.coordinator.monitor.LiveSampler;
import dev.freezeframe.coordinator.monitor.MonitorPoints;
import dev.freezeframe.coordinator.monitor.MonitorSpec;
import dev.freezeframe.vmm.RunningVm;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live monitor of one run: while the scheduler is attached, every {@link MonitorConfig#interval()} it reads the
 * kernel's sched_ext counters and the user's map fields from guest RAM without freezing ({@link LiveSampler}), each
 * point stamped with the run time it was read at, and hands them to the run loop in batches ({@link #FLUSH_EVERY_NS}:
 * one {@link RunInput.MonitorSamples} a second, so the loop and the archive writer wake once a second for the monitor,
 * not once a sample), which become points on the stats lane. It has its
 * own type caches (the capturer's are not thread-safe), so it never waits for a capture nor holds one up. A sample that
 * cannot be read is counted, never fatal; the counts are a {@code monitor} event when the workload ends.
 */
public final class LiveMonitor {
    static final String KIND = "monitor";
    private static final int MAX_BACKLOG_TICKS = 10;
    /** How long points wait on this thread before they go to the run loop together (the timeline lags this much). */
    static final long FLUSH_EVERY_NS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveMonitor.class);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
            .getThreadMXBean();

    private final RunLoop loop;
    private final MonitorConfig config;
    private final List<MonitorSpec> specs;
    private final int cpus;
    private KernelTypes types;
    private LiveSampler sampler;
    private KernelView view;
    private long scxRootAt;
    private final byte[] rootBuf = new byte[8];
    private final MonitorPoints.Builder batch = new MonitorPoints.Builder();
    private long lastFlushNs = System.nanoTime();
    private long samples;
    private long failedSamples;
    private long failedReads;
    private long sampleNanos;
    /** CPU time of this thread spent on samples: the reads and the hand-over to the run loop. */
    private long sampleCpuNanos;
    private boolean summarised;
    private boolean off;

    public LiveMonitor(RunLoop loop, MonitorConfig config, int cpus) {
        this.loop = loop;
        this.config = config;
        this.specs = config.fields().stream().map(MonitorSpec::parse).toList();
        this.cpus = cpus;
    }

    /** Starts sampling on a daemon thread of its own once {@code vm} has a VM; it ends with the run. */
    public Thread start(Supplier<Optional<RunningVm>> vm) {
        return Thread.ofPlatform().name("live-monitor").daemon(true).start(() -> run(vm));
    }

    private void run(Supplier<Optional<RunningVm>> vms) {
        long intervalNs = config.interval().toNanos();
        long next = System.nanoTime();
        try {
            while (true) {
                RunStatus s = loop.status();
                if (s.ended() || off) return;
                // the points of the last second before a verdict or the scheduler's end are the ones that matter:
                // hand them over now (the fold keeps points read before the verdict)
                if (s.decision().isPresent() || s.phase().atLeast(RunPhase.SCHEDULER_STOPPING)) flush();
                if (s.phase().atLeast(RunPhase.SCENARIO_FINISHED) && sampler != null) summarise();
                Optional<RunningVm> vm = vms.get();
                if (vm.isPresent() && s.phase().atLeast(RunPhase.SCHEDULER_ENABLED)
                        && !s.phase().atLeast(RunPhase.SCHEDULER_STOPPING) && s.symbols().size() > 0
                        && s.kernel().isPresent()) {
                    tick(vm.get(), s);
                }
                // a fixed rate: a late tick (a busy host wakes this thread late) is made up by the next ones coming
                // sooner, so the series keeps its rate; a backlog of more than a second is dropped, not burst
                next += intervalNs;
                long wait = next - System.nanoTime();
                if (wait < -MAX_BACKLOG_TICKS * intervalNs) {
                    next += (-wait / intervalNs) * intervalNs;
                    wait = next - System.nanoTime();
                }
                wait = Math.max(0, wait);
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // the monitor is an extra: it must never take the run down
            LOG.error("live monitor stopped", e);
            note("the live monitor stopped: " + e);
        } finally {
            flush();
        }
    }

    private void tick(RunningVm vm, RunStatus s) {
        if (sampler == null || schedulerChanged()) {
            flush(); // the old scheduler's points before the new one's
            if (!prepare(vm, s)) return;
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int before = batch.size();
        failedReads += sampler.sampleInto(batch, loop.elapsedNanos());
        sampleNanos += System.nanoTime() - t0;
        samples++;
        if (batch.size() == before) failedSamples++;
        if (t0 - lastFlushNs >= FLUSH_EVERY_NS) flush();
        sampleCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
    }

    /** Hands the points collected so far to the run loop as one input. */
    private void flush() {
        lastFlushNs = System.nanoTime();
        if (batch.size() == 0) return;
        loop.submit(new RunInput.MonitorSamples(batch.build()));
        batch.clear();
    }

    /** Whether {@code scx_root} now names another scheduler (or none) than the one prepared for. */
    private boolean schedulerChanged() {
        if (!view.memory().readInto(scxRootAt, rootBuf, 0, 8)) return false;
        long root = 0;
        for (int i = 7; i >= 0; i--) root = root << 8 | (rootBuf[i] & 0xff);
        return root != sampler.root().value();
    }

    private boolean prepare(RunningVm vm, RunStatus s) {
        if (types == null) {
            Read<KernelTypes> known = s.kernel().get().types();
            if (!known.isOk()) {
                note("live monitor off: " + known.reasonOrNull());
                summarised = true;
                off = true; // nothing can be read without the kernel's types
                return false;
            }
            types = new KernelTypes(known.orElse(null).btf()); // its own caches: KernelTypes is not thread-safe
        }
        var symbols = s.symbols().asKernelSymbols();
        Read<AddressSpace> space = AddressSpace.discover(vm.memory(), symbols.asMap(),
                types.offsetOf("struct mm_struct", "pgd"), Optional.empty());
        if (!space.isOk()) {
            failedSamples++;
            return false;
        }
        view = new KernelView(new KernelMemory(space.orElse(null)), types, symbols);
        Read<KernelVirtAddr> rootAt = view.symbols().require("scx_root");
        if (!rootAt.isOk()) {
            failedSamples++;
            return false;
        }
        scxRootAt = rootAt.orElse(null).value();
        ScxState scx = ScxStateReader.read(view);
        if (!scx.attached()) {
            sampler = null;
            return false;
        }
        Read<LiveSampler.Prepared> prepared = LiveSampler.prepare(view, scx, specs, cpus);
        if (!prepared.isOk()) {
            failedSamples++;
            LOG.debug("live monitor not prepared: {}", prepared.reasonOrNull());
            return false;
        }
        sampler = prepared.orElse(null).sampler();
        for (String problem : prepared.orElse(null).problems()) {
            loop.submit(new RunInput.HarnessNote(Lane.HARNESS, "monitor_field_unavailable", "live monitor: " + problem,
                    null));
        }
        note("live monitor on for " + scx.opsName() + ": every " + config.interval().toMillis() + " ms, run queues, "
                + "DSQs, event counters" + (sampler.fieldCount() == 0 ? "" : " and " + sampler.fieldCount()
                + " field(s)"));
        return true;
    }

    private void summarise() {
        if (summarised) return;
        summarised = true;
        flush(); // the series before the summary
        note("live monitor: " + samples + " samples (" + String.format(java.util.Locale.ROOT, "%.2f",
                samples == 0 ? 0.0 : sampleNanos / 1e6 / samples) + " ms each on average, " + String.format(
                java.util.Locale.ROOT, "%.1f", samples == 0 ? 0.0 : sampleCpuNanos / 1e3 / samples)
                + " µs of CPU each), " + failedSamples
                + " failed, " + failedReads + " reads failed (gaps in their series)");
    }

    private void note(String text) {
        loop.submit(new RunInput.HarnessNote(Lane.HARNESS, KIND, text, null));
    }
}
