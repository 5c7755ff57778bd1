package dev.freezeframe.coordinator.introspect.scx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.introspect.IntrospectionJson;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.SyntheticVmlinux;
import dev.freezeframe.coordinator.introspect.testing.Views;
import org.junit.jupiter.api.Test;

class ScxStateReaderTest {
    final SchedulerFixture f = new SchedulerFixture();

    @Test
    void aRunningSchedulerHasItsOpsNameAndNoExit() {
        ScxState s = ScxStateReader.read(Views.require(f.img, f.vmlinux));
        assertTrue(s.attached());
        assertNull(s.unavailable());
        assertEquals("qmap", s.opsName());
        assertEquals(0, s.exitKind());
        assertEquals("SCX_EXIT_NONE", s.exitKindName());
        assertEquals(f.scxSched.plus(f.img.off("struct scx_sched", "exit_kind")), s.exitKindAddress().orElseThrow());
        assertNull(s.exitInfo());
        assertFalse(s.isError());
    }

    @Test
    void anErrorExitCarriesItsReasonAndMessage() {
        f.exit(SyntheticVmlinux.EXIT_ERROR_BPF, "scx_bpf_error", "qmap: too many dispatches (50)");
        ScxState s = ScxStateReader.read(Views.require(f.img, f.vmlinux));
        assertEquals(SyntheticVmlinux.EXIT_ERROR_BPF, s.exitKind());
        assertEquals("SCX_EXIT_ERROR_BPF", s.exitKindName());
        assertTrue(s.isError());
        assertEquals("scx_bpf_error", s.exitInfo().reason());
        assertEquals("qmap: too many dispatches (50)", s.exitInfo().message());
        JsonNode json = IntrospectionJson.toJson(s);
        assertEquals("qmap", json.get("opsName").asText());
        assertEquals("scx_bpf_error", json.get("exitInfo").get("reason").asText());
    }

    @Test
    void noSchedulerAndBrokenPointersAreReportedNotThrown() {
        KernelVirtAddr root = KernelVirtAddr.of(f.img.symbols().get("scx_root"));
        f.img.w64(root, 0);
        ScxState none = ScxStateReader.read(Views.require(f.img, f.vmlinux));
        assertFalse(none.attached());
        assertTrue(none.exitKindAddress().isEmpty());
        assertNull(none.unavailable());

        f.img.w64(root, 0xffff_c900_dead_0000L);
        ScxState bad = ScxStateReader.read(Views.require(f.img, f.vmlinux));
        assertTrue(bad.unavailable().contains("not mapped"), bad.unavailable());
        assertNull(bad.opsName());
    }
}
