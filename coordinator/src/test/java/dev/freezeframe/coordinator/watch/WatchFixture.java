package dev.freezeframe.coordinator.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.VcpuRegisters;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.VmmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A symbol table from kallsyms text (with the 7.3 kit kernel's quirk: {@code .data} variables such as
 * {@code jiffies_64} typed {@code T}), a VM that records what is armed, and a run that records events and captures.
 */
final class WatchFixture {
    static final String KALLSYMS = """
            ffffffff81000000 T _text
            ffffffff81000000 T _stext
            ffffffff81100000 T copy_process
            ffffffff81101c40 T kernel_clone
            ffffffff82000000 T _etext
            ffffffff83a00000 T jiffies_64
            ffffffff83a00000 T jiffies
            ffffffff83a00008 d sysctl_sched_features
            ffffffff83a0000c d small_int
            ffffffff83a00010 B total_forks
            ffffffff83a00018 B nr_threads
            ffffffff83a0001c b after_threads
            ffffffff83a00040 B big_struct
            ffffffff83a00140 B _end
            0000000000012340 D runqueues
            """;
    static final long JIFFIES_64 = 0xffffffff83a00000L;
    static final long TOTAL_FORKS = 0xffffffff83a00010L;
    static final long COPY_PROCESS = 0xffffffff81100000L;

    record Event(String kind, String text, ObjectNode detail) {
    }

    record Capture(String tag, ObjectNode trigger) {
    }

    final KernelSymbolTable symbols = new KernelSymbolTable.Builder().addKallsymsText(KALLSYMS).build();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final List<Event> events = new ArrayList<>();
    final List<Capture> captures = new ArrayList<>();
    final List<Watchpoint> armed = new ArrayList<>();
    /** Tags of the hits that left the guest held ("stay frozen on hit"). */
    final List<String> holds = new ArrayList<>();
    Set<WatchKind> kinds = EnumSet.allOf(WatchKind.class);
    Optional<Watchpoint> errorTrigger = Optional.empty();
    VmmException armFailure;
    /** When set, a capture fails with it (a reader bug, an introspection error the capturer did not turn into a reason). */
    RuntimeException captureFailure;

    final WatchSlots.Target target = new WatchSlots.Target() {
        @Override
        public Set<WatchKind> supportedKinds() {
            return kinds;
        }

        @Override
        public void arm(Watchpoint w) {
            if (armFailure != null) throw armFailure;
            armed.add(w);
        }

        @Override
        public boolean disarm(Watchpoint w) {
            return armed.remove(w);
        }

        @Override
        public List<Watchpoint> armed() {
            List<Watchpoint> all = new ArrayList<>(armed);
            errorTrigger.ifPresent(all::add);
            return all;
        }
    };

    final WatchSlots.Host host = new WatchSlots.Host() {
        @Override
        public synchronized void event(String kind, String text, ObjectNode detail) {
            events.add(new Event(kind, text, detail));
        }

        @Override
        public SnapshotRecord capture(FrozenVm frozen, String tag, ObjectNode trigger) {
            if (!frozen.isOpen()) throw new AssertionError("captured from a released stop");
            if (captureFailure != null) throw captureFailure;
            captures.add(new Capture(tag, trigger));
            clock.addAndGet(30_000_000L); // a capture takes a while
            return new SnapshotRecord(tag, SnapshotKind.WATCH, 0, Optional.empty(), false, Optional.empty(), "{}");
        }

        @Override
        public Optional<Watchpoint> errorTrigger() {
            return errorTrigger;
        }

        @Override
        public void holdAfterHit(FrozenVm frozen, String tag) {
            if (!frozen.isOpen()) throw new AssertionError("held a released stop");
            holds.add(tag);
        }
    };

    WatchSlots slots(WatchPolicy policy) {
        return new WatchSlots(target, host, symbols, policy, clock::get);
    }

    WatchSlots slots() {
        return slots(WatchPolicy.DEFAULT);
    }

    List<Event> events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** A stop as a watch hit holds it. */
    static final class Stop implements FrozenVm {
        boolean open = true;

        @Override
        public List<VcpuRegisters> vcpus() {
            throw new UnsupportedOperationException("not read in these tests");
        }

        @Override
        public VcpuRegisters vcpu(int index) {
            throw new UnsupportedOperationException("not read in these tests");
        }

        @Override
        public GuestMemory memory() {
            throw new UnsupportedOperationException("not read in these tests");
        }

        @Override
        public Duration timeToStop() {
            return Duration.ZERO;
        }

        @Override
        public Duration duration() {
            return Duration.ofMillis(31);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    static VcpuRegisters registers(int vcpu, long rip) {
        return new VcpuRegisters(vcpu, rip, 0x2,
                new VcpuRegisters.General(0, 0, 0, 0, 0, 0, 0, 0xffffc90000003f00L, 0, 0, 0, 0, 0, 0, 0, 0),
                new VcpuRegisters.Segments(0x10, 0x18, 0, 0, 0, 0, 0, 0, OptionalLong.empty()),
                new VcpuRegisters.Control(0x80050033L, 0, 0x1000, 0x3406f0, OptionalLong.empty(), OptionalLong.empty()),
                Map.of());
    }

    static WatchHit hit(Watchpoint w, long number, int vcpu, long rip, long old, long now, Stop stop) {
        return new WatchHit(w, number, vcpu, w.address(), registers(vcpu, rip), OptionalLong.of(old),
                OptionalLong.of(now), stop);
    }
}
