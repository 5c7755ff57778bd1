package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.VcpuRegisters;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.WatchHitListener;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.qemu.gdb.GdbProtocolException;
import dev.freezeframe.vmm.qemu.gdb.GdbRemoteClient;
import dev.freezeframe.vmm.qemu.gdb.StopReply;
import dev.freezeframe.vmm.qemu.gdb.TargetDescription;
import dev.freezeframe.vmm.qemu.gdb.X86Registers;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns whether the guest's vCPUs run, through QEMU's gdbstub: freezes, register reads and watchpoints.
 *
 * <p><b>Why the gdbstub and not QMP {@code stop}/{@code cont}:</b> a watchpoint hit stops the guest through the gdbstub
 * (QEMU's "debug" run state) and is reported there, and registers can only be read there. If freezes used QMP while hits
 * came through the gdbstub, two channels would each believe they know whether the guest runs — and a QMP {@code cont}
 * after a freeze would silently resume a guest stopped on a hit. With one owner, "stopped" has one meaning: QEMU's
 * gdbstub is in all-stop mode (every vCPU stops and resumes together; under TCG that is the only mode), a freeze is
 * an interrupt ({@code 0x03}) answered by a stop reply, a resume is {@code c}, and every stop reply is read by one
 * thread. The stop is counted like a reference: each open {@link FrozenVm} and each undelivered or open
 * {@link WatchHit} holds it, and the guest resumes exactly once, when the last holder lets go. A freeze that races a hit
 * finds the guest stopped and joins that stop. QMP is left to lifecycle (status, quit); if something pauses the guest
 * through QMP anyway, the gdbstub reports that too and the pause is left alone; the next freeze asks QMP whether the
 * guest was resumed meanwhile (then it stops it again) or is still paused (then it holds that pause and, like any
 * freeze, resumes the guest when closed).
 *
 * <p>Time: QEMU stops its virtual clock while the VM is stopped, so the guest does not see a freeze as elapsed time.
 */
final class GdbVmControl implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GdbVmControl.class);

    private enum State { RUNNING, STOPPED, GONE }

    private final GdbRemoteClient gdb;
    private final TargetDescription target;
    private final List<Integer> threads;
    private final Set<WatchKind> kinds;
    private final GuestMemory memory;
    private final Duration timeout;
    private final BooleanSupplier vcpusRunning;
    private final String name;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private State state = State.STOPPED;
    private int holders;
    private int waitingFreezes;
    private boolean interruptPending;
    private boolean stoppedFromOutside;
    private long stoppedAtNanos = System.nanoTime();
    private final Map<Integer, VcpuRegisters> registerCache = new HashMap<>();
    private final Map<Watchpoint, Armed> armed = new LinkedHashMap<>();

    private volatile WatchHitListener listener;
    private final ExecutorService hitDispatcher;
    private Thread stopWatcher;

    private static final class Armed {
        long hits;
        OptionalLong lastValue;

        Armed(OptionalLong value) {
            lastValue = value;
        }
    }

    private GdbVmControl(GdbRemoteClient gdb, TargetDescription target, List<Integer> threads, Set<WatchKind> kinds,
                         GuestMemory memory, Duration timeout, BooleanSupplier vcpusRunning, String name) {
        this.gdb = gdb;
        this.target = target;
        this.threads = List.copyOf(threads);
        this.kinds = Set.copyOf(kinds);
        this.memory = memory;
        this.timeout = timeout;
        this.vcpusRunning = vcpusRunning;
        this.name = name;
        // One thread delivers hits in order; never the stop watcher itself, so a listener may freeze again.
        this.hitDispatcher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("vm-watch-hits-" + name)
                .factory());
    }

    /**
     * Attaches to QEMU's gdbstub and lets the guest run again. QEMU pauses the VM when a debugger connects (and says
     * so with a stop reply up to some version; later ones only answer {@code ?}); while it is paused, this reads the stub's features, register description, vCPU threads and
     * which watchpoint kinds it accepts, then continues.
     *
     * @param vcpusRunning asks QMP whether the vCPUs run (used only after a pause from outside the gdbstub)
     */
    static GdbVmControl attach(SocketChannel connected, GuestMemory memory, Duration timeout,
                               BooleanSupplier vcpusRunning, String name) {
        GdbRemoteClient gdb = GdbRemoteClient.over(connected, name);
        try {
            // QEMU 7.2 announces the stop it makes on attach; QEMU 10 only answers '?'. Asking covers both: the
            // announced one, if any, answers first and the later answer is skipped as a stale stop by the next request.
            StopReply first = StopReply.parse(gdb.request("?", timeout));
            if (!(first instanceof StopReply.Stopped)) {
                throw new VmmException(VmmException.Kind.START_FAILED, "The guest ended while Freezeframe attached to "
                        + "QEMU's gdbstub.");
            }
            List<String> features = gdb.querySupported(timeout);
            if (features.contains("QStartNoAckMode+")) {
                gdb.startNoAckMode(timeout);
            }
            if (!features.contains("qXfer:features:read+")) {
                throw new VmmException(VmmException.Kind.UNSUPPORTED, "This QEMU's gdbstub does not describe its "
                        + "registers (no qXfer:features:read), so Freezeframe cannot read vCPU registers; use QEMU 7.2 "
                        + "or newer.");
            }
            TargetDescription target = TargetDescription.parse(gdb.readFeatureAnnex("target.xml", timeout),
                    annex -> gdb.readFeatureAnnex(annex, timeout));
            for (String required : X86Registers.REQUIRED) {
                if (target.register(required).isEmpty()) {
                    throw new VmmException(VmmException.Kind.UNSUPPORTED, "This QEMU's gdbstub does not offer register "
                            + required + ", which a freeze needs; use an x86-64 QEMU 7.2 or newer.");
                }
            }
            List<Integer> threads = gdb.threadIds(timeout).stream().sorted().toList();
            if (threads.isEmpty()) {
                throw new GdbProtocolException("QEMU's gdbstub lists no vCPU threads.", "");
            }
            Set<WatchKind> kinds = probeWatchKinds(gdb, timeout);
            GdbVmControl control = new GdbVmControl(gdb, target, threads, kinds, memory, timeout, vcpusRunning, name);
            control.startRunning();
            LOG.info("VM {}: gdbstub attached ({} vCPUs, {} registers, watch kinds {})", name, threads.size(),
                    target.registers().size(), kinds);
            return control;
        } catch (RuntimeException e) {
            gdb.close();
            throw e;
        }
    }

    /** Which of Z2/Z3/Z4 the stub accepts: TCG takes all three; KVM's debug registers cannot watch reads alone. */
    private static Set<WatchKind> probeWatchKinds(GdbRemoteClient gdb, Duration timeout) {
        Set<WatchKind> kinds = EnumSet.noneOf(WatchKind.class);
        for (WatchKind kind : WatchKind.values()) {
            if (gdb.point(true, pointType(kind), 0, 1, timeout) == GdbRemoteClient.PointResult.OK) {
                if (gdb.point(false, pointType(kind), 0, 1, timeout) != GdbRemoteClient.PointResult.OK) {
                    throw new GdbProtocolException("QEMU's gdbstub could not remove a test watchpoint.", kind.word());
                }
                kinds.add(kind);
            }
        }
        return kinds;
    }

    private static int pointType(WatchKind kind) {
        return switch (kind) {
            case WRITE -> 2;
            case READ -> 3;
            case ACCESS -> 4;
        };
    }

    private void startRunning() {
        lock.lock();
        try {
            resumeIfUnheld();
        } finally {
            lock.unlock();
        }
        stopWatcher = Thread.ofPlatform().daemon().name("vm-stop-watch-" + name).start(this::watchStops);
    }

    int vcpuCount() {
        return threads.size();
    }

    Set<WatchKind> supportedWatchKinds() {
        return kinds;
    }

    void setListener(WatchHitListener value) {
        listener = value;
    }

    // ---- freeze ----

    FrozenVm freeze() {
        long requested = System.nanoTime();
        lock.lock();
        try {
            requireNotGone("it cannot be frozen");
            if (state == State.STOPPED && stoppedFromOutside && vcpusRunning.getAsBoolean()) {
                // paused through QMP and resumed through QMP since: the gdbstub's "stopped" is stale
                LOG.info("VM {}: the guest was resumed outside the gdbstub; stopping it again", name);
                stoppedFromOutside = false;
                state = State.RUNNING;
                changed.signalAll();
            }
            boolean hadToStop = state == State.RUNNING;
            if (hadToStop) {
                awaitStop(requested);
            }
            holders++;
            long now = System.nanoTime();
            return new Hold(hadToStop ? now - requested : 0, now);
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts the running guest and waits until the stop watcher has seen it stop. Called with the lock held. */
    private void awaitStop(long requestedNanos) {
        waitingFreezes++;
        try {
            if (!interruptPending) {
                gdb.interrupt();
                interruptPending = true;
            }
            long deadline = requestedNanos + timeout.toNanos();
            while (state == State.RUNNING) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new VmmException(VmmException.Kind.CONTROL_FAILED, "The guest did not stop within "
                            + timeout.toMillis() + " ms of the freeze request; QEMU may be overloaded or hung.");
                }
                try {
                    changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VmmException(VmmException.Kind.CONTROL_FAILED, "Interrupted while freezing the guest.", e);
                }
            }
            requireNotGone("it cannot be frozen");
        } finally {
            waitingFreezes--;
        }
    }

    /** Resumes when nobody holds the stop and nobody waits to hold it. Called with the lock held. */
    private void resumeIfUnheld() {
        if (state != State.STOPPED || holders > 0 || waitingFreezes > 0) {
            return;
        }
        registerCache.clear();
        try {
            // wait for QEMU to take the 'c', so that once a freeze is closed every observer sees a running guest
            gdb.sendAcknowledged("c", timeout);
        } catch (VmmException e) {
            if (e.kind() == VmmException.Kind.VM_GONE) {
                goneLocked();
                return;
            }
            throw e;
        }
        state = State.RUNNING;
        stoppedFromOutside = false;
        changed.signalAll();
    }

    private List<VcpuRegisters> allRegisters() {
        List<VcpuRegisters> all = new ArrayList<>(threads.size());
        for (int i = 0; i < threads.size(); i++) {
            all.add(registers(i));
        }
        return List.copyOf(all);
    }

    /** One vCPU's registers, read once per stop. Called with the lock held and the guest stopped. */
    private VcpuRegisters registers(int vcpu) {
        VcpuRegisters cached = registerCache.get(vcpu);
        if (cached != null) {
            return cached;
        }
        gdb.selectThread(threads.get(vcpu), timeout);
        Map<String, byte[]> values = new LinkedHashMap<>(target.decodeG(gdb.readRegisters(timeout)));
        // Registers the stub keeps out of 'g' (newer QEMUs put system registers in a separate feature) are read one by one.
        for (List<String> names : List.of(X86Registers.REQUIRED, X86Registers.OPTIONAL)) {
            for (String reg : names) {
                if (!values.containsKey(reg)) {
                    Optional<TargetDescription.Register> described = target.register(reg);
                    if (described.isPresent()) {
                        byte[] value = gdb.readRegister(described.get().number(), timeout);
                        if (value.length > 0) {
                            values.put(reg, value);
                        }
                    }
                }
            }
        }
        VcpuRegisters decoded = X86Registers.decode(vcpu, values);
        registerCache.put(vcpu, decoded);
        return decoded;
    }

    // ---- watchpoints ----

    void arm(Watchpoint watchpoint) {
        if (!kinds.contains(watchpoint.kind())) {
            throw new VmmException(VmmException.Kind.WATCHPOINT_REFUSED, "This QEMU cannot watch " + watchpoint.kind()
                    .word() + "s with its accelerator" + (kinds.isEmpty() ? "; it cannot watch at all." : "; it can watch "
                    + kinds.stream().map(k -> k.word() + "s").toList() + "."));
        }
        try (FrozenVm stop = freeze()) {
            lock.lock();
            try {
                requireNotGone("a watchpoint cannot be armed");
                if (armed.containsKey(watchpoint)) {
                    throw new VmmException(VmmException.Kind.WATCHPOINT_REFUSED, "The watchpoint " + watchpoint
                            + " is already armed.");
                }
                switch (gdb.point(true, pointType(watchpoint.kind()), watchpoint.address(), watchpoint.length(),
                        timeout)) {
                    case OK -> armed.put(watchpoint, new Armed(readValue(watchpoint, threads.getFirst())));
                    case UNSUPPORTED -> throw new VmmException(VmmException.Kind.WATCHPOINT_REFUSED, "QEMU's gdbstub "
                            + "does not support " + watchpoint.kind().word() + " watchpoints.");
                    case ERROR -> throw new VmmException(VmmException.Kind.WATCHPOINT_REFUSED, "QEMU refused to arm the "
                            + watchpoint + " watchpoint (with KVM, x86 has only 4 debug registers; " + armed.size()
                            + " watchpoints are armed).");
                }
            } finally {
                lock.unlock();
            }
        }
    }

    boolean disarm(Watchpoint watchpoint) {
        lock.lock();
        try {
            if (!armed.containsKey(watchpoint)) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        try (FrozenVm stop = freeze()) {
            lock.lock();
            try {
                if (!armed.containsKey(watchpoint)) {
                    return false; // disarmed by another thread meanwhile
                }
                if (gdb.point(false, pointType(watchpoint.kind()), watchpoint.address(), watchpoint.length(), timeout)
                        != GdbRemoteClient.PointResult.OK) {
                    throw new VmmException(VmmException.Kind.CONTROL_FAILED, "QEMU refused to disarm the " + watchpoint
                            + " watchpoint; it stays armed.");
                }
                armed.remove(watchpoint);
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    List<Watchpoint> armedWatchpoints() {
        lock.lock();
        try {
            return List.copyOf(armed.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** The watched bytes as {@code thread} sees them (the stub translates the virtual address with its page tables). */
    private OptionalLong readValue(Watchpoint w, int thread) {
        try {
            gdb.selectThread(thread, timeout);
            byte[] bytes = gdb.readMemory(w.address(), w.length(), timeout);
            return OptionalLong.of(TargetDescription.littleEndian(bytes));
        } catch (GdbProtocolException e) {
            LOG.debug("VM {}: could not read the watched bytes of {}: {}", name, w, e.getMessage());
            return OptionalLong.empty();
        }
    }

    // ---- memory through the gdbstub (slow path: a baseline for benchmarks and a cross-check in tests) ----

    /** QEMU answers 'm' for at most MAX_PACKET_LENGTH / 2 = 2048 bytes. */
    static final int GDB_READ_CHUNK = 2048;

    /** Reads guest-physical memory with 'm' packets in QEMU's physical-memory mode; {@code hold} must be open. */
    byte[] readPhysical(FrozenVm hold, long address, int length) {
        byte[] out = new byte[length];
        withPhysicalMode(hold, () -> {
            for (int done = 0; done < length; ) {
                int n = Math.min(GDB_READ_CHUNK, length - done);
                System.arraycopy(gdb.readMemory(address + done, n, timeout), 0, out, done, n);
                done += n;
            }
        });
        return out;
    }

    /** Writes guest-physical memory with an 'M' packet in physical-memory mode; {@code hold} must be open. */
    void writePhysical(FrozenVm hold, long address, byte[] bytes) {
        withPhysicalMode(hold, () -> gdb.writeMemory(address, bytes, timeout));
    }

    private void withPhysicalMode(FrozenVm hold, Runnable access) {
        lock.lock();
        try {
            if (!(hold instanceof Hold h) || !h.isOpen() || h.owner() != this) {
                throw new IllegalArgumentException("an open freeze of this VM is required");
            }
            requireNotGone("its memory cannot be read through the gdbstub");
            if (!gdb.setQemuOption("Qqemu.PhyMemMode:1", timeout)) {
                throw new VmmException(VmmException.Kind.UNSUPPORTED, "This QEMU's gdbstub cannot read physical memory "
                        + "(no Qqemu.PhyMemMode).");
            }
            try {
                access.run();
            } finally {
                // watched values are read by virtual address: always leave physical mode
                gdb.setQemuOption("Qqemu.PhyMemMode:0", timeout);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- stop replies ----

    /** The one reader of stop replies: runs while the guest runs, sleeps while it is stopped. */
    private void watchStops() {
        while (true) {
            lock.lock();
            try {
                while (state == State.STOPPED) {
                    changed.awaitUninterruptibly();
                }
                if (state == State.GONE) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            StopReply reply;
            try {
                reply = StopReply.parse(gdb.awaitPacketForever("a stop of the guest"));
            } catch (VmmException e) {
                if (e.kind() == VmmException.Kind.VM_GONE) {
                    gone();
                    return;
                }
                // A garbled packet while the guest runs: nothing to answer; the next stop reply still comes.
                LOG.warn("VM {}: ignoring a malformed packet from the gdbstub while the guest runs: {}", name,
                        e.getMessage());
                continue;
            }
            onStop(reply);
        }
    }

    private void onStop(StopReply reply) {
        if (!(reply instanceof StopReply.Stopped stopped)) {
            LOG.debug("VM {}: gdbstub reports the end of the VM ({})", name, reply);
            gone();
            return;
        }
        WatchHit hit = null;
        lock.lock();
        try {
            state = State.STOPPED;
            stoppedAtNanos = System.nanoTime();
            registerCache.clear();
            boolean requested = interruptPending;
            interruptPending = false;
            Optional<Watchpoint> watched = stopped.watch().flatMap(this::armedFor);
            if (watched.isPresent()) {
                hit = hitFor(watched.get(), stopped);
            } else if (!requested) {
                if (stopped.signal() == StopReply.SIGINT && stopped.watch().isEmpty()) {
                    // QMP stop (or another monitor) paused the VM; leave it paused, as that caller wanted.
                    LOG.info("VM {}: the guest was paused outside the gdbstub", name);
                    stoppedFromOutside = true;
                } else {
                    LOG.warn("VM {}: unexpected stop of the guest ({}); resuming it", name, stopped);
                }
            }
            changed.signalAll();
            if (hit == null && !stoppedFromOutside) {
                resumeIfUnheld();
            }
        } catch (VmmException e) {
            LOG.warn("VM {}: handling a stop of the guest failed: {}", name, e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        if (hit != null) {
            dispatch(hit);
        }
    }

    private Optional<Watchpoint> armedFor(StopReply.WatchTrigger trigger) {
        Optional<Watchpoint> exact = armed.keySet().stream()
                .filter(w -> w.address() == trigger.address() && w.kind() == trigger.kind()).findFirst();
        return exact.isPresent() ? exact
                : armed.keySet().stream().filter(w -> w.address() == trigger.address()).findFirst();
    }

    /** Builds the hit and takes its hold on the stop; on failure the stop is released. Lock held. */
    private WatchHit hitFor(Watchpoint w, StopReply.Stopped stopped) {
        try {
            int thread = stopped.thread().orElse(threads.getFirst());
            int vcpu = threads.indexOf(thread);
            if (vcpu < 0) {
                throw new GdbProtocolException("QEMU's gdbstub reported a watchpoint hit on a thread that is not a vCPU.",
                        Integer.toString(thread));
            }
            VcpuRegisters regs = null;
            String regsProblem = null;
            try {
                regs = registers(vcpu);
            } catch (VmmException e) {
                if (e.kind() == VmmException.Kind.VM_GONE) throw e;
                regsProblem = e.getMessage(); // the hit still counts: its receiver is told what is missing
            }
            OptionalLong value = readValue(w, thread);
            Armed counts = armed.get(w);
            OptionalLong previous = counts.lastValue;
            counts.lastValue = value;
            counts.hits++;
            holders++;
            Hold hold = new Hold(0, stoppedAtNanos);
            return new WatchHit(w, counts.hits, vcpu, stopped.watch().orElseThrow().address(), regs, previous, value,
                    hold, regsProblem);
        } catch (VmmException e) {
            LOG.warn("VM {}: a hit on {} could not be read and is dropped: {}", name, w, e.getMessage());
            return null;
        }
    }

    private void dispatch(WatchHit hit) {
        try {
            hitDispatcher.execute(() -> deliver(hit));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            hit.close();
        }
    }

    private void deliver(WatchHit hit) {
        WatchHitListener current = listener;
        if (current == null) {
            LOG.info("VM {}: hit {} of {} on vCPU {} with no listener; resuming", name, hit.hitNumber(),
                    hit.watchpoint(), hit.vcpu());
            hit.close();
            return;
        }
        try {
            current.onHit(hit);
        } catch (RuntimeException e) {
            LOG.warn("VM {}: the watchpoint hit listener failed; resuming the guest", name, e);
            hit.close();
        }
    }

    // ---- end ----

    /** The VM ended: every wait ends, every later request fails with VM_GONE, open holds close quietly. */
    void gone() {
        lock.lock();
        try {
            goneLocked();
        } finally {
            lock.unlock();
        }
    }

    private void goneLocked() {
        state = State.GONE;
        changed.signalAll();
    }

    private void requireNotGone(String consequence) {
        if (state == State.GONE || gdb.isEnded()) {
            goneLocked();
            throw new VmmException(VmmException.Kind.VM_GONE, "The VM has ended, so " + consequence + ".");
        }
    }

    @Override
    public void close() {
        gone();
        gdb.close();
        hitDispatcher.shutdown();
    }

    /** One hold on the stop: a freeze handle, or the stop a watchpoint hit carries. */
    private final class Hold implements FrozenVm {

        private final long timeToStopNanos;
        private final long sinceNanos;
        private long untilNanos; // guarded by lock; 0 while open
        private boolean open = true; // guarded by lock

        Hold(long timeToStopNanos, long sinceNanos) {
            this.timeToStopNanos = timeToStopNanos;
            this.sinceNanos = sinceNanos;
        }

        @Override
        public List<VcpuRegisters> vcpus() {
            lock.lock();
            try {
                requireOpen();
                return allRegisters();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public VcpuRegisters vcpu(int index) {
            if (index < 0 || index >= threads.size()) {
                throw new IllegalArgumentException("vCPU " + index + " of " + threads.size());
            }
            lock.lock();
            try {
                requireOpen();
                return registers(index);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public GuestMemory memory() {
            return memory;
        }

        GdbVmControl owner() {
            return GdbVmControl.this;
        }

        @Override
        public Duration timeToStop() {
            return Duration.ofNanos(timeToStopNanos);
        }

        @Override
        public Duration duration() {
            lock.lock();
            try {
                return Duration.ofNanos((open ? System.nanoTime() : untilNanos) - sinceNanos);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isOpen() {
            lock.lock();
            try {
                return open;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!open) {
                    return;
                }
                open = false;
                untilNanos = System.nanoTime();
                holders--;
                if (state != State.GONE) {
                    resumeIfUnheld();
                }
            } finally {
                lock.unlock();
            }
        }

        private void requireOpen() {
            if (!open) {
                throw new VmmException(VmmException.Kind.VM_GONE, "This freeze has been closed and the guest may run; "
                        + "freeze again to read its state.");
            }
            requireNotGone("its state cannot be read");
        }
    }
}
