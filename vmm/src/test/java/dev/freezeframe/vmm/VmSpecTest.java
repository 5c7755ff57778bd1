package dev.freezeframe.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VmSpecTest {

    private static VmmException.Kind rejected(VmSpec.Builder builder) {
        return assertThrows(VmmException.class, builder::build).kind();
    }

    @Test
    void refusesImpossibleMachinesWithSentences() {
        assertEquals(VmmException.Kind.BAD_SPEC, rejected(VmSpec.builder().vcpus(0)));
        assertEquals(VmmException.Kind.BAD_SPEC, rejected(VmSpec.builder().memoryMiB(8)));
        assertEquals(VmmException.Kind.BAD_SPEC, rejected(VmSpec.builder().dataChannel(true)));
        assertEquals(VmmException.Kind.BAD_SPEC,
                rejected(VmSpec.builder().kernel(Path.of("k")).dataChannel(true).memoryMiB(128)));
        assertEquals(VmmException.Kind.BAD_SPEC, rejected(VmSpec.builder().addInitrd(Path.of("i"))));
        assertEquals(VmmException.Kind.BAD_SPEC, rejected(VmSpec.builder().kernel(Path.of("k")).cmdline("a\nb")));
    }

    @Test
    void missingFilesAreAHostSetupProblem() {
        VmSpec spec = VmSpec.builder().kernel(Path.of("/nonexistent/bzImage")).build();
        VmmException e = assertThrows(VmmException.class, spec::requireFilesReadable);
        assertEquals(VmmException.Kind.HOST_SETUP, e.kind());
        assertEquals("The kernel file /nonexistent/bzImage does not exist or is not readable; check the path.",
                e.getMessage());
    }

    @Test
    void builderRoundTrips() {
        VmSpec spec = VmSpec.builder().kernel(Path.of("k")).addInitrd(Path.of("a")).addInitrd(Path.of("b"))
                .cmdline("console=ttyS0").vcpus(4).memoryMiB(2048).dataChannel(true).build();
        assertEquals(spec, spec.toBuilder().build());
        assertEquals(2048L << 20, spec.memoryBytes());
    }
}
