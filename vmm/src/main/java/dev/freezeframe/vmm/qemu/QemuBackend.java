package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.qemu.gdb.TargetDescription;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.TemplateKey;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/** Runs guests in {@code qemu-system-x86_64} (docs/architecture.md §3): KVM where hardware virtualization is usable, else TCG. */
public final class QemuBackend implements VmBackend {

    /** Environment variable naming a specific QEMU binary (else the first on PATH). */
    public static final String QEMU_ENV = "FREEZEFRAME_QEMU";
    static final String QEMU_NAME = "qemu-system-x86_64";

    private final Supplier<Path> qemuBinary;
    private final AcceleratorDetector detector;
    private final LongFunction<RuntimeDirectory> runtimeDirectories;

    public QemuBackend() {
        this(QemuBackend::locateQemu, new AcceleratorDetector(), RuntimeDirectory::create);
        prepareInBackground();
    }

    /**
     * Does now, on a daemon thread, the one-time work the first start would otherwise do while the guest waits: ask
     * the QEMU binary its version (a process start, for {@link TcgThreads}) and load the gdbstub's XML parser (parsed
     * while QEMU holds the guest stopped at attach). A caller builds its run meanwhile; start() takes the results, or
     * waits for them, or reports the problem itself (a missing QEMU) — nothing here is reported.
     */
    private void prepareInBackground() {
        Thread.ofPlatform().daemon().name("qemu-backend-prepare").start(() -> {
            try {
                TcgThreads.forQemu(qemuBinary.get());
                TargetDescription.warmUp();
            } catch (RuntimeException e) {
                // start() meets the same problem and says it
            }
        });
    }

    /**
     * @param qemuBinary         finds the QEMU binary (called at each start, so a missing QEMU is reported then)
     * @param detector           decides the accelerator
     * @param runtimeDirectories creates each VM's private directory, given the guest RAM size it must hold
     */
    public QemuBackend(Supplier<Path> qemuBinary, AcceleratorDetector detector,
                       LongFunction<RuntimeDirectory> runtimeDirectories) {
        this.qemuBinary = Objects.requireNonNull(qemuBinary);
        this.detector = Objects.requireNonNull(detector);
        this.runtimeDirectories = Objects.requireNonNull(runtimeDirectories);
    }

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public RunningVm start(VmSpec spec) {
        spec.requireFilesReadable();
        Path qemu = qemuBinary.get();
        AcceleratorDetector.Decision accelerator = detector.decide(spec.accelerator());
        return QemuVm.launch(qemu, spec, accelerator, runtimeDirectories.apply(spec.memoryBytes()));
    }

    @Override
    public Optional<TemplateKey> templateKey(VmSpec spec) {
        if (spec.kernel().isEmpty()) {
            return Optional.empty();
        }
        AcceleratorDetector.Decision accelerator = detector.decide(spec.accelerator());
        return Optional.of(TemplateKey.of(spec, accelerator.accelerator(), qemuBinary.get(),
                QemuVm.kernelCmdline(spec)));
    }

    @Override
    public RunningVm restore(VmSpec spec, BootTemplate template) {
        spec.requireFilesReadable();
        if (!template.exists()) {
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "There is no boot template in " + template.dir()
                    + ".");
        }
        Path qemu = qemuBinary.get();
        AcceleratorDetector.Decision accelerator = detector.decide(spec.accelerator());
        return QemuVm.launch(qemu, spec, accelerator, runtimeDirectories.apply(spec.memoryBytes()), template);
    }

    /** {@code $FREEZEFRAME_QEMU}, else {@code qemu-system-x86_64} on PATH. */
    public static Path locateQemu() {
        String override = System.getenv(QEMU_ENV);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new VmmException(VmmException.Kind.HOST_SETUP,
                    QEMU_ENV + " names " + p + ", which is not an executable file; fix or unset it.");
        }
        return findOnPath(QEMU_NAME).orElseThrow(() -> new VmmException(VmmException.Kind.HOST_SETUP,
                "QEMU is not installed: run apt-get install qemu-system-x86 (or set " + QEMU_ENV + ")."));
    }

    static Optional<Path> findOnPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
