package dev.freezeframe.snapshots.symbols;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One row of the symbol browser.
 *
 * @param number  the symbol's number in its {@link SymbolCatalog}
 * @param name    the kallsyms name
 * @param address its kallsyms value (an address, or an offset for a per-CPU variable)
 * @param type    the kallsyms type letter
 * @param module  the module it belongs to, or null for the kernel image
 * @param kind    what it is, judged as the engine judges it
 * @param size    bytes up to the next symbol, empty when unknown
 * @param rank    how it matched the query
 */
public record SymbolRow(int number, String name, long address, char type, String module, SymbolKind kind,
                        OptionalLong size, SymbolIndex.Rank rank) {
    public SymbolRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(rank, "rank");
    }

    static SymbolRow of(SymbolCatalog catalog, int number, SymbolIndex.Rank rank) {
        var s = catalog.symbol(number);
        return new SymbolRow(number, s.name(), s.address(), s.type(), s.module(), catalog.kind(number),
                catalog.sizeOf(number), rank);
    }

    /** {@code ffffffff83d5d020}, per-CPU offsets as {@code 0000000000032b40}. */
    public String addressText() {
        return String.format("%016x", address);
    }

    public String sizeText() {
        return size.isPresent() ? String.valueOf(size.getAsLong()) : "—";
    }
}
