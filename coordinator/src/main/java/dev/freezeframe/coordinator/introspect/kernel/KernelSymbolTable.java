package dev.freezeframe.coordinator.introspect.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The guest kernel's whole symbol table, from its {@code /proc/kallsyms} (the image ships no System.map): names,
 * addresses, type letters and modules. Answers "where is {@code total_forks}" (watchpoints) and "what is at this
 * address" (a RIP as {@code function+0x1f/0x80}). Immutable once built; lookups are binary searches over sorted arrays.
 */
public final class KernelSymbolTable {
    /**
     * @param type   the kallsyms type letter ({@code T} text, {@code D} data, {@code B} bss, lower case: local)
     * @param module the module in brackets on the kallsyms line, or null for the kernel image
     */
    public record Symbol(String name, long address, char type, String module) {
    }

    public static final KernelSymbolTable EMPTY = new Builder().build();

    private final long[] addresses; // sorted, unsigned order
    private final Symbol[] symbols;
    private final Map<String, List<Symbol>> byName;
    private volatile KernelSymbols walkerView;

    private KernelSymbolTable(List<Symbol> list) {
        list.sort(Comparator.comparing(Symbol::address, Long::compareUnsigned).thenComparing(Symbol::name));
        symbols = list.toArray(Symbol[]::new);
        addresses = new long[symbols.length];
        byName = new HashMap<>(symbols.length * 2);
        for (int i = 0; i < symbols.length; i++) {
            addresses[i] = symbols[i].address();
            byName.computeIfAbsent(symbols[i].name(), k -> new ArrayList<>(1)).add(symbols[i]);
        }
    }

    public int size() {
        return symbols.length;
    }

    /** Every symbol, by address (unsigned) then name. */
    public List<Symbol> all() {
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(symbols));
    }

    /** Every symbol with this name (static functions can share one), lowest address first. */
    public List<Symbol> lookup(String name) {
        return List.copyOf(byName.getOrDefault(name, List.of()));
    }

    /** The symbol a user most likely means by {@code name}: the kernel image's global one first, else any. */
    public Optional<Symbol> resolve(String name) {
        List<Symbol> matches = byName.getOrDefault(name, List.of());
        return matches.stream().filter(s -> s.module() == null && Character.isUpperCase(s.type())).findFirst()
                .or(() -> matches.stream().findFirst());
    }

    /**
     * Names an address as {@code name+0xOFF/0xSIZE} (size up to the next symbol), or empty when it lies before the
     * first symbol or past the last one, where any name would be a guess.
     */
    public Optional<String> symbolize(long address) {
        int i = floorIndex(address);
        if (i < 0 || i == symbols.length - 1) return Optional.empty();
        Symbol symbol = symbols[i];
        long next = nextDistinctAddress(i);
        long offset = address - symbol.address();
        String text = symbol.name() + "+0x" + Long.toHexString(offset) + "/0x" + Long.toHexString(next - symbol.address());
        return Optional.of(symbol.module() == null ? text : text + " [" + symbol.module() + "]");
    }

    /**
     * The symbol an address lies in (the nearest at or below it), or empty when it lies before the first symbol or
     * past the last one. Kernel-image and per-CPU symbols share one sorted order, so an address far above a symbol but
     * below the next still counts as inside it: callers judge by the symbol's kind, not by exact containment.
     */
    public Optional<Symbol> containing(long address) {
        int i = floorIndex(address);
        if (i < 0 || i == symbols.length - 1) return Optional.empty();
        return Optional.of(symbols[i]);
    }

    /**
     * How many bytes {@code symbol} spans: up to the next symbol at a higher address (kallsyms carries no sizes, and with
     * {@code CONFIG_KALLSYMS_ALL} every variable is listed, so this is its size plus any padding). Empty for the last
     * symbol, whose end is unknown.
     */
    public OptionalLong extent(Symbol symbol) {
        int i = floorIndex(symbol.address());
        if (i < 0) return OptionalLong.empty();
        long next = nextDistinctAddress(i);
        return next == symbol.address() ? OptionalLong.empty() : OptionalLong.of(next - symbol.address());
    }

    /** Symbols whose name contains {@code text} (case-insensitive), at most {@code limit}, in address order. */
    public List<Symbol> search(String text, int limit) {
        String needle = text.toLowerCase(Locale.ROOT);
        List<Symbol> found = new ArrayList<>();
        for (Symbol s : symbols) {
            if (s.name().toLowerCase(Locale.ROOT).contains(needle)) {
                found.add(s);
                if (found.size() >= limit) break;
            }
        }
        return found;
    }

    /** Name → resolved address, the view the memory walkers use; built once (every capture asks for it). */
    public KernelSymbols asKernelSymbols() {
        KernelSymbols view = walkerView;
        if (view == null) {
            Map<String, Long> first = new LinkedHashMap<>();
            for (String name : byName.keySet()) resolve(name).ifPresent(s -> first.put(name, s.address()));
            view = new KernelSymbols(first);
            walkerView = view;
        }
        return view;
    }

    private int floorIndex(long address) {
        int lo = 0;
        int hi = addresses.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private long nextDistinctAddress(int i) {
        for (int j = i + 1; j < addresses.length; j++) {
            if (addresses[j] != addresses[i]) return addresses[j];
        }
        return addresses[i];
    }

    /** Collects kallsyms text chunk by chunk; lines that do not parse are counted and skipped, never fatal. */
    public static final class Builder {
        /** A kernel with every module loaded has a few hundred thousand; beyond this a guest is flooding. */
        public static final int MAX_SYMBOLS = 2_000_000;
        private final List<Symbol> symbols = new ArrayList<>();
        private long rejectedLines;
        private long droppedLines;
        private final int maxSymbols;

        public Builder() {
            this(MAX_SYMBOLS);
        }

        /** @param maxSymbols how many symbols to take at most (a smaller cap for tests) */
        public Builder(int maxSymbols) {
            this.maxSymbols = maxSymbols;
        }

        /** {@code "ffffffff81000000 T _text"} lines, optionally with {@code "\t[module]"}; chunks end on line ends. */
        public Builder addKallsymsText(String text) {
            for (String line : text.split("\n")) addLine(line);
            return this;
        }

        private void addLine(String line) {
            if (line.isBlank()) return;
            if (full()) {
                droppedLines++;
                return;
            }
            String[] w = line.strip().split("\\s+");
            if (w.length < 3 || w[0].length() > 16 || w[1].length() != 1 || w[2].length() > 512) {
                rejectedLines++;
                return;
            }
            try {
                String module = w.length >= 4 && w[3].startsWith("[") && w[3].endsWith("]")
                        ? w[3].substring(1, w[3].length() - 1) : null;
                symbols.add(new Symbol(w[2], Long.parseUnsignedLong(w[0], 16), w[1].charAt(0), module));
            } catch (NumberFormatException e) {
                rejectedLines++;
            }
        }

        public long rejectedLines() {
            return rejectedLines;
        }

        /** Whether the cap ({@link #MAX_SYMBOLS}) was reached; later lines are counted in {@link #droppedLines()} only. */
        public boolean full() {
            return symbols.size() >= maxSymbols;
        }

        public int maxSymbols() {
            return maxSymbols;
        }

        public long droppedLines() {
            return droppedLines;
        }

        public int size() {
            return symbols.size();
        }

        public KernelSymbolTable build() {
            return new KernelSymbolTable(new ArrayList<>(symbols));
        }
    }

    @Override
    public String toString() {
        return "KernelSymbolTable[" + symbols.length + " symbols]";
    }
}
