package dev.freezeframe.coordinator.introspect.kernel;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Puts the guest's KERNEL_BTF parts back together and parses the result. The guest is untrusted: parts must arrive in
 * order and agree on the kernel's identity, and the compressed and inflated sizes are bounded (a vmlinux BTF is a few
 * MiB; {@link Btf#MAX_BLOB_SIZE} is far above). Anything wrong yields a {@link GuestKernel} whose types say why, never
 * an exception. One kernel per run: parts after the first complete kernel are ignored.
 */
public final class GuestKernelAssembler {
    /** Largest compressed stream accepted. */
    public static final long MAX_COMPRESSED = Btf.MAX_BLOB_SIZE;

    private WireMessage.KernelBtf first;
    private ByteArrayOutputStream stream;
    private boolean done;

    /** Adds a part; the kernel once its last part is in (or once the transfer is known to be broken). */
    public Optional<GuestKernel> add(WireMessage.KernelBtf part) {
        if (done) return Optional.empty();
        if (first == null) {
            first = part;
            if (part.total() == 0) return finish(new byte[0], Read.unavailable("the guest kernel " + part.release()
                    + " has no BTF (/sys/kernel/btf/vmlinux is missing: it was built without CONFIG_DEBUG_INFO_BTF)"));
            if (part.total() > MAX_COMPRESSED || part.rawLength() > Btf.MAX_BLOB_SIZE) {
                return broken("the guest announced " + part.total() + " compressed / " + part.rawLength()
                        + " raw bytes of BTF, more than the " + (Btf.MAX_BLOB_SIZE >> 20) + " MiB accepted");
            }
            stream = new ByteArrayOutputStream((int) part.total());
        }
        if (part.total() != first.total() || part.rawLength() != first.rawLength()
                || !part.release().equals(first.release()) || !part.buildId().equals(first.buildId())) {
            return broken("the guest's BTF parts disagree about the kernel they describe");
        }
        if (part.offset() != stream.size()) {
            return broken("a part of the guest's BTF is missing (expected offset " + stream.size() + ", got "
                    + part.offset() + ")");
        }
        stream.writeBytes(part.data());
        if (stream.size() < first.total()) return Optional.empty();
        return parse(stream.toByteArray());
    }

    private Optional<GuestKernel> parse(byte[] compressed) {
        byte[] raw = new byte[(int) first.rawLength()];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            int n = 0;
            while (n < raw.length && !inflater.finished()) {
                int got = inflater.inflate(raw, n, raw.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                n += got;
            }
            if (n != raw.length || !inflater.finished()) {
                return broken("the guest's BTF does not inflate to the " + raw.length + " bytes it announced");
            }
        } catch (DataFormatException e) {
            return broken("the guest's BTF is not a valid zlib stream (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
        try {
            return finish(raw, Read.ok(new KernelTypes(Btf.parse(raw))));
        } catch (BtfException e) {
            return finish(raw, Read.unavailable("the guest kernel's BTF cannot be parsed: " + e.getMessage()));
        }
    }

    private Optional<GuestKernel> broken(String why) {
        return finish(new byte[0], Read.unavailable(why));
    }

    private Optional<GuestKernel> finish(byte[] btf, Read<KernelTypes> types) {
        done = true;
        stream = null;
        return Optional.of(new GuestKernel(first.release(), first.buildId(), btf, types));
    }
}
