package dev.freezeframe.app.ui.launch;

import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Completes a watch entry from the kernel's symbols before the guest boots (the kallsyms a previous run of the same
 * kernel build left in the cache): names that start with the text first, in name order, then names that contain it.
 * Data symbols at kernel addresses only — functions and per-CPU variables cannot be watched — so the list offers
 * what the engine would arm.
 */
public final class SymbolCompletion {
    private final String[] names;
    private final String[] lower;

    private SymbolCompletion(String[] names) {
        this.names = names;
        this.lower = Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    /** The data symbols of {@code table} (kallsyms types b, d, r, their upper-case forms, and v). */
    public static SymbolCompletion of(KernelSymbolTable table) {
        Set<String> unique = new LinkedHashSet<>();
        for (KernelSymbolTable.Symbol s : table.all()) {
            // per-CPU variables sit at small offsets, not kernel addresses: the engine refuses them, so they are left out
            boolean kernelAddress = s.address() < 0;
            if ("bBdDrRvV".indexOf(s.type()) >= 0 && kernelAddress) unique.add(s.name());
        }
        String[] sorted = unique.toArray(String[]::new);
        Arrays.sort(sorted, String.CASE_INSENSITIVE_ORDER);
        return new SymbolCompletion(sorted);
    }

    public int size() {
        return names.length;
    }

    /** At most {@code limit} names for what is typed (the symbol part of {@code SYMBOL[+OFF][:SIZE]}). */
    public List<String> complete(String typed, int limit) {
        String text = symbolPart(typed).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        if (text.isEmpty() || limit <= 0) return out;
        int at = lowerBound(text);
        for (int i = at; i < lower.length && out.size() < limit && lower[i].startsWith(text); i++) out.add(names[i]);
        for (int i = 0; i < lower.length && out.size() < limit; i++) {
            if (!lower[i].startsWith(text) && lower[i].contains(text)) out.add(names[i]);
        }
        return out;
    }

    private static String symbolPart(String typed) {
        String t = typed == null ? "" : typed.strip();
        int cut = t.length();
        for (char c : new char[] {'+', ':'}) {
            int i = t.indexOf(c);
            if (i >= 0) cut = Math.min(cut, i);
        }
        return t.substring(0, cut);
    }

    private int lowerBound(String key) {
        int lo = 0;
        int hi = lower.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lower[mid].compareTo(key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
