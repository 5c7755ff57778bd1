package dev.freezeframe.persistence;

import java.util.Objects;

/**
 * Something an engineer left on a run in the snapshot viewer: a {@code MARK} labels a map entry (by its path, e.g.
 * {@code task_ctx:[1234]}, so it follows the key across snapshots); a {@code PIN} keeps a field on screen (label empty).
 */
public record ViewerMark(Kind kind, String path, String label) {
    /** What the mark is. */
    public enum Kind {
        MARK("mark"), PIN("pin");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        String column() {
            return column;
        }

        static Kind of(String column) {
            for (Kind k : values()) if (k.column.equals(column)) return k;
            throw new IllegalArgumentException("unknown viewer mark kind " + column);
        }
    }

    public ViewerMark {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        label = label == null ? "" : label;
    }
}
