package dev.freezeframe.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Compresses snapshot reports (raw DEFLATE) for storage, and inflates them with a size cap. */
final class ReportCodec {
    static final String CODEC = "deflate";
    /** No report inflates beyond this; a larger claim is treated as damage, not as something to allocate. */
    static final int MAX_REPORT_BYTES = 256 << 20;

    private ReportCodec() {
    }

    static byte[] compress(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 4));
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static byte[] compress(String json) {
        return compress(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Inflates {@code compressed}, which must inflate to exactly {@code expectedSize} bytes. */
    static byte[] inflate(byte[] compressed, int expectedSize) throws DataFormatException {
        if (expectedSize < 0 || expectedSize > MAX_REPORT_BYTES) {
            throw new DataFormatException("report size " + expectedSize + " out of range");
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[expectedSize];
            int filled = 0;
            while (filled < expectedSize) {
                int n = inflater.inflate(out, filled, expectedSize - filled);
                if (n == 0) {
                    if (inflater.finished() || inflater.needsInput() || inflater.needsDictionary()) break;
                }
                filled += n;
            }
            if (filled != expectedSize) {
                throw new DataFormatException("report inflated to " + filled + " bytes, expected " + expectedSize);
            }
            // a raw stream needs one more call to see its end; anything beyond the expected size is damage
            byte[] probe = new byte[1];
            if (!inflater.finished() && inflater.inflate(probe) > 0) {
                throw new DataFormatException("report inflates beyond its recorded size " + expectedSize);
            }
            return out;
        } finally {
            inflater.end();
        }
    }

    static String inflateToString(byte[] compressed, int expectedSize) throws DataFormatException {
        return new String(inflate(compressed, expectedSize), StandardCharsets.UTF_8);
    }
}
