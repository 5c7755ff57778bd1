package dev.freezeframe.vmm.qemu.gdb;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The register set a gdbstub describes in its target description ({@code qXfer:features:read:target.xml}, which may
 * {@code xi:include} further annexes): each register's name, number and size, and from those the layout of the {@code g}
 * reply (registers in number order, each {@code bitsize/8} bytes, target byte order). Registers are found by name, so
 * nothing depends on where a given QEMU version puts them (QEMU 7.2 lists cr0–cr4, cr8 and efer in
 * {@code org.gnu.gdb.i386.core}; other versions may move them to another feature).
 */
public final class TargetDescription {

    /**
     * One register.
     *
     * @param name    as the stub names it, e.g. {@code rip}, {@code cr3}
     * @param number  its register number (for {@code p}/{@code P} packets)
     * @param bits    its size
     * @param feature the feature it belongs to, e.g. {@code org.gnu.gdb.i386.core}
     */
    public record Register(String name, int number, int bits, String feature) {
        public int bytes() {
            return (bits + 7) / 8;
        }
    }

    private static final int MAX_INCLUDES = 64;
    private static final int MAX_REGISTERS = 4096;

    private final Optional<String> architecture;
    private final List<Register> registers;
    private final Map<String, Register> byName;

    private TargetDescription(Optional<String> architecture, List<Register> registers) {
        this.architecture = architecture;
        this.registers = List.copyOf(registers);
        Map<String, Register> names = new LinkedHashMap<>();
        registers.forEach(r -> names.putIfAbsent(r.name(), r));
        this.byName = Map.copyOf(names);
    }

