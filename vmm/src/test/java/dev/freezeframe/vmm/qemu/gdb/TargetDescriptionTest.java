package dev.freezeframe.vmm.qemu.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.VcpuRegisters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Register decoding from a target description shaped like QEMU 7.2's x86-64 one: target.xml includes a second annex,
 * the DOCTYPE names a DTD that must not be fetched, a commented-out register must not count, registers are numbered
 * from an explicit regnum onwards, and cr3 is found by name wherever it is.
 */
class TargetDescriptionTest {

    private static final String TARGET = """
            <?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target><architecture>i386:x86-64</architecture>\
            <xi:include href="x86-64.xml"/></target>""";

    /** Name and bits of every register in QEMU 7.2's x86-64 'g' block, in order (608 bytes in all). */
    static final List<Map.Entry<String, Integer>> QEMU_72_REGISTERS = qemu72();

    private static List<Map.Entry<String, Integer>> qemu72() {
        List<Map.Entry<String, Integer>> regs = new ArrayList<>();
        for (String r : List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12",
                "r13", "r14", "r15", "rip")) {
            regs.add(Map.entry(r, 64));
        }
        regs.add(Map.entry("eflags", 32));
        for (String s : List.of("cs", "ss", "ds", "es", "fs", "gs")) {
            regs.add(Map.entry(s, 32));
        }
        for (String r : List.of("fs_base", "gs_base", "k_gs_base", "cr0", "cr2", "cr3", "cr4", "cr8", "efer")) {
            regs.add(Map.entry(r, 64));
        }
        for (int i = 0; i < 8; i++) {
            regs.add(Map.entry("st" + i, 80));
        }
        for (String f : List.of("fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop")) {
            regs.add(Map.entry(f, 32));
        }
        for (int i = 0; i < 16; i++) {
            regs.add(Map.entry("xmm" + i, 128));
        }
        regs.add(Map.entry("mxcsr", 32));
        return List.copyOf(regs);
    }

    static String annex(List<Map.Entry<String, Integer>> regs) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE feature SYSTEM "gdb-target.dtd">
                <feature name="org.gnu.gdb.i386.core">
                  <flags id="x64_eflags" size="4"><field name="CF" start="0" end="0"/></flags>
                  <!--reg name="cs_base" bitsize="64" type="int64"/-->
                """);
        boolean first = true;
        for (Map.Entry<String, Integer> r : regs) {
            xml.append("  <reg name=\"").append(r.getKey()).append("\" bitsize=\"").append(r.getValue()).append('"')
                    .append(first ? " regnum=\"0\"" : "").append(" type=\"int\"/>\n");
            first = false;
        }
        return xml.append("</feature>\n").toString();
    }

    /** A 'g' reply: each register holds its index + 1 in every byte's low nibble pattern, little-endian. */
    static String gReply(List<Map.Entry<String, Integer>> regs, Map<String, Long> values) {
        StringBuilder hex = new StringBuilder();
        for (Map.Entry<String, Integer> r : regs) {
            long v = values.getOrDefault(r.getKey(), 0L);
            for (int b = 0; b < r.getValue() / 8; b++) {
                long byteValue = b < 8 ? (v >>> (8 * b)) & 0xff : 0;
                hex.append(String.format("%02x", byteValue));
            }
        }
        return hex.toString();
    }

    private static TargetDescription qemu72Description() {
        String annex = annex(QEMU_72_REGISTERS);
        return TargetDescription.parse(TARGET, href -> {
            assertEquals("x86-64.xml", href);
            return annex;
        });
    }

    @Test
    void findsEveryRegisterThroughTheIncludeInNumberOrder() {
        TargetDescription d = qemu72Description();
        assertEquals("i386:x86-64", d.architecture().orElseThrow());
        assertEquals(QEMU_72_REGISTERS.size(), d.registers().size());
        assertEquals(new TargetDescription.Register("cr3", 29, 64, "org.gnu.gdb.i386.core"), d.register("cr3").orElseThrow());
        assertEquals(608, d.registers().stream().mapToInt(TargetDescription.Register::bytes).sum());
        assertTrue(d.register("cs_base").isEmpty(), "commented out");
    }

    @Test
    void decodesAGBlockIntoVcpuRegistersByName() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("rip", 0xffffffff81a3c5d2L);
        values.put("rsp", 0xffffc90000013e80L);
        values.put("r15", 0x0123456789abcdefL);
        values.put("eflags", 0x246L);
        values.put("cs", 0x10L);
        values.put("ss", 0x18L);
        values.put("gs_base", 0xffff88803ec00000L);
        values.put("cr0", 0x80050033L);
        values.put("cr3", 0x000000000260a000L);
        values.put("cr4", 0x00770ef0L);
        values.put("efer", 0xd01L);
        String g = gReply(QEMU_72_REGISTERS, values);
        assertEquals(1216, g.length());

        VcpuRegisters r = X86Registers.decode(1, qemu72Description().decodeG(g));
        assertEquals(1, r.vcpu());
        assertEquals(0xffffffff81a3c5d2L, r.rip());
        assertTrue(r.ripInKernelHalf());
        assertEquals(0xffffc90000013e80L, r.rsp());
        assertEquals(0x0123456789abcdefL, r.general().r15());
        assertEquals(0x246L, r.rflags());
        assertEquals(0x10, r.segments().cs());
        assertEquals(0x18, r.segments().ss());
        assertEquals(0xffff88803ec00000L, r.segments().gsBase());
        assertEquals(0x260a000L, r.cr3());
        assertTrue(r.control().paging() && r.control().protectedMode());
        assertEquals(OptionalLong.of(0xd01L), r.control().efer());
        assertEquals(OptionalLong.of(0), r.control().cr8());
        assertFalse(r.all().containsKey("xmm0"), "128-bit registers are not in the 64-bit map");
        assertEquals(0x246L, r.all().get("eflags"));
        assertEquals("rax", r.all().keySet().iterator().next(), "in the stub's order");
    }

    @Test
    void aShortGBlockLeavesTheRestOutAndUnavailableBytesLeaveTheirRegisterOut() {
        TargetDescription d = qemu72Description();
        String full = gReply(QEMU_72_REGISTERS, Map.of("rip", 0x1000L));
        // up to and including cr4: 17*8 + 4 + 6*4 + 3*8 + 4*8 bytes
        int upToCr4 = (17 * 8 + 4 + 6 * 4 + 3 * 8 + 4 * 8) * 2;
        Map<String, byte[]> shortBlock = d.decodeG(full.substring(0, upToCr4));
        assertTrue(shortBlock.containsKey("cr4"));
        assertFalse(shortBlock.containsKey("cr8"));
        VcpuRegisters r = X86Registers.decode(0, shortBlock);
        assertEquals(OptionalLong.empty(), r.control().efer(), "efer not reported");

        String unavailableRip = full.substring(0, 16 * 16) + "xxxxxxxxxxxxxxxx" + full.substring(17 * 16);
        Map<String, byte[]> noRip = d.decodeG(unavailableRip);
        assertFalse(noRip.containsKey("rip"));
        GdbProtocolException missing = assertThrows(GdbProtocolException.class, () -> X86Registers.decode(0, noRip));
        assertEquals("QEMU's gdbstub did not report register rip of vCPU 0, which a freeze needs.", missing.getMessage());
    }

    @Test
    void malformedBlocksAndDescriptionsAreTypedErrors() {
        TargetDescription d = qemu72Description();
        String full = gReply(QEMU_72_REGISTERS, Map.of());
        assertThrows(GdbProtocolException.class, () -> d.decodeG(full + "00"), "longer than described");
        assertThrows(GdbProtocolException.class, () -> d.decodeG(full.substring(1)), "odd length");
        assertThrows(GdbProtocolException.class, () -> d.decodeG("zz" + full.substring(2)), "not hex");

        assertThrows(GdbProtocolException.class, () -> TargetDescription.parse("<target><reg", h -> ""));
        assertThrows(GdbProtocolException.class, () -> TargetDescription.parse(
                "<target><feature name='f'><reg bitsize='64'/></feature></target>", h -> ""), "no name");
        assertThrows(GdbProtocolException.class, () -> TargetDescription.parse(
                "<target><feature name='f'><reg name='a' bitsize='x'/></feature></target>", h -> ""), "bad size");
        assertThrows(GdbProtocolException.class, () -> TargetDescription.parse(
                "<target><feature name='f'><reg name='a' bitsize='64' regnum='1'/><reg name='b' bitsize='64' "
                        + "regnum='1'/></feature></target>", h -> ""), "duplicate number");
        assertThrows(GdbProtocolException.class, () -> TargetDescription.parse(
                "<target><xi:include href='self.xml'/></target>",
                h -> "<target><xi:include href='self.xml'/></target>"), "include cycle");
        // an entity that would read a local file is not expanded (no external entities at all)
        assertThrows(GdbProtocolException.class, () -> TargetDescription.parse(
                "<!DOCTYPE t [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><target><feature name='&x;'/></target>",
                h -> ""));
    }

    @Test
    void systemRegistersInASeparateFeatureAreFoundByNameAndNumberedAfterTheCore() {
        String split = """
                <target><feature name="org.gnu.gdb.i386.core">
                <reg name="rax" bitsize="64" regnum="0"/><reg name="rip" bitsize="64"/></feature>
                <feature name="org.gnu.gdb.i386.sys"><reg name="cr3" bitsize="64" regnum="40"/>\
                <reg name="efer" bitsize="64"/></feature></target>""";
        TargetDescription d = TargetDescription.parse(split, h -> "");
        assertEquals(new TargetDescription.Register("cr3", 40, 64, "org.gnu.gdb.i386.sys"), d.register("cr3").orElseThrow());
        assertEquals(41, d.register("efer").orElseThrow().number());
        // 'g' covers only the numbers without a gap: rax and rip; cr3 must be read with 'p'
        Map<String, byte[]> g = d.decodeG("0100000000000000" + "0200000000000000");
        assertEquals(List.of("rax", "rip"), List.copyOf(g.keySet()));
    }
}
