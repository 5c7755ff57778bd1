package dev.freezeframe.snapshots.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.snapshots.WatchTarget;
import dev.freezeframe.snapshots.model.FlatReport;
import dev.freezeframe.snapshots.model.ReportModel;
import org.junit.jupiter.api.Test;

/** What "Watch this field" arms: a field's own kernel address, or where a kernel pointer points. */
class FieldActionsTest {
    private static final String REPORT = """
            {"maps":[{"name":"scx_qmap.bss","type":"BPF_MAP_TYPE_ARRAY","valueType":"datasec .bss","entries":[{"key":0,
              "valueAddress":"0xffffc90000121000","value":{"kind":"struct","type":"datasec .bss","size":24,"fields":[
                {"name":"nr","offset":8,"value":{"kind":"int","type":"u32","bits":32,"value":5}},
                {"name":"flag","offset":12,"bitOffset":96,"bitSize":1,"value":{"kind":"int","type":"u32","bits":32,"value":1}}]}}]},
             {"name":"ptrs","type":"BPF_MAP_TYPE_HASH","valueType":"struct p","entries":[{"key":1,"value":{"kind":"struct",
              "type":"struct p","size":16,"fields":[
                {"name":"task","offset":0,"value":{"kind":"pointer","address":"0xffff888012345678","symbol":"init_task"}},
                {"name":"user","offset":8,"value":{"kind":"pointer","address":"0x00007fff12345678"}}]}}]}]}""";

    @Test
    void aFieldIsWatchedAtItsAddressWithItsSizeAndAKernelPointerWhereItPoints() throws Exception {
        FlatReport f = FlatReport.of(ReportModel.parse(new ObjectMapper(), REPORT));
        assertEquals(new WatchTarget(0xffffc90000121008L, "scx_qmap.bss:nr", 4),
                FieldActions.targetOf(f.get("scx_qmap.bss:nr")).orElseThrow(), "value address + offset, u32");
        assertEquals(8, FieldActions.targetOf(f.get("scx_qmap.bss:flag")).orElseThrow().size(),
                "a bitfield is watched as a word");
        assertEquals(new WatchTarget(0xffff888012345678L, "*ptrs:[1].task", 8),
                FieldActions.targetOf(f.get("ptrs:[1].task")).orElseThrow(), "no address of its own: its target");
        assertTrue(FieldActions.targetOf(f.get("ptrs:[1].user")).isEmpty(), "a user-space pointer cannot be watched");
        assertTrue(FieldActions.targetOf(f.get("ptrs:[1]")).isEmpty(), "an inner row has no value to watch");
    }
}
