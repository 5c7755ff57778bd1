package dev.freezeframe.snapshots.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plottable fields of a run, from one snapshot's entries in the archive's field index (map → path → value): one
 * {@link FieldRef} per plain field and one per per-CPU field (its {@code prefix@cpuN rest} paths folded together), in
 * the report's order. What the palette's {@code #} mode searches.
 */
public final class FieldCatalog {
    private static final Pattern PER_CPU = Pattern.compile("^(.*)@cpu(\\d{1,4})(.*)$");

    private FieldCatalog() {
    }

    /** At most {@code limit} fields of {@code fields}, per-CPU paths folded into one field each. */
    public static List<FieldRef> of(Map<String, Map<String, Double>> fields, int limit) {
        List<FieldRef> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> map : fields.entrySet()) {
            // prefix + rest → the number of CPUs seen, in first-seen order
            Map<List<String>, Integer> perCpu = new LinkedHashMap<>();
            List<Object> order = new ArrayList<>();
            for (String path : map.getValue().keySet()) {
                Matcher m = PER_CPU.matcher(path);
                if (m.matches()) {
                    List<String> key = List.of(m.group(1), m.group(3));
                    int cpu = Integer.parseInt(m.group(2));
                    Integer was = perCpu.put(key, Math.max(cpu + 1, perCpu.getOrDefault(key, 0)));
                    if (was == null) order.add(key);
                } else {
                    order.add(path);
                }
            }
            for (Object o : order) {
                if (out.size() >= limit) return out;
                if (o instanceof String path) {
                    out.add(FieldRef.plain(map.getKey(), path));
                } else {
                    @SuppressWarnings("unchecked")
                    List<String> key = (List<String>) o;
                    out.add(new FieldRef(map.getKey(), key.get(0), key.get(1), perCpu.get(key)));
                }
            }
        }
        return out;
    }
}
