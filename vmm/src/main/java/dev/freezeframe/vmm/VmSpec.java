package dev.freezeframe.vmm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend needs to boot one guest. Immutable; build with {@link #builder()}.
 *
 * @param kernel         the bzImage; empty boots firmware only (useful to test the backend without a guest kernel)
 * @param initrds        initramfs archives in load order: the kit's base archive first, then per-run archives whose files
 *                       are laid over it (the kernel unpacks concatenated archives in order)
 * @param cmdline        kernel command line; the backend appends its own parameters (e.g. the data-channel window)
 * @param vcpus          number of virtual CPUs
 * @param memoryMiB      guest RAM in MiB
 * @param accelerator    which accelerator to use, or {@link AcceleratorChoice#AUTO}
 * @param dataChannel    whether to set up the guest↔host data channel (needs a kernel and at least
 *                       {@link #MIN_MEMORY_MIB_WITH_DATA_CHANNEL} MiB)
 * @param timeouts       phase timeouts
 */
public record VmSpec(Optional<Path> kernel, List<Path> initrds, String cmdline, int vcpus, long memoryMiB,
                     AcceleratorChoice accelerator, boolean dataChannel, VmTimeouts timeouts) {

    public static final int MAX_VCPUS = 64;
    public static final long MIN_MEMORY_MIB = 16;
    public static final long MIN_MEMORY_MIB_WITH_DATA_CHANNEL = 256;

    public VmSpec {
        Objects.requireNonNull(kernel, "kernel");
        initrds = List.copyOf(initrds);
        Objects.requireNonNull(cmdline, "cmdline");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(timeouts, "timeouts");
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw bad("The VM needs between 1 and " + MAX_VCPUS + " vCPUs, not " + vcpus + ".");
        }
        if (memoryMiB < MIN_MEMORY_MIB) {
            throw bad("The VM needs at least " + MIN_MEMORY_MIB + " MiB of memory, not " + memoryMiB + " MiB.");
        }
        if (kernel.isEmpty() && (!initrds.isEmpty() || !cmdline.isBlank())) {
            throw bad("An initramfs or kernel command line was given without a kernel; give the kernel too.");
        }
        if (dataChannel && kernel.isEmpty()) {
            throw bad("The data channel needs a guest kernel; give a kernel or turn the data channel off.");
        }
        if (dataChannel && memoryMiB < MIN_MEMORY_MIB_WITH_DATA_CHANNEL) {
            throw bad("The data channel needs at least " + MIN_MEMORY_MIB_WITH_DATA_CHANNEL + " MiB of guest memory, not "
                    + memoryMiB + " MiB.");
        }
        if (cmdline.indexOf('\n') >= 0 || cmdline.indexOf('\0') >= 0) {
            throw bad("The kernel command line must be a single line.");
        }
    }

    public long memoryBytes() {
        return memoryMiB << 20;
    }

    /** Checks that the files named here exist and are readable; called by backends before launching anything. */
    public void requireFilesReadable() {
        kernel.ifPresent(k -> requireReadable(k, "kernel"));
        initrds.forEach(i -> requireReadable(i, "initramfs"));
    }

    private static void requireReadable(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new VmmException(VmmException.Kind.HOST_SETUP,
                    "The " + what + " file " + file + " does not exist or is not readable; check the path.");
        }
    }

    private static VmmException bad(String sentence) {
        return new VmmException(VmmException.Kind.BAD_SPEC, sentence);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.kernel = kernel.orElse(null);
        b.initrds.addAll(initrds);
        b.cmdline = cmdline;
        b.vcpus = vcpus;
        b.memoryMiB = memoryMiB;
        b.accelerator = accelerator;
        b.dataChannel = dataChannel;
        b.timeouts = timeouts;
        return b;
    }

    /** Defaults: 2 vCPUs, 1 GiB, automatic accelerator, no data channel, {@link VmTimeouts#DEFAULTS}. */
    public static final class Builder {
        private Path kernel;
        private final List<Path> initrds = new ArrayList<>();
        private String cmdline = "";
        private int vcpus = 2;
        private long memoryMiB = 1024;
        private AcceleratorChoice accelerator = AcceleratorChoice.AUTO;
        private boolean dataChannel;
        private VmTimeouts timeouts = VmTimeouts.DEFAULTS;

        private Builder() {
        }

        public Builder kernel(Path value) {
            kernel = value;
            return this;
        }

        /** Appends one initramfs after those already added. */
        public Builder addInitrd(Path value) {
            initrds.add(Objects.requireNonNull(value));
            return this;
        }

        public Builder cmdline(String value) {
            cmdline = value;
            return this;
        }

        public Builder vcpus(int value) {
            vcpus = value;
            return this;
        }

        public Builder memoryMiB(long value) {
            memoryMiB = value;
            return this;
        }

        public Builder accelerator(AcceleratorChoice value) {
            accelerator = value;
            return this;
        }

        public Builder dataChannel(boolean value) {
            dataChannel = value;
            return this;
        }

        public Builder timeouts(VmTimeouts value) {
            timeouts = value;
            return this;
        }

        public VmSpec build() {
            return new VmSpec(Optional.ofNullable(kernel), initrds, cmdline, vcpus, memoryMiB, accelerator, dataChannel,
                    timeouts);
        }
    }
}
