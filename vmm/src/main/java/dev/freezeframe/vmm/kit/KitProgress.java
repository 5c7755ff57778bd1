package dev.freezeframe.vmm.kit;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.Locale;

/** Where a kit build reports what it is doing: each step by name, with sizes, and byte counts for downloads. */
public interface KitProgress {
    /** A step begins. */
    void step(String name, String detail);

    /** A step ended; {@code detail} names what it produced (with sizes). */
    void done(String name, String detail);

    /** Download progress of one file. Called often; implementations rate-limit their output. */
    void bytes(String name, long done, long total);

    /** A remark that is not a step (skips, decisions). */
    void note(String text);

    static KitProgress silent() {
        return new KitProgress() {
            @Override public void step(String name, String detail) { }
            @Override public void done(String name, String detail) { }
            @Override public void bytes(String name, long done, long total) { }
            @Override public void note(String text) { }
        };
    }

    /** Prints {@code [  12.3s] step: detail} lines with the time since the build started. */
    static KitProgress printingTo(PrintStream out) {
        return new Printing(text -> {
            out.println(text);
            out.flush();
        }, System.nanoTime());
    }

    static KitProgress printingTo(PrintWriter out) {
        return new Printing(text -> {
            out.println(text);
            out.flush();
        }, System.nanoTime());
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    final class Printing implements KitProgress {
        private final Consumer<String> out;
        private final long start;
        private long lastBytesLine;
        private String lastBytesName = "";
        private long lastBytesDone = -1;

        Printing(Consumer<String> out, long start) {
            this.out = out;
            this.start = start;
        }

        private void line(String text) {
            out.accept(String.format(Locale.ROOT, "[%6.1fs] %s", (System.nanoTime() - start) / 1e9, text));
        }

        @Override
        public void step(String name, String detail) {
            line(name + (detail.isEmpty() ? "" : ": " + detail));
        }

        @Override
        public void done(String name, String detail) {
            line(name + " done" + (detail.isEmpty() ? "" : ": " + detail));
        }

        /** Small files finish before a line would help; large ones get a line a second and one at the end. */
        static final long SHOW_BYTES_FROM = 4L << 20;

        @Override
        public void bytes(String name, long done, long total) {
            if (total < SHOW_BYTES_FROM) {
                return;
            }
            long now = System.nanoTime();
            if (!name.equals(lastBytesName)) {
                lastBytesName = name;
                lastBytesDone = -1;
                lastBytesLine = now;
                line("  " + name + ": " + size(total));
            }
            if (done == lastBytesDone || (done < total && now - lastBytesLine < 1_000_000_000L)) {
                return;
            }
            lastBytesLine = now;
            lastBytesDone = done;
            line("  " + name + ": " + size(done) + " / " + size(total));
        }

        @Override
        public void note(String text) {
            line(text);
        }
    }
}
