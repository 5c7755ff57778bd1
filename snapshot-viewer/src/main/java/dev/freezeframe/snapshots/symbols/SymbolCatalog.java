package dev.freezeframe.snapshots.symbols;

import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One kernel's symbols as the symbol browser lists them: name, address, kind and size per symbol, a search index over
 * the names, and where the table came from. Built once per table, off the FX thread (about a second for 250 k symbols);
 * immutable afterwards.
 *
 * <p>Sizes: kallsyms has none, so a symbol's size is the distance to the next symbol at a higher address (its size plus
 * any padding, as the engine's watch sizes are judged); unknown for the last symbol of its space and for gaps larger
 * than 16 MiB (the end of one region, not a symbol's size).
 */
public final class SymbolCatalog {
    private static final long LARGEST_SIZE = 16L << 20;

    private final String origin;
    private final boolean live;
    private final KernelSymbolTable.Symbol[] symbols;
    private final SymbolKind[] kinds;
    private final long[] sizes;
    private final SymbolIndex index;

    /**
     * @param table  the kernel's symbols
     * @param origin where they came from, as the browser's status line says it ("the live guest", "cached kallsyms of
     *               7.3.4+deb13-cloud-amd64")
     * @param live   they are the running guest's own (watches can be armed from them)
     */
    public SymbolCatalog(KernelSymbolTable table, String origin, boolean live) {
        Objects.requireNonNull(table, "table");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.live = live;
        List<KernelSymbolTable.Symbol> all = table.all(); // by address (unsigned), then name
        symbols = all.toArray(KernelSymbolTable.Symbol[]::new);
        kinds = new SymbolKind[symbols.length];
        sizes = new long[symbols.length];
        Ranges ranges = new Ranges(table);
        for (int i = 0; i < symbols.length; i++) {
            kinds[i] = ranges.kindOf(symbols[i]);
            sizes[i] = sizeAt(i);
        }
        String[] names = new String[symbols.length];
        for (int i = 0; i < symbols.length; i++) names[i] = symbols[i].name();
        index = SymbolIndex.build(names);
    }

    private long sizeAt(int i) {
        long address = symbols[i].address();
        for (int j = i + 1; j < symbols.length; j++) {
            long next = symbols[j].address();
            if (next == address) continue;
            if ((next < 0) != (address < 0)) return -1; // the next one is in the other space (per-CPU vs kernel)
            long size = next - address;
            return size > 0 && size <= LARGEST_SIZE ? size : -1;
        }
        return -1;
    }

    public int size() {
        return symbols.length;
    }

    public String origin() {
        return origin;
    }

    public boolean live() {
        return live;
    }

    public SymbolIndex index() {
        return index;
    }

    public KernelSymbolTable.Symbol symbol(int i) {
        return symbols[i];
    }

    public SymbolKind kind(int i) {
        return kinds[i];
    }

    /** Bytes up to the next symbol, or empty when unknown. */
    public OptionalLong sizeOf(int i) {
        return sizes[i] < 0 ? OptionalLong.empty() : OptionalLong.of(sizes[i]);
    }

    /** The number of the symbol named {@code name} that a watch on that name would resolve to (its global one). */
    public Optional<Integer> find(String name) {
        SymbolIndex.Result r = index.search(name);
        Integer fallback = null;
        for (int k = 0; k < r.counts()[SymbolIndex.Rank.EXACT.ordinal()]; k++) {
            int i = r.symbols()[k];
            if (!symbols[i].name().equals(name)) continue;
            if (symbols[i].module() == null && Character.isUpperCase(symbols[i].type())) return Optional.of(i);
            if (fallback == null) fallback = i;
        }
        return Optional.ofNullable(fallback);
    }

    /** The kernel image's code and read-only ranges, from the table's own marker symbols. */
    private static final class Ranges {
        private final long[][] code;
        private final long[] rodata;

        Ranges(KernelSymbolTable table) {
            code = new long[][] {range(table, "_stext", "_etext"), range(table, "_sinittext", "_einittext")};
            rodata = range(table, "__start_rodata", "__end_rodata");
        }

        private static long[] range(KernelSymbolTable table, String from, String to) {
            Optional<KernelSymbolTable.Symbol> a = table.resolve(from);
            Optional<KernelSymbolTable.Symbol> b = table.resolve(to);
            return a.isPresent() && b.isPresent() ? new long[] {a.get().address(), b.get().address()} : null;
        }

        private static boolean within(long[] range, long address) {
            return range != null && Long.compareUnsigned(address, range[0]) >= 0
                    && Long.compareUnsigned(address, range[1]) < 0;
        }

        SymbolKind kindOf(KernelSymbolTable.Symbol s) {
            if (s.module() != null) {
                return Character.toLowerCase(s.type()) == 't' ? SymbolKind.MODULE_FUNCTION : SymbolKind.MODULE_VARIABLE;
            }
            if (s.address() >= 0) return SymbolKind.PER_CPU;
            for (long[] r : code) {
                if (within(r, s.address())) return SymbolKind.FUNCTION;
            }
            return within(rodata, s.address()) ? SymbolKind.READ_ONLY : SymbolKind.VARIABLE;
        }
    }
}
