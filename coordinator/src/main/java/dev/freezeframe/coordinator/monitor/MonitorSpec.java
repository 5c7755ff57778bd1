package dev.freezeframe.coordinator.monitor;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scheduler map field the live monitor samples, as the user writes it: {@code MAP:FIELD_PATH} or
 * {@code MAP[KEY]:FIELD_PATH}. {@code MAP} is the BPF map's name as snapshots show it ({@code scx_qmap.bss},
 * {@code arena}, {@code stats}); {@code KEY} the array index (0 when left out); {@code FIELD_PATH} a member path in the
 * value's BTF type ({@code nr_enqueued}, {@code qa.nr_enqueued}, {@code cpus[1].cnt}) — for global-data maps
 * ({@code .bss}, {@code .data}, an arena's globals) its first name is the variable.
 */
public record MonitorSpec(String map, long key, String path) {
    private static final Pattern SYNTAX = Pattern.compile("([^\\[\\]:\\s]+)(?:\\[(\\d{1,9})\\])?:([A-Za-z_][\\w.\\[\\]]*)");

    public MonitorSpec {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(path, "path");
    }

    /**
     * @throws IllegalArgumentException with a message for the user when {@code text} is not {@code MAP[KEY]:FIELD}
     */
    public static MonitorSpec parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--monitor '" + text + "' is not MAP:FIELD_PATH or MAP[KEY]:FIELD_PATH"
                    + " (for example arena:qa.nr_enqueued or stats[0]:cnt)");
        }
        if (m.group(3).endsWith(".") || m.group(3).contains("..")) {
            throw new IllegalArgumentException("--monitor '" + text + "': the field path '" + m.group(3)
                    + "' has an empty member name");
        }
        return new MonitorSpec(m.group(1), m.group(2) == null ? 0 : Long.parseLong(m.group(2)), m.group(3));
    }

    /** The series name: {@code field/arena:qa.nr_enqueued}, {@code field/stats[3]:cnt}. */
    public String seriesName() {
        return "field/" + map + (key == 0 ? "" : "[" + key + "]") + ":" + path;
    }

    public String text() {
        return map + (key == 0 ? "" : "[" + key + "]") + ":" + path;
    }
}
