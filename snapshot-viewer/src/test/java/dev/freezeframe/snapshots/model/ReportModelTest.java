package dev.freezeframe.snapshots.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.timeline.SeriesPoint;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReportModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String int64(long v) {
        return "{\"kind\":\"int\",\"type\":\"u64\",\"signed\":false,\"bits\":64,\"value\":" + v + "}";
    }

    /** A Freezeframe-style report: a .bss global, a per-CPU array over 2 CPUs, a hash with the given keys. */
    static String report(long nrEnqueued, long cpu0, long cpu1, long[] keys) {
        StringBuilder hash = new StringBuilder();
        for (long k : keys) {
            if (hash.length() > 0) hash.append(',');
            hash.append("{\"key\":").append(int64(k)).append(",\"value\":{\"kind\":\"struct\",\"type\":\"struct task_ctx\","
                    + "\"size\":16,\"fields\":[{\"name\":\"seq\",\"offset\":0,\"value\":").append(int64(k * 10))
                    .append("},{\"name\":\"comm\",\"offset\":8,\"value\":{\"kind\":\"text\",\"type\":\"char[8]\","
                            + "\"length\":8,\"text\":\"w").append(k).append("\",\"terminated\":true,\"truncated\":false}}]}}");
        }
        return """
                {"schema":"freezeframe-snapshot/1","sched_ext":{"attached":true,"opsName":"qmap","exitKindName":"SCX_EXIT_NONE","exitInfo":null},
                 "vcpus":[{"vcpu":0,"rip":"0xffffffff81f3a1c0","rip_symbol":"default_idle+0x10"}],
                 "maps":[
                  {"id":1,"name":"scx_qmap.bss","type":"BPF_MAP_TYPE_ARRAY","valueType":"datasec .bss","entries":[{"key":%s,
                    "valueAddress":"0xffffc90000121000",
                    "value":{"kind":"struct","type":"datasec .bss","size":16,"fields":[
                      {"name":"nr_enqueued","offset":0,"value":%s},
                      {"name":"state","offset":8,"value":{"kind":"enum","type":"enum st","value":2,"name":"RUNNING"}}]}}],
                   "truncated":false,"summary":null,"unavailable":null},
                  {"id":2,"name":"stats","type":"BPF_MAP_TYPE_PERCPU_ARRAY","valueType":"u64","entries":[{"key":%s,"perCpu":[%s,%s]}],
                   "truncated":false,"summary":null,"unavailable":null},
                  {"id":3,"name":"task_ctx","type":"BPF_MAP_TYPE_HASH","valueType":"struct task_ctx","entries":[%s],
                   "truncated":false,"summary":null,"unavailable":null},
                  {"id":4,"name":".data.qa_q_lock","type":"BPF_MAP_TYPE_ARRAY","valueType":"datasec .data.qa_q_lock0","entries":[],"truncated":false,"summary":null,"unavailable":null},
                  {"id":5,"name":".data.qa_q_lock","type":"BPF_MAP_TYPE_ARRAY","valueType":"datasec .data.qa_q_lock1","entries":[],"truncated":false,"summary":null,"unavailable":null},
                  {"id":6,"name":"task_stor","type":"BPF_MAP_TYPE_TASK_STORAGE","entries":[],"truncated":false,"summary":null,
                   "unavailable":"entries of BPF_MAP_TYPE_TASK_STORAGE maps are not read"}],
                 "dsqs":{"global":{"nr":3,"tasks":[1,2,3]},"local_unavailable":"the runqueue could not be read"},
                 "unavailable":{}}""".formatted(int64(0), int64(nrEnqueued), int64(0), int64(cpu0), int64(cpu1), hash);
    }

    /** The viewer's own path: report text read in one pass with map entries only indexed. */
    static ReportModel model(String json) throws Exception {
        return ReportModel.parse(JSON, json);
    }

    /** Every row's path → shown value, type, layout, address, index ref and entry key. */
    private static Map<String, String> rows(ReportModel m) {
        Map<String, String> out = new TreeMap<>();
        FlatReport.of(m).all().forEach((path, n) -> out.put(path, n.name() + "|" + (n.value() == null ? n.summary()
                : n.value().exact() + "/" + n.value().display() + "/" + n.value().perCpu()) + "|" + n.type() + "|"
                + n.layout() + "|" + n.address() + "|" + n.field() + "|" + n.entryKey() + "|" + n.role()));
        return out;
    }

    @Test
    void readingWithIndexedEntriesGivesTheSameRowsAsTheWholeTree() throws Exception {
        long[] keys = new long[1200];
        for (int i = 0; i < keys.length; i++) keys[i] = i * 3L;
        List<String> reports = List.of(report(600, 5, 7, keys),
                // the map list one level down, and a dual capture whose late half is shown
                "{\"maps\":{\"truncated\":true,\"maps\":[{\"name\":\"m\",\"entries\":[{\"key\":1,\"perCpu\":[1,2,3]}]}]}}",
                "{\"schema\":\"dual\",\"early\":{},\"late\":" + report(7, 1, 2, new long[] {4, 5}) + "}");
        for (String r : reports) {
            ReportModel lazy = model(r);
            ReportModel tree = ReportModel.of(JSON.readTree(r));
            assertEquals(tree.cpus(), lazy.cpus());
            assertEquals(tree.problems(), lazy.problems());
            assertEquals(rows(tree), rows(lazy));
            assertEquals(0, SnapshotDiff.between(tree, lazy).changeCount());
        }
        assertEquals(3, model(reports.get(1)).cpus(), "per-CPU columns counted while indexing");
    }

    @Test
    void aReportThatIsNotJsonIsRefusedAndABadEntryShowsWhy() throws Exception {
        for (String bad : List.of("{\"maps\":[{\"entries\":[{\"key\":1}", "{\"maps\":[{\"entries\":[{\"key\":1}]}]",
                "{\"maps\":[{\"entries\":[{\"key\":1}], \"id\": x}]}",
                "{\"maps\":[{\"entries\":[{\"key\":1} {\"key\":2}]}]}", "{\"maps\":[{\"entries\":[{\"key\":1 \"v\":2}]}]}")) {
            IOException e = assertThrows(IOException.class, () -> model(bad), bad);
            assertNotNull(e.getMessage());
        }
        // the scan only matches braces inside entries; a bad entry is found when its row is made, and says so
        ReportModel m = model("{\"maps\":[{\"name\":\"h\",\"entries\":[{\"key\":1,\"value\":2},{\"key\":2,\"value\":tru}]}]}");
        assertEquals(List.of("2", "unavailable"), m.sections().getFirst().children().getFirst().children().stream()
                .map(n -> n.value() == null ? n.summary() : n.value().kind() == LeafValue.Kind.UNAVAILABLE
                        ? "unavailable" : n.value().exact()).toList());
    }

    @Test
    void keysAndStringsThatLookLikeStructureDoNotMisleadTheScan() throws Exception {
        String r = "{\"note\":\"\\\"maps\\\": [{\",\"x\":{\"maps\":[{\"entries\":[1]}]},\"maps\":[{\"name\":\"a]}\","
                + "\"entries\":[{\"key\":\"}{\",\"perCpu\":[1,[2],{\"a\":3}]}]}]}";
        ReportModel lazy = model(r);
        assertEquals(rows(ReportModel.of(JSON.readTree(r))), rows(lazy));
        assertEquals(3, lazy.cpus());
        // strings ending in an escaped backslash, and an escaped quote after a backslash
        String slashes = "{\"maps\":[{\"name\":\"b\\\\\",\"entries\":[{\"key\":\"x\\\\\",\"value\":\"\\\\\\\"}\"}]}]}";
        assertEquals(rows(ReportModel.of(JSON.readTree(slashes))), rows(model(slashes)));
        assertEquals("\\\"}", FlatReport.of(model(slashes)).get("b\\:[x\\]").value().exact());
        // characters beyond Latin-1 (a surrogate pair among them) before and inside the entries
        String wide = "{\"note\":\"\uD83D\uDE00 π\",\"maps\":[{\"name\":\"m\uD83D\uDE00\",\"entries\":["
                + "{\"key\":\"k\uD83D\uDE00\",\"value\":\"\u03c0\\\"}\"},{\"key\":2,\"value\":3}]}]}";
        assertEquals(rows(ReportModel.of(JSON.readTree(wide))), rows(model(wide)));
        assertEquals("3", FlatReport.of(model(wide)).get("m\uD83D\uDE00:[2]").value().exact());
    }

    @Test
    void sectionsComeInReadingOrderWithSchedExtFirst() throws Exception {
        ReportModel m = model(report(600, 5, 7, new long[] {1, 2}));
        List<String> names = m.sections().stream().map(FieldNode::name).toList();
        assertEquals("sched_ext", names.getFirst());
        assertEquals(List.of("sched_ext", "maps (6)", "vCPUs (1)", "dsqs", "could not be read (2)"), names);
        FlatReport f = FlatReport.of(m);
        FieldNode nr = f.get("scx_qmap.bss:nr_enqueued");
        assertEquals("600", nr.value().exact());
        assertEquals(FieldRef.plain("scx_qmap.bss", "nr_enqueued"), nr.field(), "the field index's own path");
        assertEquals(0xffffc90000121000L, nr.address().getAsLong(), "value address + offset");
        assertEquals("0x00 / 8", nr.layout());
        assertEquals("RUNNING (2)", f.get("scx_qmap.bss:state").value().display());
        assertEquals("\"w2\"", f.get("task_ctx:[2].comm").value().display(), "char arrays read as text");
        assertEquals("0xffffffff81f3a1c0 → default_idle+0x10", f.get("vcpus:[0].rip").value().display());
        assertNotNull(f.get(".data.qa_q_lock (datasec .data.qa_q_lock0)"), "equal truncated names told apart");
        assertNotNull(f.get(".data.qa_q_lock (datasec .data.qa_q_lock1)"));
        assertEquals(3, f.get("dsqs:global.nr").value().number(), "an unknown section is rendered generically");
        assertEquals("unavailable: the runqueue could not be read", f.get("dsqs:local_unavailable").value().display());
        assertTrue(m.problems().contains("task_stor: entries of BPF_MAP_TYPE_TASK_STORAGE maps are not read"),
                m.problems().toString());
    }

    @Test
    void perCpuValuesAreOneRowWithAValuePerCpuAndTheirSum() throws Exception {
        FieldNode stats = FlatReport.of(model(report(1, 5, 7, new long[] {}))).get("stats:[0]");
        assertEquals("12", stats.value().exact());
        assertEquals(List.of("5", "7"), stats.value().perCpu().stream().map(LeafValue::exact).toList());
        assertEquals(new FieldRef("stats", "[0]", "", 2), stats.field());
        assertEquals(List.of("[0]@cpu0", "[0]@cpu1"), stats.field().paths());
    }

    @Test
    void theDiffFindsChangedAddedAndRemovedRowsWithDeltas() throws Exception {
        FlatReport base = FlatReport.of(model(report(500, 5, 7, new long[] {1, 2})));
        FlatReport now = FlatReport.of(model(report(600, 5, 9, new long[] {2, 3})));
        SnapshotDiff d = SnapshotDiff.between(base, now);
        assertEquals(SnapshotDiff.State.CHANGED, d.state("scx_qmap.bss:nr_enqueued"));
        assertEquals(Optional.of(new BigDecimal(100)), d.change("scx_qmap.bss:nr_enqueued").get().delta());
        assertEquals(Optional.of(new BigDecimal(2)), d.change("stats:[0]").get().delta(), "Σ delta");
        assertEquals(SnapshotDiff.State.ADDED, d.state("task_ctx:[3]"));
        assertEquals(SnapshotDiff.State.REMOVED, d.state("task_ctx:[1]"));
        assertEquals("10", d.removedUnder("task_ctx").getFirst().children().getFirst().value().exact(),
                "a removed entry keeps its old value");
        assertEquals(SnapshotDiff.State.SAME, d.state("task_ctx:[2].seq"));
        assertEquals(2, d.changesUnder("task_ctx"), "one added + one removed entry");
        assertEquals(1, d.changesUnder("scx_qmap.bss"));
        assertEquals(4, d.changeCount());
        assertEquals("▲ +100", ValueText.delta(new BigDecimal(100)));
    }

    @Test
    void boolsEnumsAndPointersChangeWithoutADelta() {
        LeafValue wasTrue = new LeafValue(LeafValue.Kind.BOOL, "1", BigInteger.ONE, 1.0, "true", null, null);
        LeafValue nowFalse = new LeafValue(LeafValue.Kind.BOOL, "0", BigInteger.ZERO, 0.0, "false", null, null);
        assertEquals(Optional.empty(), SnapshotDiff.delta(wasTrue, nowFalse), "not \"▼ −1\"");
        LeafValue enumA = new LeafValue(LeafValue.Kind.ENUM, "1", BigInteger.ONE, 1.0, "SCX_EXIT_DONE", null, null);
        LeafValue enumB = new LeafValue(LeafValue.Kind.ENUM, "1024", BigInteger.valueOf(1024), 1024.0,
                "SCX_EXIT_ERROR", null, null);
        assertEquals(Optional.empty(), SnapshotDiff.delta(enumA, enumB));
        LeafValue three = new LeafValue(LeafValue.Kind.INT, "3", BigInteger.valueOf(3), 3.0, "3", "0x3", null);
        LeafValue five = new LeafValue(LeafValue.Kind.INT, "5", BigInteger.valueOf(5), 5.0, "5", "0x5", null);
        assertEquals(Optional.of(new BigDecimal(2)), SnapshotDiff.delta(three, five));
    }

    @Test
    void aU64KeepsEveryDigitAndItsDeltaIsExact() throws Exception {
        FlatReport a = FlatReport.of(model(report(Long.MAX_VALUE, 0, 0, new long[] {})
                .replace("\"value\":" + Long.MAX_VALUE, "\"value\":18446744073709551614")));
        FlatReport b = FlatReport.of(model(report(Long.MAX_VALUE, 0, 0, new long[] {})
                .replace("\"value\":" + Long.MAX_VALUE, "\"value\":18446744073709551615")));
        assertEquals(Optional.of(BigDecimal.ONE), SnapshotDiff.between(a, b).change("scx_qmap.bss:nr_enqueued").get()
                .delta());
        assertEquals("0xffffffffffffffff", b.get("scx_qmap.bss:nr_enqueued").value().hex());
    }

    @Test
    void largeMapsAreChunkedAndMadeOnlyWhenExpanded() throws Exception {
        long[] keys = new long[2500];
        for (int i = 0; i < keys.length; i++) keys[i] = i;
        ReportModel m = model(report(1, 1, 1, keys));
        FieldNode maps = m.sections().get(1);
        FieldNode hash = maps.children().get(2);
        assertEquals("task_ctx", hash.name());
        List<FieldNode> chunks = hash.children();
        assertEquals(List.of("[0 … 999]", "[1000 … 1999]", "[2000 … 2499]"), chunks.stream().map(FieldNode::name)
                .toList());
        assertEquals("task_ctx", chunks.get(2).children().getFirst().parentPath(), "an entry's parent is its map");
    }

    @Test
    void nextChangeSkipsGapsAndComparesWithTheShownValue() {
        List<SeriesPoint> s = List.of(p(1, 10), p(2, 10), gap(3), p(4, 10), p(5, 11), p(6, 11));
        assertEquals(5, ChangeSearch.inSeries(s, 1, 1).orElseThrow().snapshotId());
        assertEquals(4, ChangeSearch.inSeries(s, 5, -1).orElseThrow().snapshotId());
        assertTrue(ChangeSearch.inSeries(s, 5, 1).isEmpty());
    }

    private static SeriesPoint p(long id, double v) {
        return new SeriesPoint(id * 1000, OptionalDouble.of(v), id, "s" + id, false);
    }

    private static SeriesPoint gap(long id) {
        return new SeriesPoint(id * 1000, OptionalDouble.empty(), id, "s" + id, false);
    }

    @Test
    void aScalarKeylessValueMatchesTheIndexPath() throws Exception {
        ReportModel m = model("""
                {"maps":[{"name":"arena","type":"BPF_MAP_TYPE_ARENA","valueType":"datasec .addr_space.1","entries":[
                  {"value":{"kind":"struct","type":"datasec .addr_space.1","size":16,"fields":[{"name":"qa","offset":0,
                   "value":{"kind":"struct","type":"struct qmap_arena","size":16,"fields":[{"name":"nr_enqueued","offset":0,
                   "value":%s}]}}]}}]}]}""".formatted(int64(96)));
        FieldNode n = FlatReport.of(m).get("arena:qa.nr_enqueued");
        assertEquals(FieldRef.plain("arena", "qa.nr_enqueued"), n.field());
        assertNull(FlatReport.of(m).get("arena:[0]"));
    }
}
