package dev.freezeframe.coordinator.introspect.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.introspect.IntrospectionJson;
import dev.freezeframe.coordinator.introspect.btf.Value;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every map kind of {@link SchedulerFixture}, read exactly. */
class BpfMapReaderTest {
    final SchedulerFixture f = new SchedulerFixture();

    Map<String, MapSnapshot> readAll(MapReadOptions options) {
        KernelView k = Views.require(f.img, f.vmlinux);
        BpfMapReader.BpfMaps maps = new BpfMapReader(k, options).readAll();
        assertNull(maps.unavailable());
        assertFalse(maps.truncated());
        return maps.maps().stream().collect(Collectors.toMap(MapSnapshot::name, Function.identity()));
    }

    static long intOf(Value v) {
        return ((Value.IntValue) v).value().longValueExact();
    }

    static long field(Value v, String name) {
        Value.StructValue s = assertInstanceOf(Value.StructValue.class, v);
        return intOf(s.fields().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().value());
    }

    @Test
    void globalDataRendersAsItsDatasecWithTypedCounters() {
        MapSnapshot bss = readAll(MapReadOptions.DEFAULT).get("scx_qmap.bss");
        assertEquals("BPF_MAP_TYPE_ARRAY", bss.type());
        assertEquals("datasec .bss", bss.valueType());
        assertEquals("unsigned int", bss.keyType());
        assertNull(bss.unavailable());
        assertEquals(1, bss.entries().size());
        assertEquals(0, intOf(bss.entries().getFirst().key()));
        Value v = bss.entries().getFirst().value();
        assertEquals(SchedulerFixture.NR_ENQUEUED, field(v, "nr_enqueued"));
        assertEquals(SchedulerFixture.NR_DISPATCHED, field(v, "nr_dispatched"));
    }

    @Test
    void arraysAreCappedWithATruncatedMarker() {
        MapSnapshot a = readAll(MapReadOptions.DEFAULT).get("counts");
        assertEquals(256, a.entries().size());
        assertTrue(a.truncated());
        assertEquals(255 * 3, intOf(a.entries().get(255).value()));
        MapSnapshot all = readAll(MapReadOptions.DEFAULT.withMaxEntriesPerMap(1000)).get("counts");
        assertEquals(SchedulerFixture.ARRAY_ENTRIES, all.entries().size());
        assertFalse(all.truncated());
    }

    @Test
    void perCpuArrayHasOneValuePerCpu() {
        MapSnapshot p = readAll(MapReadOptions.DEFAULT).get("cpu_ctx");
        assertNull(p.unavailable());
        assertEquals(2, p.entries().size());
        for (int i = 0; i < 2; i++) {
            MapEntry e = p.entries().get(i);
            assertNull(e.value());
            assertEquals(SchedulerFixture.CPUS, e.perCpu().size());
            for (int c = 0; c < SchedulerFixture.CPUS; c++) {
                assertEquals(100L * c + i, field(e.perCpu().get(c), "calls"));
                assertEquals(7, field(e.perCpu().get(c), "nsecs"));
            }
        }
    }

    @Test
    void hashMapsFollowTheirChains() {
        Map<String, MapSnapshot> maps = readAll(MapReadOptions.DEFAULT);
        MapSnapshot h = maps.get("pids");
        assertEquals("BPF_MAP_TYPE_HASH", h.type());
        assertNull(h.unavailable());
        Map<Long, Long> kv = h.entries().stream().collect(Collectors.toMap(e -> intOf(e.key()), e -> intOf(e.value())));
        assertEquals(Map.of(1L, 10L, 5L, 50L, 2L, 20L), kv);

        MapSnapshot ph = maps.get("pcpu_pids");
        assertEquals("BPF_MAP_TYPE_PERCPU_HASH", ph.type());
        MapEntry e = ph.entries().getFirst();
        assertEquals(3, intOf(e.key()));
        assertEquals(List.of(3000L, 3001L), e.perCpu().stream().map(v -> field(v, "calls")).toList());
    }

    @Test
    void queueAndStackListInPopOrder() {
        Map<String, MapSnapshot> maps = readAll(MapReadOptions.DEFAULT);
        MapSnapshot q = maps.get("queue0");
        assertEquals(List.of(11L, 12L, 13L), q.entries().stream().map(e -> intOf(e.value())).toList());
        assertNull(q.entries().getFirst().key());
        assertEquals(new MapSummary.QueueStack(1, 3, 5), q.summary());
        MapSnapshot s = maps.get("stack0");
        assertEquals(List.of(22L, 21L), s.entries().stream().map(e -> intOf(e.value())).toList());
    }

    @Test
    void structOpsSaysWhichCallbacksAreSet() {
        MapSnapshot so = readAll(MapReadOptions.DEFAULT).get("qmap_ops");
        MapSummary.StructOps s = assertInstanceOf(MapSummary.StructOps.class, so.summary());
        assertEquals("qmap", s.opsName());
        assertEquals(List.of("enqueue", "dispatch"), s.opsSet());
        assertEquals("struct bpf_struct_ops_sched_ext_ops", s.valueType());
    }

    @Test
    void ringbufAndArenaAreSummarized() {
        Map<String, MapSnapshot> maps = readAll(MapReadOptions.DEFAULT);
        assertEquals(new MapSummary.Ringbuf(4096, 64, 160, 160), maps.get("events").summary());
        MapSummary.Arena a = assertInstanceOf(MapSummary.Arena.class, maps.get("arena").summary());
        assertEquals(4, a.pagesMapped());
        assertEquals(3L, a.nrPages());
        assertFalse(a.countTruncated());
        assertEquals(0x1_0000_0000L, a.userVmStart());
    }

