package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.Accelerator;
import dev.freezeframe.vmm.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@code qemu-system-x86_64} argument list for a spec. Pure: no files are touched.
 *
 * <p>Shape: no default devices and no display; the pc machine with its RAM from a shared file (so the host maps the same
 * pages); the QMP monitor first and COM1 second, both unix-socket servers that wait for us, so QEMU starts the guest only
 * after we are listening and not one console byte is lost; the gdbstub on a third unix socket that does not wait (QEMU
 * pauses the guest when a debugger connects, so we attach after start; it freezes the guest, reads registers and
 * arms watchpoints); {@code -no-reboot} so a guest reset (a kernel panic with {@code panic=-1}) ends the VM.
 *
 * @param qemu          the QEMU binary
 * @param spec          the VM to build
 * @param accelerator   the accelerator decided for this host
 * @param ramFile       the guest RAM backing file
 * @param qmpSocket     where QEMU listens for QMP
 * @param consoleSocket where QEMU serves COM1
 * @param gdbSocket     where QEMU serves its gdbstub
 * @param initrd        the (merged) initramfs, if any
 * @param kernelCmdline the full kernel command line (the spec's plus the backend's parameters)
 * @param tcgThreads    TCG's translation threads, when the accelerator is TCG ({@link TcgThreads#forQemu})
 * @param incoming      wait for the guest's device state over QMP ({@code -incoming defer}) instead of booting: a
 *                      restore from a boot template, whose RAM is already in the RAM file
 */
public record QemuCommandLine(Path qemu, VmSpec spec, Accelerator accelerator, Path ramFile, Path qmpSocket,
                              Path consoleSocket, Path gdbSocket, Optional<Path> initrd, String kernelCmdline,
                              TcgThreads tcgThreads, boolean incoming) {

    /** A cold boot. */
    public QemuCommandLine(Path qemu, VmSpec spec, Accelerator accelerator, Path ramFile, Path qmpSocket,
                           Path consoleSocket, Path gdbSocket, Optional<Path> initrd, String kernelCmdline,
                           TcgThreads tcgThreads) {
        this(qemu, spec, accelerator, ramFile, qmpSocket, consoleSocket, gdbSocket, initrd, kernelCmdline, tcgThreads,
                false);
    }

    public List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add(qemu.toString());
        add(args, "-name", "freezeframe,debug-threads=on");
        args.addAll(List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot"));
        add(args, "-machine", "pc,memory-backend=ram0");
        args.addAll(acceleratorOptions(accelerator, tcgThreads));
        add(args, "-smp", Integer.toString(spec.vcpus()));
        add(args, "-m", spec.memoryMiB() + "M");
        add(args, "-object", "memory-backend-file,id=ram0,size=" + spec.memoryBytes() + ",mem-path=" + opt(ramFile)
                + ",share=on");
        add(args, "-chardev", "socket,id=qmp,path=" + opt(qmpSocket) + ",server=on,wait=on");
        add(args, "-mon", "chardev=qmp,mode=control");
        add(args, "-chardev", "socket,id=com1,path=" + opt(consoleSocket) + ",server=on,wait=on");
        add(args, "-serial", "chardev:com1");
        add(args, "-gdb", "unix:" + opt(gdbSocket) + ",server=on,wait=off");
        spec.kernel().ifPresent(kernel -> {
            add(args, "-kernel", kernel.toString());
            initrd.ifPresent(i -> add(args, "-initrd", i.toString()));
            add(args, "-append", kernelCmdline);
        });
        // The restored machine must be built exactly like the saved one (same kernel and initrd: -kernel adds an
        // option ROM, whose RAM block the device state names), then it waits for migrate-incoming.
        if (incoming) add(args, "-incoming", "defer");
        return List.copyOf(args);
    }

    /**
     * The accelerator and CPU model options, shared with anything that must boot the same way (the benchmark's bare
     * QEMU baseline).
     */
    public static List<String> acceleratorOptions(Accelerator accelerator, TcgThreads tcgThreads) {
        return switch (accelerator) {
            case KVM -> List.of("-accel", "kvm", "-cpu", "host");
            // thread=single on a QEMU whose multi-threaded TCG can run a stale int3 after another vCPU's text_poke
            case TCG -> List.of("-accel", "tcg,thread=" + tcgThreads.option(), "-cpu", "max");
        };
    }

    /** The options the backend uses with {@code qemu} (benchmarks compare against exactly these). */
    public static List<String> acceleratorOptions(Accelerator accelerator, Path qemu) {
        return acceleratorOptions(accelerator, accelerator == Accelerator.TCG ? TcgThreads.forQemu(qemu)
                : TcgThreads.SINGLE);
    }

    private static void add(List<String> args, String option, String value) {
        args.add(option);
        args.add(value);
    }

    /** QEMU's option syntax separates key=value pairs with commas; a comma inside a value is written twice. */
    static String opt(Path value) {
        return value.toString().replace(",", ",,");
    }
}
