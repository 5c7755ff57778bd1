package dev.freezeframe.vmm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a console byte stream into lines: splits on '\n', drops the '\r's a serial console puts before it, decodes
 * UTF-8 leniently (the guest is untrusted; bad bytes become U+FFFD), and cuts lines that never end at
 * {@link ConsoleLine#MAX_CHARS} bytes. Not thread-safe: one reader feeds it.
 */
public final class LineSplitter {

    /** Receives each line: its text and whether it ended with a newline. */
    @FunctionalInterface
    public interface Sink {
        void line(String text, boolean complete);
    }

    private final Sink sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);

    public LineSplitter(Sink sink) {
        this.sink = sink;
    }

    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                emit(true);
            } else {
                pending.write(b);
                if (pending.size() >= ConsoleLine.MAX_CHARS) {
                    emit(false);
                }
            }
        }
    }

    /** End of stream: a pending partial line is delivered as incomplete. */
    public void finish() {
        if (pending.size() > 0) {
            emit(false);
        }
    }

    private void emit(boolean complete) {
        byte[] raw = pending.toByteArray();
        pending.reset();
        int len = raw.length;
        while (len > 0 && raw[len - 1] == '\r') {
            len--;
        }
        sink.line(new String(raw, 0, len, StandardCharsets.UTF_8), complete);
    }
}