    @Test
    void arenaGlobalsRenderFromTheProgramsAddrSpaceDatasec() {
        MapSnapshot arena = readAll(MapReadOptions.DEFAULT).get("arena");
        assertEquals("datasec .addr_space.1", arena.valueType());
        Value.StructValue globals = assertInstanceOf(Value.StructValue.class, arena.entries().getFirst().value());
        Value qa = globals.fields().getFirst().value();
        assertEquals("qa", globals.fields().getFirst().name());
        assertEquals(SchedulerFixture.ARENA_CALLS, field(qa, "calls"));
        assertEquals(5, field(qa, "nsecs"));
    }

    @Test
    void unsupportedTypesSayso() {
        MapSnapshot s = readAll(MapReadOptions.DEFAULT).get("socks");
        assertEquals("BPF_MAP_TYPE_SOCKMAP", s.type());
        assertEquals("entries of BPF_MAP_TYPE_SOCKMAP maps are not read", s.unavailable());
        assertTrue(s.entries().isEmpty());
    }

    @Test
    void perCpuValuesNeedTheCpuCount() {
        // without nr_cpu_ids and without an explicit count, per-CPU maps say why they are empty
        SchedulerFixture g = new SchedulerFixture();
        var symbols = new java.util.HashMap<>(g.img.symbols());
        symbols.remove("nr_cpu_ids");
        var types = new dev.freezeframe.coordinator.introspect.kernel.KernelTypes(g.vmlinux);
        var space = dev.freezeframe.coordinator.introspect.mem.AddressSpace.discover(g.img.memory(), symbols,
                types.offsetOf("struct mm_struct", "pgd"), java.util.Optional.empty()).orElse(null);
        KernelView k = new KernelView(new dev.freezeframe.coordinator.introspect.mem.KernelMemory(space), types,
                new dev.freezeframe.coordinator.introspect.kernel.KernelSymbols(symbols));
        MapSnapshot p = new BpfMapReader(k, MapReadOptions.DEFAULT).readAll().maps().stream()
                .filter(m -> "cpu_ctx".equals(m.name())).findFirst().orElseThrow();
        assertTrue(p.unavailable().contains("nr_cpu_ids"), p.unavailable());
        MapSnapshot withCount = new BpfMapReader(k, MapReadOptions.DEFAULT.withCpus(2)).readAll().maps().stream()
                .filter(m -> "cpu_ctx".equals(m.name())).findFirst().orElseThrow();
        assertNull(withCount.unavailable());
    }

    @Test
    void aBrokenMapBtfFallsBackToRawValuesWithAReason() {
        SchedulerFixture g = new SchedulerFixture();
        KernelView k = Views.require(g.img, g.vmlinux);
        var bss = g.maps.get("bss");
        long btfPtr = k.memory().u64(bss.plus(g.img.off("struct bpf_map", "btf"))).orElse(0L);
        g.img.w32(dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr.of(btfPtr)
                .plus(g.img.off("struct btf", "data_size")), 3);
        MapSnapshot m = new BpfMapReader(Views.require(g.img, g.vmlinux), MapReadOptions.DEFAULT).read(1, bss);
        assertTrue(m.unavailable().contains("data_size 3"), m.unavailable());
        Value.ArrayValue raw = assertInstanceOf(Value.ArrayValue.class, m.entries().getFirst().value());
        assertEquals("u8[16]", raw.type());
        assertEquals(BigInteger.valueOf(SchedulerFixture.NR_ENQUEUED & 0xff),
                ((Value.IntValue) raw.elements().getFirst()).value());
    }

    @Test
    void jsonFormHasTheDocumentedFields() {
        KernelView k = Views.require(f.img, f.vmlinux);
        JsonNode json = IntrospectionJson.toJson(new BpfMapReader(k, MapReadOptions.DEFAULT).readAll());
        assertEquals(11, json.get("maps").size());
        JsonNode bss = json.get("maps").get(0);
        assertEquals("scx_qmap.bss", bss.get("name").asText());
        assertEquals("BPF_MAP_TYPE_ARRAY", bss.get("type").asText());
        assertEquals(SchedulerFixture.NR_ENQUEUED,
                bss.get("entries").get(0).get("value").get("fields").get(0).get("value").get("value").asLong());
        // the value's kernel address: where "watch this field" arms (the value's first field, nr_enqueued, is there)
        KernelVirtAddr valueAt = KernelVirtAddr.of(Long.parseUnsignedLong(bss.get("entries").get(0).get("valueAddress")
                .asText().substring(2), 16));
        assertEquals(SchedulerFixture.NR_ENQUEUED, k.memory().u64(valueAt).orElse(-1L));
        JsonNode pcpu = json.get("maps").get(2);
        assertEquals(2, pcpu.get("entries").get(0).get("perCpu").size());
        assertFalse(pcpu.get("entries").get(0).has("valueAddress"), "per-CPU values have one copy per CPU");
        assertTrue(json.get("maps").get(1).get("truncated").asBoolean());
        JsonNode so = json.get("maps").get(7);
        assertEquals("struct_ops", so.get("summary").get("kind").asText());
        assertTrue(json.get("maps").get(10).get("unavailable").asText().contains("SOCKMAP"));
    }
}
