package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.AcceleratorChoice;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmSpec;
import java.nio.file.Path;

/**
 * A separate JVM for {@link JvmDeathTest}: starts a firmware-only VM under the given runtime parent, prints QEMU's pid,
 * then waits to be killed.
 */
public final class VmOwnerProcess {

    public static void main(String[] args) throws Exception {
        QemuBackend backend = new QemuBackend(QemuBackend::locateQemu, new dev.freezeframe.vmm.AcceleratorDetector(),
                bytes -> RuntimeDirectory.createUnder(Path.of(args[0])));
        RunningVm vm = backend.start(VmSpec.builder().vcpus(1).memoryMiB(64).accelerator(AcceleratorChoice.TCG).build());
        long qemu = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").endsWith(QemuBackend.QEMU_NAME)).findFirst().orElseThrow()
                .pid();
        System.out.println("QEMU " + qemu);
        System.out.flush();
        Thread.sleep(600_000);
        vm.close();
    }

    private VmOwnerProcess() {
    }
}
