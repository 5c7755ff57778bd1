package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.Accelerator;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.Console;
import dev.freezeframe.vmm.ConsoleLog;
import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.GuestRamLayout;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.ShutdownCause;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.WatchHitListener;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.channel.ChannelWindow;
import dev.freezeframe.vmm.channel.RingLayout;
import dev.freezeframe.vmm.channel.SharedMemoryDataChannel;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.ForkableCapture;
import dev.freezeframe.vmm.template.PageDelta;
import dev.freezeframe.vmm.template.RamImage;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One guest in one QEMU process. Life: launched → under control (QMP connected, console attached) → ended. The end is
 * detected in one place ({@link #onProcessExit}), which drains the console, retires the data channel, deletes the
 * runtime directory and completes {@link #exit()} exactly once; the guest memory mapping stays until {@link #close()}.
 */
final class QemuVm implements RunningVm {

    private static final Logger LOG = LoggerFactory.getLogger(QemuVm.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final ScheduledExecutorService TIMERS = timers();

    private final String name;
    private final VmSpec spec;
    private final AcceleratorDetector.Decision accelerator;
    private final RuntimeDirectory runtimeDir;
    private final GuestRamFile ram;
    private final GuestMemory memory;
    private final SharedMemoryDataChannel channel;
    private final ConsoleLog console;
    private final CompletableFuture<VmExit> exit = new CompletableFuture<>();
    private final AtomicReference<VmExit.KillReason> killReason = new AtomicReference<>();
    private volatile ShutdownCause shutdownCause = ShutdownCause.UNKNOWN;
    private final Thread shutdownHook;
    // Set once during start, read by the exit watcher and timer threads.
    private volatile Process process;
    private volatile VmmOutputTail output;
    private volatile QmpClient qmp;
    /** Freezes, registers and watchpoints, through the gdbstub (see {@link GdbVmControl} for why it owns "stopped"). */
    private volatile GdbVmControl control;
    private volatile SocketConsoleReader consoleReader;
    private volatile ScheduledFuture<?> runTimer;
    private boolean closed;
    private volatile boolean watchingExit;

    private QemuVm(String name, VmSpec spec, AcceleratorDetector.Decision accelerator, RuntimeDirectory runtimeDir,
                   GuestRamFile ram, SharedMemoryDataChannel channel, long launchNanos) {
        this.name = name;
        this.spec = spec;
        this.accelerator = accelerator;
        this.runtimeDir = runtimeDir;
        this.ram = ram;
        this.memory = new GuestMemory(ram.segment(), GuestRamLayout.pcMachine(spec.memoryBytes()));
        this.channel = channel;
        this.console = new ConsoleLog(launchNanos);
        this.shutdownHook = new Thread(this::killOnJvmExit, "vm-shutdown-hook-" + name);
    }

    /** Starts QEMU for {@code spec}; on any failure leaves nothing behind and throws a user-facing error. */
    static QemuVm launch(Path qemu, VmSpec spec, AcceleratorDetector.Decision accelerator, RuntimeDirectory dir) {
        return launch(qemu, spec, accelerator, dir, null);
    }

    /**
     * Starts QEMU for {@code spec}, booting it, or restoring it from {@code template} when that is not null (its RAM
     * image is copied into the fresh RAM file, then QEMU loads its device state and the guest runs on from where the
     * template was saved). On any failure leaves nothing behind and throws a user-facing error.
     */
    static QemuVm launch(Path qemu, VmSpec spec, AcceleratorDetector.Decision accelerator, RuntimeDirectory dir,
                         BootTemplate template) {
        String name = Integer.toString(SEQUENCE.incrementAndGet());
        GuestRamFile ram = null;
        QemuVm vm = null;
        try {
            ram = GuestRamFile.create(dir.file("guest-ram"), spec.memoryBytes());
            if (template != null) {
                long t0 = System.nanoTime();
                long pages = TemplateRestore.copyRam(template, ram.path(), spec.memoryBytes());
                LOG.info("VM {}: {} pages of the boot template's RAM copied in {} ms", name, pages,
                        (System.nanoTime() - t0) / 1_000_000);
            }
            GuestRamLayout layout = GuestRamLayout.pcMachine(spec.memoryBytes());
            String cmdline = kernelCmdline(spec);
            SharedMemoryDataChannel channel = null;
            if (spec.dataChannel()) {
                ChannelWindow window = ChannelWindow.placeIn(layout);
                long offset = layout.fileOffset(window.base(), window.bytes()).orElseThrow();
                var windowSegment = ram.segment().asSlice(offset, window.bytes());
                // A restored guest is attached to the ring it had when the template was saved: keep its indices.
                if (template == null) {
                    RingLayout.initialize(windowSegment);
                }
                channel = TemplateRestore.attachChannel(windowSegment, template);
            }
            Optional<Path> initrd = switch (spec.initrds().size()) {
                case 0 -> Optional.empty();
                case 1 -> Optional.of(spec.initrds().getFirst());
                default -> {
                    Path merged = dir.file("initrd.img");
                    InitrdMerger.merge(spec.initrds(), merged);
                    yield Optional.of(merged);
                }
            };
            QemuCommandLine command = new QemuCommandLine(qemu, spec, accelerator.accelerator(), ram.path(),
                    dir.socket("qmp.sock"), dir.socket("console.sock"), dir.socket("gdb.sock"), initrd, cmdline,
                    accelerator.accelerator() == Accelerator.TCG ? TcgThreads.forQemu(qemu) : TcgThreads.SINGLE,
                    template != null);
            long launchNanos = System.nanoTime();
            vm = new QemuVm(name, spec, accelerator, dir, ram, channel, launchNanos);
            vm.startProcess(command, launchNanos, template);
            return vm;
        } catch (RuntimeException e) {
            if (vm != null) {
                vm.abortStart();
            } else {
                if (ram != null) {
                    ram.close();
                }
                dir.delete();
            }
            throw e instanceof VmmException ? e : new VmmException(VmmException.Kind.START_FAILED,
                    "The VM could not be started.", e);
        }
    }

    /** The kernel command line QEMU passes: the spec's, plus the data channel's parameters when it has one. */
    static String kernelCmdline(VmSpec spec) {
        String cmdline = spec.cmdline();
        if (spec.dataChannel()) {
            ChannelWindow window = ChannelWindow.placeIn(GuestRamLayout.pcMachine(spec.memoryBytes()));
            cmdline = (cmdline.isBlank() ? "" : cmdline.strip() + " ") + window.kernelParameters();
        }
        return cmdline;
    }

    private void startProcess(QemuCommandLine command, long launchNanos, BootTemplate template) {
        List<String> args = command.arguments();
        LOG.info("VM {}: starting {} ({}, {})", name, String.join(" ", args), accelerator.accelerator(),
                accelerator.reason());
        try {
            process = QemuProcessLauncher.start(args);
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.HOST_SETUP, "QEMU could not be run (" + command.qemu()
                    + "); check that it is installed and executable.", e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        // The run limit counts from launch, so a VM that hangs during start is bounded too.
        runTimer = TIMERS.schedule(() -> killFor(VmExit.KillReason.RUN_TIMEOUT), spec.timeouts().run().toNanos(),
                TimeUnit.NANOSECONDS);
        output = new VmmOutputTail(process.getInputStream(), name);
        long deadline = launchNanos + spec.timeouts().start().toNanos();
        // QEMU creates the sockets in command-line order and blocks on each until we connect: QMP first, then COM1.
        // Its main loop (and so the QMP greeting) only runs after both are connected.
        SocketChannel qmpSocket = connectWhenListening(command.qmpSocket(), deadline);
        SocketChannel consoleSocket;
        try {
            consoleSocket = connectWhenListening(command.consoleSocket(), deadline);
        } catch (VmmException e) {
            closeQuietly(qmpSocket);
            throw e;
        }
        consoleReader = new SocketConsoleReader(consoleSocket, console, name);
        Thread.ofPlatform().daemon().name("vm-exit-watch-" + name).start(this::awaitProcessExit);
        watchingExit = true;
        Duration handshakeTimeout = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0))
                .plus(spec.timeouts().command());
        qmp = QmpClient.handshake(qmpSocket, handshakeTimeout, spec.timeouts().command(), this::onQmpEvent, name);
        if (template != null) {
            // Before the gdbstub attaches: attaching continues the guest, which must not happen while it loads.
            TemplateRestore.loadDevices(qmp, template, process, output, deadline, name);
        }
        // The gdbstub does not wait for us; attaching pauses the guest for a few milliseconds while we read its set-up.
        long gdbDeadline = System.nanoTime() + spec.timeouts().command().toNanos();
        control = GdbVmControl.attach(connectWhenListening(command.gdbSocket(), gdbDeadline), memory,
                spec.timeouts().command(), () -> qmp.queryStatus() == VmRunState.RUNNING, name);
        LOG.info("VM {}: QEMU pid {} under control after {} ms", name, process.pid(),
                (System.nanoTime() - launchNanos) / 1_000_000);
    }

    /** Connects to a socket QEMU is about to create; fails if QEMU dies or the start deadline passes first. */
    private SocketChannel connectWhenListening(Path socket, long deadlineNanos) {
        var address = UnixDomainSocketAddress.of(socket);
        while (true) {
            try {
                return SocketChannel.open(address);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new VmmException(VmmException.Kind.START_FAILED,
                            "QEMU refused to start the VM: " + firstLineOr(output.awaitText(), "it exited with code "
                                    + process.exitValue() + " and printed nothing"), notYet);
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new VmmException(VmmException.Kind.START_FAILED, "QEMU did not come up within "
                            + spec.timeouts().start().toSeconds() + " s; the host may be overloaded.", notYet);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VmmException(VmmException.Kind.START_FAILED, "Interrupted while starting the VM.", e);
                }
            }
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing a socket", e);
        }
    }

    private static String firstLineOr(String text, String fallback) {
        return text.isBlank() ? fallback : text.lines().findFirst().orElse(fallback);
    }

    /** A start that failed half-way: kill what runs and wait for the clean-up, which removes every file. */
    private void abortStart() {
        if (process == null) {
            ram.close();
            runtimeDir.delete();
            return;
        }
        killFor(VmExit.KillReason.START_FAILED);
        if (watchingExit) {
            // no deadline: QEMU was just killed (SIGKILL); the exit watcher completes as soon as it is gone
            exit.join();
        } else {
            // The exit watcher is not running yet; do its job here.
            awaitProcessExit();
        }
        ram.close();
    }

    private void awaitProcessExit() {
        while (true) {
            try {
                // no deadline: the exit watcher lives as long as the QEMU process
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                // Nobody should interrupt this thread; keep watching so the exit is never missed.
            }
        }
        onProcessExit();
    }

    /** The single place where the end of the VM is handled. */
    private synchronized void onProcessExit() {
        if (exit.isDone()) {
            return;
        }
        try {
            releaseAfterExit();
        } catch (RuntimeException | Error e) {
            // Whatever failed in the clean-up, waiters on exit() must not hang.
            LOG.error("VM {}: clean-up after exit failed", name, e);
        } finally {
            VmExit result = classify(process.exitValue(), output == null ? "" : output.text());
            LOG.info("VM {}: {}", name, result.describe());
            exit.complete(result);
        }
    }

    private void releaseAfterExit() {
        if (runTimer != null) {
            runTimer.cancel(false);
        }
        if (consoleReader != null) {
            consoleReader.awaitEnd(5000);
            consoleReader.abort();
        }
        console.end();
        if (channel != null) {
            channel.guestGone();
        }
        if (control != null) {
            control.close();
        }
        if (qmp != null) {
            qmp.close();
        }
        if (output != null) {
            output.awaitEnd();
        }
        runtimeDir.delete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException jvmExitingOrNeverAdded) {
            // nothing to undo
        }
    }

    private VmExit classify(int code, String diagnostics) {
        VmExit.KillReason killed = killReason.get();
        if (killed != null) {
            return new VmExit.Killed(killed);
        }
        // The JDK reports death by signal N as exit value 128 + N; QEMU's own exit codes are small.
        if (code > 128 && code < 128 + 65) {
            return new VmExit.Crashed(code - 128, diagnostics);
        }
        return new VmExit.Exited(code, shutdownCause, code == 0 ? "" : diagnostics);
    }

    private void onQmpEvent(QmpEvent event) {
        LOG.debug("VM {}: QMP event {} {}", name, event.name(), event.data());
        if (event.name().equals("SHUTDOWN")) {
            shutdownCause = switch (event.data().path("reason").asText()) {
                case "guest-shutdown" -> ShutdownCause.GUEST_POWEROFF;
                case "guest-reset" -> ShutdownCause.GUEST_RESET;
                case "guest-panic" -> ShutdownCause.GUEST_PANIC;
                case "host-qmp-quit", "host-signal", "host-ui", "host-qmp-system-reset" -> ShutdownCause.HOST_REQUEST;
                default -> ShutdownCause.UNKNOWN;
            };
        }
    }

    private void killFor(VmExit.KillReason reason) {
        if (process.isAlive() && killReason.compareAndSet(null, reason)) {
            LOG.warn("VM {}: killing QEMU ({})", name, reason);
        }
        process.destroyForcibly();
    }

    private void killOnJvmExit() {
        if (process != null && process.isAlive()) {
            killReason.compareAndSet(null, VmExit.KillReason.CLOSED);
            process.destroyForcibly();
        }
        runtimeDir.delete();
    }

    // ---- RunningVm ----

    @Override
    public VmSpec spec() {
        return spec;
    }

    @Override
    public AcceleratorDetector.Decision accelerator() {
        return accelerator;
    }

    @Override
    public Console console() {
        return console;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public Optional<DataChannel> dataChannel() {
        return Optional.ofNullable(channel);
    }

    @Override
    public VmRunState runState() {
        requireRunning("its state cannot be queried");
        return qmp.queryStatus();
    }

    /** The QMP connection, for capabilities built on it (pause/resume now, freeze in issue 5). */
    QmpClient qmp() {
        requireRunning("it cannot be controlled");
        return qmp;
    }

    @Override
    public RamImage.Stats saveTemplate(Path folder) {
        requireRunning("it cannot be saved as a template");
        try (FrozenVm ignored = control().freeze()) {
            return TemplateSave.save(qmp, ram.segment(), ram.path(), folder, spec.timeouts().start(), name);
        }
    }

    @Override
    public ForkableCapture captureForkable(Path folder, PageDelta.BaseImage base) {
        requireRunning("its state cannot be saved");
        try (FrozenVm ignored = control().freeze()) {
            return ForkableSave.capture(qmp, ram.segment(), ram.path(), folder, base, spec.timeouts().command(),
                    name);
        }
    }

    @Override
    public FrozenVm freeze() {
        return control().freeze();
    }

    @Override
    public Set<WatchKind> supportedWatchKinds() {
        return control().supportedWatchKinds();
    }

    @Override
    public void arm(Watchpoint watchpoint) {
        control().arm(watchpoint);
    }

    @Override
    public boolean disarm(Watchpoint watchpoint) {
        return control().disarm(watchpoint);
    }

    @Override
    public List<Watchpoint> armedWatchpoints() {
        return control().armedWatchpoints();
    }

    @Override
    public void setWatchHitListener(WatchHitListener listener) {
        control().setListener(listener);
    }

    /** The gdbstub control; after the VM has ended its requests fail with VM_GONE. */
    GdbVmControl control() {
        GdbVmControl c = control;
        if (c == null) {
            throw new VmmException(VmmException.Kind.VM_GONE, "The VM is not under control, so it cannot be frozen.");
        }
        return c;
    }

    @Override
    public VmExit shutdown() {
        if (!exit.isDone()) {
            try {
                qmp.quit();
            } catch (VmmException e) {
                LOG.warn("VM {}: QEMU did not take the quit request; killing it", name, e);
                return kill(VmExit.KillReason.SHUTDOWN_TIMEOUT);
            }
            Duration grace = spec.timeouts().shutdownGrace();
            try {
                return exit.get(grace.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return kill(VmExit.KillReason.SHUTDOWN_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return kill(VmExit.KillReason.SHUTDOWN_TIMEOUT);
            } catch (ExecutionException e) {
                throw new IllegalStateException("exit future never fails", e);
            }
        }
        // no deadline: QEMU was just killed (SIGKILL); the exit watcher completes as soon as it is gone
        return exit.join();
    }

    @Override
    public VmExit kill() {
        return kill(VmExit.KillReason.REQUESTED);
    }

    private VmExit kill(VmExit.KillReason reason) {
        killFor(reason);
        // no deadline: QEMU was just killed (SIGKILL); the exit watcher completes as soon as it is gone
        return exit.join();
    }

    @Override
    public CompletableFuture<VmExit> exit() {
        return exit.copy();
    }

    @Override
    public Optional<VmExit> awaitExit(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("exit future never fails", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (!exit.isDone()) {
            kill(VmExit.KillReason.CLOSED);
        }
        ram.close();
    }

    private void requireRunning(String consequence) {
        if (exit.isDone()) {
            throw new VmmException(VmmException.Kind.VM_GONE, "The VM has ended, so " + consequence + ".");
        }
    }

    /** Daemon timers: a forgotten VM must not keep the JVM alive. */
    private static ScheduledExecutorService timers() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("vm-run-timeout").factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