    /**
     * Parses a target description.
     *
     * @param rootXml   the text of {@code target.xml}
     * @param includes  fetches an included annex by its {@code href}
     * @throws GdbProtocolException for malformed XML, malformed register entries, or too many includes
     */
    public static TargetDescription parse(String rootXml, Function<String, String> includes) {
        List<RawRegister> raw = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] arch = new String[1];
        collect(rootXml, "target.xml", includes, raw, seen, arch);
        // Numbering: an explicit regnum sets the number, otherwise one more than the previous register (in document
        // order across includes), as GDB numbers them.
        List<Register> regs = new ArrayList<>();
        int next = 0;
        for (RawRegister r : raw) {
            int number = r.regnum() >= 0 ? r.regnum() : next;
            regs.add(new Register(r.name(), number, r.bits(), r.feature()));
            next = number + 1;
        }
        regs.sort(Comparator.comparingInt(Register::number));
        for (int i = 1; i < regs.size(); i++) {
            if (regs.get(i).number() == regs.get(i - 1).number()) {
                throw new GdbProtocolException("The gdbstub's target description gives two registers the number "
                        + regs.get(i).number() + ".", regs.get(i).name());
            }
        }
        return new TargetDescription(Optional.ofNullable(arch[0]), regs);
    }

    private record RawRegister(String name, int regnum, int bits, String feature) {
    }

    private static void collect(String xml, String annex, Function<String, String> includes, List<RawRegister> out,
                                Set<String> seen, String[] arch) {
        if (!seen.add(annex) || seen.size() > MAX_INCLUDES) {
            throw new GdbProtocolException("The gdbstub's target description includes " + annex
                    + " twice or has too many includes.", annex);
        }
        // target.xml's root is <target>; an included annex's root is usually a <feature>
        visit(parseXml(xml, annex).getDocumentElement(), annex, includes, out, seen, arch, "");
    }

    private static void walk(Element element, String annex, Function<String, String> includes, List<RawRegister> out,
                             Set<String> seen, String[] arch, String feature) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                visit(child, annex, includes, out, seen, arch, feature);
            }
        }
    }

    private static void visit(Element child, String annex, Function<String, String> includes, List<RawRegister> out,
                              Set<String> seen, String[] arch, String feature) {
        String tag = child.getTagName();
        if (tag.contains(":")) {
            tag = tag.substring(tag.indexOf(':') + 1);
        }
        switch (tag) {
            case "architecture" -> arch[0] = child.getTextContent().strip();
            case "include" -> {
                String href = child.getAttribute("href");
                if (href.isEmpty()) {
                    throw new GdbProtocolException("The gdbstub's target description has an include without a "
                            + "file name.", annex);
                }
                collect(includes.apply(href), href, includes, out, seen, arch);
            }
            case "target" -> walk(child, annex, includes, out, seen, arch, feature);
            case "feature" -> walk(child, annex, includes, out, seen, arch, child.getAttribute("name"));
            case "reg" -> {
                if (out.size() >= MAX_REGISTERS) {
                    throw new GdbProtocolException("The gdbstub's target description lists too many registers.",
                            annex);
                }
                out.add(register(child, annex, feature));
            }
            default -> {
                // types (flags, vector, union, struct) describe how to show registers, not where they are
            }
        }
    }

    private static RawRegister register(Element reg, String annex, String feature) {
        String name = reg.getAttribute("name");
        if (name.isEmpty()) {
            throw new GdbProtocolException("The gdbstub's target description has a register without a name.", annex);
        }
        int bits = positiveInt(reg.getAttribute("bitsize"), name, "bitsize", annex);
        String regnum = reg.getAttribute("regnum");
        int number = regnum.isEmpty() ? -1 : nonNegativeInt(regnum, name, "regnum", annex);
        return new RawRegister(name, number, bits, feature);
    }

    private static int positiveInt(String text, String reg, String attr, String annex) {
        int v = nonNegativeInt(text, reg, attr, annex);
        if (v == 0 || v > 4096) {
            throw new GdbProtocolException("The gdbstub's target description gives register " + reg + " a " + attr
                    + " of " + text + ".", annex);
        }
        return v;
    }

    private static int nonNegativeInt(String text, String reg, String attr, String annex) {
        try {
            int v = Integer.parseInt(text.strip());
            if (v < 0 || v > 100_000) {
                throw new NumberFormatException(text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new GdbProtocolException("The gdbstub's target description gives register " + reg + " an invalid "
                    + attr + " '" + text + "'.", annex);
        }
    }

    /**
     * Parses a one-register description and discards it. The first parse in a JVM loads and initialises the XML
     * parser, which takes hundreds of milliseconds on a cold JVM; attaching to a gdbstub parses while QEMU keeps the
     * guest stopped, so a backend does this early, on another thread, where nothing waits for it.
     */
    public static void warmUp() {
        parse("<target><feature name=\"warm-up\"><reg name=\"r\" bitsize=\"64\"/></feature></target>",
                annex -> "");
    }

    private static org.w3c.dom.Document parseXml(String xml, String annex) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // QEMU writes <xi:include> without declaring the xi prefix, so names are taken literally, not as namespaces.
            factory.setNamespaceAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // The files name gdb-target.dtd; never fetch it (or anything else) from anywhere.
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.ErrorHandler() {
                @Override
                public void warning(org.xml.sax.SAXParseException e) {
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new GdbProtocolException("The gdbstub's target description (" + annex + ") is not well-formed XML.",
                    xml, e);
        }
    }

    public Optional<String> architecture() {
        return architecture;
    }

    /** Every register, in number order. */
    public List<Register> registers() {
        return registers;
    }

    public Optional<Register> register(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Splits a {@code g} reply into registers by name. A reply may be shorter than the full set (registers past its end
     * are simply absent; the stub does not put them in {@code g}); bytes sent as {@code xx} mark a register unavailable,
     * which leaves it out too. Values are the raw bytes in target order.
     *
     * @throws GdbProtocolException when the reply is longer than the described registers or not hex
     */
    public Map<String, byte[]> decodeG(String hex) {
        if ((hex.length() & 1) != 0) {
            throw new GdbProtocolException("The gdbstub sent a register block with an odd number of hex digits.", hex);
        }
        Map<String, byte[]> values = new LinkedHashMap<>();
        int pos = 0;
        int expectedNumber = registers.isEmpty() ? 0 : registers.getFirst().number();
        for (Register r : registers) {
            if (r.number() != expectedNumber) {
                // g covers registers 0..n without gaps; a gap means the rest is not in g
                break;
            }
            expectedNumber++;
            int digits = r.bytes() * 2;
            if (pos + digits > hex.length()) {
                break;
            }
            String part = hex.substring(pos, pos + digits);
            pos += digits;
            if (part.indexOf('x') >= 0) {
                continue;
            }
            values.put(r.name(), GdbPackets.hexToBytes(part));
        }
        if (pos < hex.length()) {
            throw new GdbProtocolException("The gdbstub sent " + hex.length() / 2 + " bytes of registers, more than its "
                    + "target description describes (" + pos / 2 + ").", hex);
        }
        return values;
    }

    /** A little-endian register value of up to 8 bytes as a long (zero-extended). */
    public static long littleEndian(byte[] value) {
        if (value.length > 8) {
            throw new IllegalArgumentException("register wider than 64 bits");
        }
        long v = 0;
        for (int i = value.length - 1; i >= 0; i--) {
            v = v << 8 | (value[i] & 0xff);
        }
        return v;
    }
}
