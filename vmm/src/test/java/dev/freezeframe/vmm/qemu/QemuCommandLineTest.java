package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.Accelerator;
import dev.freezeframe.vmm.VmSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

    private static final Path DIR = Path.of("/run/user/0/freezeframe-vm-1");

    private static List<String> args(VmSpec spec, Accelerator accel, Optional<Path> initrd, String cmdline) {
        return new QemuCommandLine(Path.of("/usr/bin/qemu-system-x86_64"), spec, accel, DIR.resolve("guest-ram"),
                DIR.resolve("qmp.sock"), DIR.resolve("console.sock"), DIR.resolve("gdb.sock"), initrd, cmdline,
                TcgThreads.SINGLE).arguments();
    }

    /** The value following {@code option} (the first occurrence after {@code from}). */
    private static String after(List<String> args, String option, int nth) {
        int seen = 0;
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals(option) && seen++ == nth) {
                return args.get(i + 1);
            }
        }
        throw new AssertionError(option + " #" + nth + " missing in " + args);
    }

    @Test
    void tcgGuestWithKernelSharedRamSocketsAndNoReboot() {
        VmSpec spec = VmSpec.builder().kernel(Path.of("/kit/bzImage")).vcpus(4).memoryMiB(2048).build();
        List<String> args = args(spec, Accelerator.TCG, Optional.of(Path.of("/kit/initrd")), "console=ttyS0 panic=-1");
        assertEquals("/usr/bin/qemu-system-x86_64", args.getFirst());
        assertTrue(args.containsAll(List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot")));
        assertEquals("tcg,thread=single", after(args, "-accel", 0));
        assertEquals("max", after(args, "-cpu", 0));
        assertEquals("4", after(args, "-smp", 0));
        assertEquals("2048M", after(args, "-m", 0));
        assertEquals("pc,memory-backend=ram0", after(args, "-machine", 0));
        assertEquals("memory-backend-file,id=ram0,size=2147483648,mem-path=" + DIR + "/guest-ram,share=on",
                after(args, "-object", 0));
        assertEquals("socket,id=qmp,path=" + DIR + "/qmp.sock,server=on,wait=on", after(args, "-chardev", 0));
        assertEquals("chardev=qmp,mode=control", after(args, "-mon", 0));
        assertEquals("socket,id=com1,path=" + DIR + "/console.sock,server=on,wait=on", after(args, "-chardev", 1));
        assertEquals("chardev:com1", after(args, "-serial", 0));
        assertEquals("unix:" + DIR + "/gdb.sock,server=on,wait=off", after(args, "-gdb", 0));
        assertEquals("/kit/bzImage", after(args, "-kernel", 0));
        assertEquals("/kit/initrd", after(args, "-initrd", 0));
        assertEquals("console=ttyS0 panic=-1", after(args, "-append", 0));
        assertEquals(1, Collections.frequency(args, "-serial"), "COM1 only; nothing else on a serial port");
    }

    @Test
    void theQmpSocketComesBeforeTheConsoleBecauseQemuWaitsOnThemInThatOrder() {
        List<String> args = args(VmSpec.builder().build(), Accelerator.TCG, Optional.empty(), "");
        assertTrue(args.indexOf("socket,id=qmp,path=" + DIR + "/qmp.sock,server=on,wait=on")
                < args.indexOf("socket,id=com1,path=" + DIR + "/console.sock,server=on,wait=on"));
    }

    @Test
    void kvmUsesTheHostCpu() {
        List<String> args = args(VmSpec.builder().build(), Accelerator.KVM, Optional.empty(), "");
        assertEquals("kvm", after(args, "-accel", 0));
        assertEquals("host", after(args, "-cpu", 0));
    }

    @Test
    void firmwareOnlyHasNoKernelOptions() {
        List<String> args = args(VmSpec.builder().build(), Accelerator.TCG, Optional.empty(), "");
        assertFalse(args.contains("-kernel"));
        assertFalse(args.contains("-initrd"));
        assertFalse(args.contains("-append"));
    }

    @Test
    void commasInPathsAreEscapedForQemusOptionSyntax() {
        assertEquals("/tmp/a,,b/guest-ram", QemuCommandLine.opt(Path.of("/tmp/a,b/guest-ram")));
    }

    @Test
    void aRestoreBuildsTheSameMachineAndWaitsForItsDeviceState() {
        VmSpec spec = VmSpec.builder().kernel(Path.of("/kit/bzImage")).build();
        QemuCommandLine cold = new QemuCommandLine(Path.of("/usr/bin/qemu-system-x86_64"), spec, Accelerator.TCG,
                DIR.resolve("guest-ram"), DIR.resolve("qmp.sock"), DIR.resolve("console.sock"), DIR.resolve("gdb.sock"),
                Optional.of(Path.of("/kit/initrd")), "console=ttyS0", TcgThreads.SINGLE);
        QemuCommandLine restore = new QemuCommandLine(cold.qemu(), spec, Accelerator.TCG, cold.ramFile(),
                cold.qmpSocket(), cold.consoleSocket(), cold.gdbSocket(), cold.initrd(), cold.kernelCmdline(), TcgThreads.SINGLE, true);
        List<String> expected = new java.util.ArrayList<>(cold.arguments());
        expected.addAll(List.of("-incoming", "defer"));
        assertEquals(expected, restore.arguments());
        assertTrue(!cold.arguments().contains("-incoming"));
    }

    @Test
    void tcgRunsMultiThreadedOnlyOnAQemuWhoseTranslationLocksThePage() {
        assertEquals(TcgThreads.SINGLE, TcgThreads.forVersionText("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7)"));
        assertEquals(TcgThreads.SINGLE, TcgThreads.forVersionText("QEMU emulator version 9.2.0"));
        assertEquals(TcgThreads.MULTI, TcgThreads.forVersionText(
                "QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)"));
        assertEquals(TcgThreads.SINGLE, TcgThreads.forVersionText("not a QEMU"), "unknown: the safe choice");
        assertEquals(List.of("-accel", "tcg,thread=multi", "-cpu", "max"),
                QemuCommandLine.acceleratorOptions(Accelerator.TCG, TcgThreads.MULTI));
        assertEquals(List.of("-accel", "kvm", "-cpu", "host"),
                QemuCommandLine.acceleratorOptions(Accelerator.KVM, TcgThreads.MULTI));
    }
}
