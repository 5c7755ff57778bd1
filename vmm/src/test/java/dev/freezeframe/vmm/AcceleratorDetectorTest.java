package dev.freezeframe.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorDetectorTest {

    @TempDir
    Path dir;

    private Path cpuinfo(String flags) throws IOException {
        return Files.writeString(dir.resolve("cpuinfo"),
                "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme " + flags + " sse2\n\nprocessor\t: 1\n");
    }

    private Path openableDevice() throws IOException {
        return Files.writeString(dir.resolve("kvm"), "");
    }

    @Test
    void kvmNeedsBothTheCpuFlagAndAnOpenableDevice() throws IOException {
        AcceleratorDetector.Decision d = new AcceleratorDetector(cpuinfo("vmx"), openableDevice()).decide(AcceleratorChoice.AUTO);
        assertEquals(Accelerator.KVM, d.accelerator());
        assertEquals(Accelerator.KVM,
                new AcceleratorDetector(cpuinfo("svm"), openableDevice()).decide(AcceleratorChoice.AUTO).accelerator());
    }

    @Test
    void aKvmDeviceWithoutVmxOrSvmMeansTcgAsOnKvmPvmHosts() throws IOException {
        AcceleratorDetector.Decision d = new AcceleratorDetector(cpuinfo("hypervisor"), openableDevice())
                .decide(AcceleratorChoice.AUTO);
        assertEquals(Accelerator.TCG, d.accelerator());
        assertTrue(d.reason().contains("neither vmx nor svm"), d.reason());
    }

    @Test
    void theCpuFlagWithoutAUsableDeviceMeansTcg() throws IOException {
        AcceleratorDetector.Decision d = new AcceleratorDetector(cpuinfo("vmx"), dir.resolve("missing"))
                .decide(AcceleratorChoice.AUTO);
        assertEquals(Accelerator.TCG, d.accelerator());
        assertTrue(d.reason().contains("cannot be opened"), d.reason());
    }

    @Test
    void anExplicitChoiceWins() throws IOException {
        assertEquals(Accelerator.TCG,
                new AcceleratorDetector(cpuinfo("vmx"), openableDevice()).decide(AcceleratorChoice.TCG).accelerator());
        assertEquals(Accelerator.KVM,
                new AcceleratorDetector(cpuinfo(""), dir.resolve("missing")).decide(AcceleratorChoice.KVM).accelerator());
    }

    @Test
    void thisBuildHostHasKvmPvmWithoutVmxOrSvmSoItGetsTcg() throws IOException {
        // docs/architecture.md §3: the project's build machines expose /dev/kvm (kvm-pvm) but no vmx/svm.
        String flags = Files.readString(Path.of("/proc/cpuinfo"));
        boolean hardware = flags.contains(" vmx") || flags.contains(" svm");
        Accelerator expected = hardware && Files.isWritable(Path.of("/dev/kvm")) ? Accelerator.KVM : Accelerator.TCG;
        assertEquals(expected, new AcceleratorDetector().decide(AcceleratorChoice.AUTO).accelerator());
    }
}
