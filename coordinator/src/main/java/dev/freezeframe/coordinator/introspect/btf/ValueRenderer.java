package dev.freezeframe.coordinator.introspect.btf;

import dev.freezeframe.coordinator.introspect.btf.Value.ArrayValue;
import dev.freezeframe.coordinator.introspect.btf.Value.BoolValue;
import dev.freezeframe.coordinator.introspect.btf.Value.CharArrayValue;
import dev.freezeframe.coordinator.introspect.btf.Value.EnumValue;
import dev.freezeframe.coordinator.introspect.btf.Value.Field;
import dev.freezeframe.coordinator.introspect.btf.Value.FloatValue;
import dev.freezeframe.coordinator.introspect.btf.Value.IntValue;
import dev.freezeframe.coordinator.introspect.btf.Value.PointerValue;
import dev.freezeframe.coordinator.introspect.btf.Value.StructValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnavailableValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnionValue;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders bytes (little-endian, x86-64) as a typed {@link Value} tree following a BTF type: integers (any width, bit
 * offset and sign), {@code _Bool}, enums (by enumerator name when one matches), floats, structs and unions in member
 * order, bitfields in both kind_flag encodings, arrays (at most {@link Limits#maxArrayElements()} elements, then a
 * truncated marker), {@code char} arrays as text, pointers as addresses named by a {@link SymbolResolver}, and BPF data
 * sections ({@code .bss}, {@code .data}) as structs of their variables.
 *
 * <p>A {@code char} array is an array whose element, after qualifiers but <em>not</em> typedefs, is a one-byte INT
 * named {@code char} or flagged {@code BTF_INT_CHAR}; {@code u8[6]} stays an array of numbers.
 *
 * <p>Never throws for bad input: bytes too short, broken types, by-value cycles, nesting beyond
 * {@link Limits#maxDepth()} and a total budget of {@link Limits#maxNodes()} nodes all end in
 * {@link UnavailableValue}s (or truncated markers) in the tree. Instances are immutable and thread-safe.
 */
public final class ValueRenderer {
    /**
     * Bounds on one rendering: nesting depth, elements shown per array, nodes in the whole tree, and bytes of text per
     * {@code char} array. {@link #DEFAULT}: depth 32, 256 elements, 20 000 nodes (a zeroed {@code struct task_struct}
     * of a 7.x kernel fits; its JSON is of the order of 100 bytes per node), 4 KiB of text.
     */
    public record Limits(int maxDepth, int maxArrayElements, int maxNodes, int maxTextBytes) {
        /** Deepest nesting allowed (keeps the JSON form within Jackson's default nesting constraint). */
        public static final int MAX_DEPTH = 200;
        public static final Limits DEFAULT = new Limits(32, 256, 20_000, 4096);

        public Limits {
            if (maxDepth < 1 || maxDepth > MAX_DEPTH || maxArrayElements < 0 || maxNodes < 1 || maxTextBytes < 0) {
                throw new IllegalArgumentException("limits must be positive, and the depth at most " + MAX_DEPTH);
            }
        }
    }

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final Btf btf;
    private final SymbolResolver symbols;
    private final Limits limits;

    public ValueRenderer(Btf btf) {
        this(btf, SymbolResolver.NONE, Limits.DEFAULT);
    }

    public ValueRenderer(Btf btf, SymbolResolver symbols, Limits limits) {
        this.btf = Objects.requireNonNull(btf, "btf");
        this.symbols = Objects.requireNonNull(symbols, "symbols");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Btf btf() {
        return btf;
    }

    /** Renders the bytes from {@code bytes}' position to its limit (its position is not moved). */
    public Value render(int typeId, ByteBuffer bytes) {
        return renderRoot(typeId, bytes.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    public Value render(int typeId, byte[] bytes) {
        return render(typeId, bytes, 0, bytes.length);
    }

    public Value render(int typeId, byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return renderRoot(typeId, ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Renders a segment (of at most 2 GiB), e.g. a slice of the frozen guest's memory. */
    public Value render(int typeId, MemorySegment bytes) {
        ByteBuffer buffer;
        try {
            buffer = bytes.asByteBuffer();
        } catch (RuntimeException e) {
            return new UnavailableValue(btf.describe(typeId), "the memory cannot be read: " + e.getMessage());
        }
        return renderRoot(typeId, buffer.order(ByteOrder.LITTLE_ENDIAN));
    }

    private Value renderRoot(int typeId, ByteBuffer le) {
        Ctx ctx = new Ctx(le, limits.maxDepth());
        try {
            return render(ctx, typeId, 0, 0);
        } catch (RuntimeException e) { // a check this renderer forgot: report, never throw
            return new UnavailableValue(btf.describe(typeId), "cannot render: " + e);
        }
    }

    /** Per-call state: the bytes, the node count, the composites being rendered (by-value cycle detection). */
    private static final class Ctx {
        final ByteBuffer buf;
        final long avail;
        final int[] path;
        int pathLen;
        int nodes;

        Ctx(ByteBuffer buf, int maxDepth) {
            this.buf = buf;
            this.avail = buf.limit();
            this.path = new int[maxDepth + 2];
        }

        boolean has(long off, long size) {
            return off >= 0 && size >= 0 && off <= avail && size <= avail - off;
        }

        boolean onPath(int id) {
            for (int i = 0; i < pathLen; i++) {
                if (path[i] == id) {
                    return true;
                }
            }
            return false;
        }
    }

    private Value render(Ctx ctx, int typeId, long off, int depth) {
        String text = btf.describe(typeId);
        if (++ctx.nodes > limits.maxNodes()) {
            return new UnavailableValue(text, "the rendering budget of " + limits.maxNodes() + " values is used up");
        }
        if (depth > limits.maxDepth()) {
            return new UnavailableValue(text, "nested deeper than " + limits.maxDepth() + " levels");
        }
        try {
            BtfType t = btf.resolve(typeId);
            return switch (t) {
                case BtfType.Int i -> renderInt(ctx, text, i, off);
                case BtfType.Enum e -> renderEnum(ctx, text, e, off);
                case BtfType.Float f -> renderFloat(ctx, text, f, off);
                case BtfType.Ptr p -> renderPointer(ctx, text, p, off);
                case BtfType.Array a -> renderArray(ctx, text, a, off, depth);
                case BtfType.Composite c -> renderComposite(ctx, text, c, off, depth);
                case BtfType.Datasec d -> renderDatasec(ctx, text, d, off, depth);
                case BtfType.Var v -> render(ctx, v.type(), off, depth + 1);
                case BtfType.Fwd f -> new UnavailableValue(text, "only declared (forward): the layout is unknown");
                case BtfType.Void v -> new UnavailableValue(text, "void has no value");
                case BtfType.Func f -> new UnavailableValue(text, "a function has no value");
                case BtfType.FuncProto f -> new UnavailableValue(text, "a function has no value");
                case BtfType.Unknown u -> new UnavailableValue(text, "BTF kind " + u.kindCode()
                        + " is newer than this parser");
                default -> new UnavailableValue(text, t.kind() + " has no value");
            };
        } catch (BtfException e) {
            return new UnavailableValue(text, e.getMessage());
        } catch (RuntimeException e) {
            return new UnavailableValue(text, "cannot render: " + e);
        }
    }

    private static UnavailableValue missing(Ctx ctx, String text, long off, long size) {
        return new UnavailableValue(text, "needs bytes " + off + ".." + (off + size) + " but only " + ctx.avail
                + " are given");
    }

    // --------------------------------------------------------------------------------------------- scalars

    /** Up to 8 little-endian bytes at {@code off}, zero-extended. Caller has checked bounds. */
    private static long readLe(Ctx ctx, long off, int size) {
        int at = (int) off;
        return switch (size) {
            case 1 -> Byte.toUnsignedLong(ctx.buf.get(at));
            case 2 -> Short.toUnsignedLong(ctx.buf.getShort(at));
            case 4 -> Integer.toUnsignedLong(ctx.buf.getInt(at));
            case 8 -> ctx.buf.getLong(at);
            default -> {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = (v << 8) | Byte.toUnsignedLong(ctx.buf.get(at + i));
                }
                yield v;
            }
        };
    }

    /** {@code nbits} bits starting {@code bitPos} bits into the bytes (little-endian bit order), unsigned. */
    private static BigInteger bits(Ctx ctx, long bitPos, int nbits) {
        if (nbits == 0) {
            return BigInteger.ZERO;
        }
        long first = bitPos >>> 3;
        long last = (bitPos + nbits - 1) >>> 3;
        int n = (int) (last - first + 1);
        byte[] be = new byte[n + 1]; // big-endian with a leading zero: non-negative
        for (int i = 0; i < n; i++) {
            be[n - i] = ctx.buf.get((int) (first + i));
        }
        return new BigInteger(be).shiftRight((int) (bitPos & 7)).and(mask(nbits));
    }

    private static BigInteger signExtend(BigInteger unsigned, int nbits) {
        return nbits > 0 && unsigned.testBit(nbits - 1) ? unsigned.subtract(BigInteger.ONE.shiftLeft(nbits)) : unsigned;
    }

    private static BigInteger unsigned64(long v) {
        return v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(TWO_64);
    }

    private Value renderInt(Ctx ctx, String text, BtfType.Int i, long off) {
        if (!ctx.has(off, i.size())) {
            return missing(ctx, text, off, i.size());
        }
        if (i.bitOffset() == 0 && i.bits() == i.size() * 8 && i.size() <= 8) {
            long raw = readLe(ctx, off, i.size());
            if (i.isBool()) {
                return new BoolValue(text, raw != 0);
            }
            int bits = i.size() * 8;
            BigInteger v = i.signed() ? BigInteger.valueOf(bits == 64 ? raw : (raw << (64 - bits)) >> (64 - bits))
                    : unsigned64(raw);
            return new IntValue(text, i.signed(), bits, v);
        }
        return intFromBits(text, i, bits(ctx, off * 8 + i.bitOffset(), i.bits()), i.bits());
    }

    private static Value intFromBits(String text, BtfType.Int i, BigInteger raw, int nbits) {
        if (i.isBool()) {
            return new BoolValue(text, raw.signum() != 0);
        }
        return new IntValue(text, i.signed(), nbits, i.signed() ? signExtend(raw, nbits) : raw);
    }

    private Value renderEnum(Ctx ctx, String text, BtfType.Enum e, long off) {
        if (!ctx.has(off, e.size())) {
            return missing(ctx, text, off, e.size());
        }
        return enumValue(text, e, BigInteger.valueOf(readLe(ctx, off, e.size())).and(mask(e.size() * 8)),
                e.size() * 8);
    }

    private static BigInteger mask(int bits) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    /** {@code raw}: the {@code nbits} stored bits, unsigned. */
    private static Value enumValue(String text, BtfType.Enum e, BigInteger raw, int nbits) {
        BigInteger value = e.signed() ? signExtend(raw, nbits) : raw;
        for (BtfType.Enumerator en : e.values()) {
            BigInteger ev = e.signed() ? BigInteger.valueOf(en.value())
                    : (e.is64() ? unsigned64(en.value()) : BigInteger.valueOf(en.value()));
            if (ev.equals(value)) {
                return new EnumValue(text, value, en.name());
            }
        }
        return new EnumValue(text, value, null);
    }

    private Value renderFloat(Ctx ctx, String text, BtfType.Float f, long off) {
        if (!ctx.has(off, f.size())) {
            return missing(ctx, text, off, f.size());
        }
        int at = (int) off;
        return switch (f.size()) {
            case 2 -> new FloatValue(text, 16, Float.float16ToFloat(ctx.buf.getShort(at)));
            case 4 -> new FloatValue(text, 32, Float.intBitsToFloat(ctx.buf.getInt(at)));
            case 8 -> new FloatValue(text, 64, Double.longBitsToDouble(ctx.buf.getLong(at)));
            default -> new FloatValue(text, 80,
                    x87(ctx.buf.getLong(at), Short.toUnsignedInt(ctx.buf.getShort(at + 8))));
        };
    }

    /** x87 80-bit extended precision (x86-64 {@code long double}) to the nearest double. */
    static double x87(long mantissa, int signExp) {
        boolean negative = (signExp & 0x8000) != 0;
        int exp = signExp & 0x7fff;
        double v;
        if (exp == 0x7fff) {
            v = (mantissa << 1) == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            double m = mantissa >= 0 ? mantissa : ((mantissa >>> 1) * 2.0 + (mantissa & 1));
            v = Math.scalb(m, (exp == 0 ? 1 : exp) - 16383 - 63);
        }
        return negative ? -v : v;
    }

    private Value renderPointer(Ctx ctx, String text, BtfType.Ptr p, long off) {
        if (!ctx.has(off, Btf.POINTER_SIZE)) {
            return missing(ctx, text, off, Btf.POINTER_SIZE);
        }
        long address = ctx.buf.getLong((int) off);
        String symbol = null;
        if (address != 0) {
            try {
                Optional<String> s = symbols.symbolFor(address);
                symbol = s == null ? null : s.orElse(null);
            } catch (RuntimeException e) {
                symbol = null; // the resolver's problem must not break the rendering
            }
        }
        return new PointerValue(text, btf.describe(p.target()), address, symbol);
    }

    // ------------------------------------------------------------------------------------------- aggregates

    private Value renderArray(Ctx ctx, String text, BtfType.Array a, long off, int depth) throws BtfException {
        if (btf.skipQualifiers(a.elemType()) instanceof BtfType.Int i && i.size() == 1 && i.isChar()) {
            return renderText(ctx, text, a, off);
        }
        long elemSize = btf.sizeOf(a.elemType());
        long shown = Math.min(a.nelems(), limits.maxArrayElements());
        List<Value> elements = new ArrayList<>((int) Math.min(shown, 64));
        boolean truncated = shown < a.nelems();
        for (long k = 0; k < shown; k++) {
            if (ctx.nodes >= limits.maxNodes()) {
                truncated = true;
                break;
            }
            long eoff = off + k * elemSize;
            if (!ctx.has(eoff, elemSize)) {
                elements.add(missing(ctx, btf.describe(a.elemType()), eoff, elemSize));
                truncated = true;
                break;
            }
            elements.add(render(ctx, a.elemType(), eoff, depth + 1));
        }
        return new ArrayValue(text, a.nelems(), List.copyOf(elements), truncated);
    }

    private Value renderText(Ctx ctx, String text, BtfType.Array a, long off) {
        if (!ctx.has(off, 0)) {
            return missing(ctx, text, off, a.nelems());
        }
        long readable = Math.min(Math.min(a.nelems(), ctx.avail - off), limits.maxTextBytes());
        StringBuilder sb = new StringBuilder();
        boolean terminated = false;
        long k = 0;
        for (; k < readable; k++) {
            int b = Byte.toUnsignedInt(ctx.buf.get((int) (off + k)));
            if (b == 0) {
                terminated = true;
                break;
            }
            escape(sb, b);
        }
        boolean truncated = !terminated && k < a.nelems();
        return new CharArrayValue(text, a.nelems(), sb.toString(), terminated, truncated);
    }

    static void escape(StringBuilder sb, int b) {
        switch (b) {
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            case '\r' -> sb.append("\\r");
            case '\\' -> sb.append("\\\\");
            default -> {
                if (b >= 0x20 && b < 0x7f) {
                    sb.append((char) b);
                } else {
                    sb.append(String.format("\\x%02x", b));
                }
            }
        }
    }

    private Value renderComposite(Ctx ctx, String text, BtfType.Composite c, long off, int depth) {
        if (ctx.onPath(c.id())) {
            return new UnavailableValue(text, text + " contains itself by value (a cycle in the BTF)");
        }
        ctx.path[ctx.pathLen++] = c.id();
        try {
            List<Field> fields = new ArrayList<>(c.members().size());
            boolean truncated = false;
            for (BtfType.Member m : c.members()) {
                if (ctx.nodes >= limits.maxNodes()) {
                    truncated = true;
                    break;
                }
                fields.add(renderMember(ctx, c, m, off, depth));
            }
            return c.union() ? new UnionValue(text, c.size(), List.copyOf(fields), truncated)
                    : new StructValue(text, c.size(), List.copyOf(fields), truncated);
        } finally {
            ctx.pathLen--;
        }
    }

    private Field renderMember(Ctx ctx, BtfType.Composite c, BtfType.Member m, long off, int depth) {
        FieldLayout fl;
        try {
            fl = btf.layout(c, m);
        } catch (BtfException e) {
            ctx.nodes++;
            return new Field(m.name(), m.bitOffset(), 0, new UnavailableValue(btf.describe(m.type()), e.getMessage()));
        }
        Value v;
        if (fl.isBitfield()) {
            v = renderBitfield(ctx, m.type(), off * 8 + fl.bitOffset(), fl.bitSize());
        } else if ((fl.bitOffset() & 7) != 0) {
            ctx.nodes++;
            v = new UnavailableValue(btf.describe(m.type()), "member at bit " + fl.bitOffset()
                    + " is neither byte-aligned nor a bitfield");
        } else {
            v = render(ctx, m.type(), off + (fl.bitOffset() >>> 3), depth + 1);
        }
        return new Field(m.name(), fl.bitOffset(), fl.bitSize(), v);
    }

    private Value renderBitfield(Ctx ctx, int typeId, long bitPos, int nbits) {
        String text = btf.describe(typeId);
        ctx.nodes++;
        try {
            if (nbits > 128) {
                return new UnavailableValue(text, "a bitfield of " + nbits + " bits");
            }
            long firstByte = bitPos >>> 3;
            long endByte = (bitPos + nbits + 7) >>> 3;
            if (!ctx.has(firstByte, endByte - firstByte)) {
                return missing(ctx, text, firstByte, endByte - firstByte);
            }
            BigInteger raw = bits(ctx, bitPos, nbits);
            return switch (btf.resolve(typeId)) {
                case BtfType.Int i -> intFromBits(text, i, raw, nbits);
                case BtfType.Enum e -> enumValue(text, e, raw, nbits);
                default -> new IntValue(text, false, nbits, raw);
            };
        } catch (BtfException e) {
            return new UnavailableValue(text, e.getMessage());
        }
    }

    private Value renderDatasec(Ctx ctx, String text, BtfType.Datasec d, long off, int depth) {
        List<Field> fields = new ArrayList<>(d.vars().size());
        boolean truncated = false;
        for (BtfType.SecVar sv : d.vars()) {
            if (ctx.nodes >= limits.maxNodes()) {
                truncated = true;
                break;
            }
            String name = "";
            int type = sv.type();
            try {
                if (btf.type(sv.type()) instanceof BtfType.Var var) {
                    name = var.name();
                    type = var.type();
                }
            } catch (BtfException e) {
                // render() below reports the broken type
            }
            fields.add(new Field(name, sv.offset() * 8, 0, render(ctx, type, off + sv.offset(), depth + 1)));
        }
        return new StructValue(text, d.size(), List.copyOf(fields), truncated);
    }
}
