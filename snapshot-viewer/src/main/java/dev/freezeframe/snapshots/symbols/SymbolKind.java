package dev.freezeframe.snapshots.symbols;

/**
 * What a kernel symbol is, judged as the engine judges it before arming a watch: the kernel image's symbols by address
 * (its code between {@code _stext} and {@code _etext} or in the init text; read-only data between
 * {@code __start_rodata} and {@code __end_rodata}), because the kit kernel's kallsyms type letters cannot be trusted
 * ({@code jiffies_64} is listed as {@code T}); per-CPU variables by their value being an offset, not an address; a
 * module's symbols by their own type letters.
 */
public enum SymbolKind {
    FUNCTION("function", "a function (not watchable: watchpoints watch data)"),
    VARIABLE("variable", ""),
    READ_ONLY("read-only data", ""),
    PER_CPU("per-CPU", "a per-CPU variable (its value is an offset, not an address)"),
    MODULE_FUNCTION("module function", "a module's function (not watchable: watchpoints watch data)"),
    MODULE_VARIABLE("module variable", "");

    private final String word;
    private final String notWatchable;

    SymbolKind(String word, String notWatchable) {
        this.word = word;
        this.notWatchable = notWatchable;
    }

    /** As the kind column shows it. */
    public String word() {
        return word;
    }

    /** Why the engine will refuse a watch on such a symbol, empty when it can be watched. */
    public String notWatchable() {
        return notWatchable;
    }

    public boolean watchable() {
        return notWatchable.isEmpty();
    }
}
