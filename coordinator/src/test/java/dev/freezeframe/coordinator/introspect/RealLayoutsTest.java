package dev.freezeframe.coordinator.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.bpf.BpfMapReader;
import dev.freezeframe.coordinator.introspect.bpf.MapReadOptions;
import dev.freezeframe.coordinator.introspect.bpf.MapSnapshot;
import dev.freezeframe.coordinator.introspect.bpf.MapSummary;
import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.Value;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The synthetic scheduler image laid out with the kit kernel's real struct layouts (its vmlinux BTF): every walker
 * reads it back exactly, on both paging depths. Skipped without a kit, except under CI.
 */
class RealLayoutsTest {
    static Btf vmlinux;

    @BeforeAll
    static void loadVmlinux() throws Exception {
        vmlinux = dev.freezeframe.coordinator.introspect.testing.KitVmlinux.require();
    }

    @Test
    void everyWalkerReadsTheFixtureWithRealLayouts() {
        for (boolean la57 : List.of(false, true)) {
            SchedulerFixture f = new SchedulerFixture(vmlinux, la57);
            KernelView k = Views.require(f.img, vmlinux);
            BpfMapReader.BpfMaps maps = new BpfMapReader(k, MapReadOptions.DEFAULT).readAll();
            assertNull(maps.unavailable());
            Map<String, MapSnapshot> byName = maps.maps().stream()
                    .collect(Collectors.toMap(MapSnapshot::name, Function.identity()));
            assertEquals(11, byName.size(), byName.keySet().toString());

            Value.StructValue bss = assertInstanceOf(Value.StructValue.class,
                    byName.get("scx_qmap.bss").entries().getFirst().value());
            assertEquals(SchedulerFixture.NR_ENQUEUED, intOf(bss.fields().getFirst().value()));
            assertEquals(256, byName.get("counts").entries().size());
            assertTrue(byName.get("counts").truncated());
            assertEquals(Map.of(1L, 10L, 5L, 50L, 2L, 20L), byName.get("pids").entries().stream()
                    .collect(Collectors.toMap(e -> intOf(e.key()), e -> intOf(e.value()))));
            assertEquals(2, byName.get("cpu_ctx").entries().getFirst().perCpu().size());
            assertEquals(List.of(11L, 12L, 13L), byName.get("queue0").entries().stream()
                    .map(e -> intOf(e.value())).toList());
            MapSummary.StructOps ops = assertInstanceOf(MapSummary.StructOps.class,
                    byName.get("qmap_ops").summary());
            assertEquals("qmap", ops.opsName());
            assertEquals(List.of("enqueue", "dispatch"), ops.opsSet());
            assertEquals(new MapSummary.Ringbuf(4096, 64, 160, 160), byName.get("events").summary());
            assertEquals(4, assertInstanceOf(MapSummary.Arena.class, byName.get("arena").summary()).pagesMapped());

            ScxState scx = ScxStateReader.read(k);
            assertEquals("qmap", scx.opsName());
            assertEquals("SCX_EXIT_NONE", scx.exitKindName());
            f.exit(1025, "scx_bpf_error", "boom");
            ScxState err = ScxStateReader.read(Views.require(f.img, vmlinux));
            assertEquals("SCX_EXIT_ERROR_BPF", err.exitKindName());
            assertEquals("boom", err.exitInfo().message());
        }
    }

    static long intOf(Value v) {
        return assertInstanceOf(Value.IntValue.class, v).value().longValueExact();
    }
}
