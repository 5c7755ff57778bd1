package dev.freezeframe.snapshots.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldCatalogTest {
    @Test
    void perCpuPathsFoldIntoOneFieldAndPlainOnesStayInReportOrder() {
        Map<String, Double> bss = new LinkedHashMap<>();
        bss.put("nr_enqueued", 1.0);
        bss.put("nr_dispatched", 2.0);
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("[0]@cpu0.cnt", 1.0);
        stats.put("[0]@cpu1.cnt", 1.0);
        stats.put("[1]@cpu0", 1.0);
        stats.put("[0]@cpu2.cnt", 1.0);
        stats.put("[1]@cpu1", 1.0);
        Map<String, Map<String, Double>> fields = new LinkedHashMap<>();
        fields.put("scx_qmap.bss", bss);
        fields.put("stats", stats);

        List<FieldRef> all = FieldCatalog.of(fields, 100);
        assertEquals(List.of("scx_qmap.bss:nr_enqueued", "scx_qmap.bss:nr_dispatched", "stats:[0]@cpu*.cnt",
                "stats:[1]@cpu*"), all.stream().map(FieldRef::label).toList());
        assertEquals(3, all.get(2).cpus());
        assertEquals(List.of("[1]@cpu0", "[1]@cpu1"), all.get(3).paths());
        assertEquals(2, FieldCatalog.of(fields, 2).size(), "capped");
    }
}
