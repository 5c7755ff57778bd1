package dev.freezeframe.coordinator.introspect.kernel;

import static dev.freezeframe.coordinator.introspect.testing.BtfWriter.m;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.testing.BtfWriter;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class GuestKernelAssemblerTest {
    private static final String RELEASE = "7.3.4+deb13-amd64";
    private static final String BUILD_ID = "b3997c9bf954aa00112233445566778899aabbcc";

    /** A BTF blob where {@code struct mm_struct} has {@code pgd} at 80 (not the kit's offset). */
    private static byte[] btf() {
        BtfWriter w = new BtfWriter();
        int u64 = w.integer("unsigned long", 8, false);
        w.struct("mm_struct", 128, m("pgd", u64, 80));
        return w.build();
    }

    private static byte[] zlib(byte[] raw) {
        Deflater deflater = new Deflater(1);
        deflater.setInput(raw);
        deflater.finish();
        byte[] out = new byte[raw.length + 64];
        int n = deflater.deflate(out);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    private static List<WireMessage.KernelBtf> parts(byte[] raw, int partSize) {
        byte[] packed = zlib(raw);
        List<WireMessage.KernelBtf> parts = new ArrayList<>();
        for (int at = 0; at < packed.length; at += partSize) {
            parts.add(new WireMessage.KernelBtf(at, packed.length, raw.length, RELEASE, BUILD_ID,
                    Arrays.copyOfRange(packed, at, Math.min(packed.length, at + partSize))));
        }
        return parts;
    }

    private static Optional<GuestKernel> feed(GuestKernelAssembler assembler, List<WireMessage.KernelBtf> parts) {
        Optional<GuestKernel> last = Optional.empty();
        for (int i = 0; i < parts.size(); i++) {
            last = assembler.add(parts.get(i));
            assertEquals(i == parts.size() - 1, last.isPresent(), "complete only after the last part");
        }
        return last;
    }

    @Test
    void partsInOrderGiveTheGuestKernelsOwnLayouts() {
        byte[] raw = btf();
        List<WireMessage.KernelBtf> parts = parts(raw, 7);
        assertTrue(parts.size() > 2);
        GuestKernel kernel = feed(new GuestKernelAssembler(), parts).orElseThrow();
        assertEquals(RELEASE, kernel.release());
        assertEquals(BUILD_ID, kernel.buildId());
        assertArrayEquals(raw, kernel.btf());
        assertEquals(Read.ok(80L), kernel.types().orElse(null).offsetOf("struct mm_struct", "pgd"));
        assertEquals("7.3.4+deb13-amd64 (build id b3997c9bf954…)", kernel.describe());
    }

    @Test
    void aKernelWithoutBtfSaysSo() {
        GuestKernel kernel = new GuestKernelAssembler().add(new WireMessage.KernelBtf(0, 0, 0, RELEASE, "", new byte[0]))
                .orElseThrow();
        assertFalse(kernel.types().isOk());
        assertTrue(kernel.types().reasonOrNull().contains("has no BTF"), kernel.types().reasonOrNull());
    }

    @Test
    void aMissingPartBreaksTheTransferWithAReason() {
        List<WireMessage.KernelBtf> parts = parts(btf(), 7);
        GuestKernelAssembler assembler = new GuestKernelAssembler();
        assertTrue(assembler.add(parts.get(0)).isEmpty());
        GuestKernel kernel = assembler.add(parts.get(2)).orElseThrow();
        assertTrue(kernel.types().reasonOrNull().contains("is missing"), kernel.types().reasonOrNull());
        assertTrue(assembler.add(parts.get(1)).isEmpty(), "one kernel per run: later parts are ignored");
    }

    @Test
    void partsThatDisagreeAboutTheKernelAreRefused() {
        List<WireMessage.KernelBtf> parts = parts(btf(), 7);
        GuestKernelAssembler assembler = new GuestKernelAssembler();
        assembler.add(parts.get(0));
        WireMessage.KernelBtf second = parts.get(1);
        GuestKernel kernel = assembler.add(new WireMessage.KernelBtf(second.offset(), second.total(),
                second.rawLength(), "6.12.0", second.buildId(), second.data())).orElseThrow();
        assertTrue(kernel.types().reasonOrNull().contains("disagree"), kernel.types().reasonOrNull());
    }

    @Test
    void aStreamThatIsNotZlibOrInflatesToAnotherSizeIsRefused() {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x5a);
        GuestKernel notZlib = new GuestKernelAssembler().add(new WireMessage.KernelBtf(0, 64, 1000, RELEASE, BUILD_ID,
                garbage)).orElseThrow();
        assertTrue(notZlib.types().reasonOrNull().contains("zlib"), notZlib.types().reasonOrNull());

        byte[] raw = btf();
        byte[] packed = zlib(raw);
        GuestKernel wrongSize = new GuestKernelAssembler().add(new WireMessage.KernelBtf(0, packed.length,
                raw.length + 100, RELEASE, BUILD_ID, packed)).orElseThrow();
        assertTrue(wrongSize.types().reasonOrNull().contains("does not inflate"), wrongSize.types().reasonOrNull());
    }

    @Test
    void anAnnouncedSizeAboveTheBoundIsRefusedBeforeAnythingIsKept() {
        GuestKernel kernel = new GuestKernelAssembler().add(new WireMessage.KernelBtf(0, 0xFFFF_FFFFL, 0xFFFF_FFFFL,
                RELEASE, BUILD_ID, new byte[16])).orElseThrow();
        assertTrue(kernel.types().reasonOrNull().contains("more than"), kernel.types().reasonOrNull());
    }

    @Test
    void bytesThatInflateButAreNotBtfSayTheBtfCannotBeParsed() {
        byte[] raw = "not a BTF blob at all".getBytes();
        GuestKernel kernel = feed(new GuestKernelAssembler(), parts(raw, 1000)).orElseThrow();
        assertTrue(kernel.types().reasonOrNull().contains("cannot be parsed"), kernel.types().reasonOrNull());
    }
}
