package dev.freezeframe.vmm;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Decides whether this host can run guests under KVM. Both conditions are needed: the CPU advertises VMX or SVM, and
 * {@code /dev/kvm} opens read-write. A {@code /dev/kvm} without VMX/SVM (e.g. kvm-pvm on the project's build machines)
 * cannot run a stock kernel (docs/architecture.md §3), so it means TCG.
 */
public final class AcceleratorDetector {

    /** The accelerator picked and, for logs and the UI, why. */
    public record Decision(Accelerator accelerator, String reason) {
    }

    private static final Pattern FLAGS_LINE = Pattern.compile("^flags\\s*:(.*)$", Pattern.MULTILINE);

    private final Path cpuinfo;
    private final Path kvmDevice;

    public AcceleratorDetector() {
        this(Path.of("/proc/cpuinfo"), Path.of("/dev/kvm"));
    }

    /** For tests: read CPU flags and probe the KVM device at other paths. */
    public AcceleratorDetector(Path cpuinfo, Path kvmDevice) {
        this.cpuinfo = cpuinfo;
        this.kvmDevice = kvmDevice;
    }

    /** Resolves {@code choice}; a forced choice is honoured as is (QEMU reports it if KVM then fails). */
    public Decision decide(AcceleratorChoice choice) {
        return switch (choice) {
            case KVM -> new Decision(Accelerator.KVM, "KVM requested");
            case TCG -> new Decision(Accelerator.TCG, "TCG requested");
            case AUTO -> detect();
        };
    }

    private Decision detect() {
        String extension = hardwareVirtualizationFlag();
        if (extension == null) {
            return new Decision(Accelerator.TCG, "the CPU advertises neither vmx nor svm");
        }
        String kvmProblem = kvmDeviceProblem();
        if (kvmProblem != null) {
            return new Decision(Accelerator.TCG, "the CPU has " + extension + " but " + kvmProblem);
        }
        return new Decision(Accelerator.KVM, "the CPU has " + extension + " and " + kvmDevice + " opens read-write");
    }

    /** "vmx", "svm" or null when the first CPU's flags name neither. */
    private String hardwareVirtualizationFlag() {
        String text;
        try {
            text = Files.readString(cpuinfo);
        } catch (IOException e) {
            return null;
        }
        var matcher = FLAGS_LINE.matcher(text);
        if (!matcher.find()) {
            return null;
        }
        var flags = Arrays.asList(matcher.group(1).trim().split("\\s+"));
        return flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : null;
    }

    /** Null when the device opens read-write, else a phrase saying why not. */
    private String kvmDeviceProblem() {
        try (FileChannel ignored = FileChannel.open(kvmDevice, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return kvmDevice + " cannot be opened read-write (" + e.getMessage() + ")";
        }
    }
}
