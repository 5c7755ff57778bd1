package dev.freezeframe.app.live;

import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.watch.WatchSlots;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.VcpuRegisters;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The guest kernel a {@link FakeLiveRun} pretends to run: a kallsyms fixture of 2 000 symbols shaped like the kit
 * kernel's (including its quirk of typing {@code .data} variables such as {@code jiffies_64} as {@code T}), a watch
 * target that records what is armed, and the stop a scripted hit holds.
 */
public final class FakeKernel {
    public static final long TOTAL_FORKS = 0xffffffff83a00010L;
    public static final long JIFFIES_64 = 0xffffffff83a00000L;
    public static final long SCHEDULE = 0xffffffff81200000L;
    /** {@code scx_root->exit_kind}: slot 0's watch. */
    public static final long EXIT_KIND = 0xffff888003c41010L;
    public static final int SYMBOL_COUNT = 2000;

    /** The named symbols; filler functions and variables bring the table to {@link #SYMBOL_COUNT}. */
    static final String NAMED = """
            ffffffff81000000 T _text
            ffffffff81000000 T _stext
            ffffffff81100000 T copy_process
            ffffffff81101c40 T kernel_clone
            ffffffff81200000 T schedule
            ffffffff81200400 T scx_bpf_dispatch
            ffffffff82000000 T _etext
            ffffffff83a00000 T jiffies_64
            ffffffff83a00000 T jiffies
            ffffffff83a00008 d sysctl_sched_features
            ffffffff83a0000c d small_int
            ffffffff83a00010 B total_forks
            ffffffff83a00018 B nr_threads
            ffffffff83a0001c b after_threads
            ffffffff83a00040 B big_struct
            ffffffff83a00140 B scx_root
            0000000000012340 D runqueues
            """;
    private static final int NAMED_COUNT = (int) NAMED.lines().count();

    private FakeKernel() {
    }

    /** The whole fixture as kallsyms text. */
    public static String kallsyms() {
        StringBuilder text = new StringBuilder(NAMED);
        int fillers = SYMBOL_COUNT - NAMED_COUNT - 1; // _end below
        int functions = fillers / 2;
        for (int i = 0; i < functions; i++) {
            text.append(String.format("%016x t fake_fn_%04d%n", 0xffffffff81300000L + 0x40L * i, i));
        }
        for (int i = 0; i < fillers - functions; i++) {
            text.append(String.format("%016x d fake_var_%04d%n", 0xffffffff83b00000L + 8L * i, i));
        }
        text.append(String.format("%016x B _end%n", 0xffffffff83c00000L));
        return text.toString();
    }

    public static KernelSymbolTable symbols() {
        return new KernelSymbolTable.Builder().addKallsymsText(kallsyms()).build();
    }

    /** A VM that can watch every kind and remembers what is armed; slot 0's watch comes from {@code errorTrigger}. */
    static WatchSlots.Target target(List<Watchpoint> armed, Supplier<Optional<Watchpoint>> errorTrigger) {
        return new WatchSlots.Target() {
            @Override
            public Set<WatchKind> supportedKinds() {
                return EnumSet.allOf(WatchKind.class);
            }

            @Override
            public void arm(Watchpoint w) {
                armed.add(w);
            }

            @Override
            public boolean disarm(Watchpoint w) {
                return armed.remove(w);
            }

            @Override
            public List<Watchpoint> armed() {
                List<Watchpoint> all = new ArrayList<>(armed);
                errorTrigger.get().ifPresent(all::add);
                return all;
            }
        };
    }

    /** vCPU registers at {@code rip} (the rest plausible, never read by the fake). */
    static VcpuRegisters registers(int vcpu, long rip) {
        return new VcpuRegisters(vcpu, rip, 0x2,
                new VcpuRegisters.General(0, 0, 0, 0, 0, 0, 0, 0xffffc90000003f00L, 0, 0, 0, 0, 0, 0, 0, 0),
                new VcpuRegisters.Segments(0x10, 0x18, 0, 0, 0, 0, 0, 0, OptionalLong.empty()),
                new VcpuRegisters.Control(0x80050033L, 0, 0x1000, 0x3406f0, OptionalLong.empty(), OptionalLong.empty()),
                Map.of());
    }

    /** The stop a scripted hit holds; the fake's guest has no memory to read. */
    static final class Stop implements FrozenVm {
        private boolean open = true;

        @Override
        public List<VcpuRegisters> vcpus() {
            return List.of(registers(0, copyProcessRip()));
        }

        @Override
        public VcpuRegisters vcpu(int index) {
            return registers(index, copyProcessRip());
        }

        @Override
        public GuestMemory memory() {
            throw new UnsupportedOperationException("the fake guest has no memory");
        }

        @Override
        public Duration timeToStop() {
            return Duration.ZERO;
        }

        @Override
        public Duration duration() {
            return Duration.ofMillis(30);
        }

        @Override
        public synchronized boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void close() {
            open = false;
        }

        private static long copyProcessRip() {
            return 0xffffffff81100123L;
        }
    }
}
