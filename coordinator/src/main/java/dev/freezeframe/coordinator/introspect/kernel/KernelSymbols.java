package dev.freezeframe.coordinator.introspect.kernel;

import dev.freezeframe.coordinator.introspect.btf.SymbolResolver;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kernel symbol addresses by name (from the guest agent's KERNEL_ADDRESSES message, or {@code /proc/kallsyms}). The
 * reverse map names exact addresses for pointer rendering.
 */
public final class KernelSymbols implements SymbolResolver {
    private final Map<String, Long> byName;
    private final Map<Long, String> byAddress = new HashMap<>();

    public KernelSymbols(Map<String, Long> byName) {
        this.byName = Map.copyOf(byName);
        this.byName.forEach((name, addr) -> byAddress.merge(addr, name, (a, b) -> a.compareTo(b) <= 0 ? a : b));
    }

    /**
     * Parses {@code /proc/kallsyms} lines ({@code "ffffffff81000000 T _text"}, optionally followed by a module in
     * brackets); other lines are ignored. The first address of a name wins.
     */
    public static KernelSymbols parseKallsyms(List<String> lines) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (String line : lines) {
            String[] w = line.strip().split("\\s+");
            if (w.length < 3 || w[0].length() != 16 || w[1].length() != 1) {
                continue;
            }
            try {
                map.putIfAbsent(w[2], Long.parseUnsignedLong(w[0], 16));
            } catch (NumberFormatException e) {
                // not a kallsyms line
            }
        }
        return new KernelSymbols(map);
    }

    public Map<String, Long> asMap() {
        return byName;
    }

    public Optional<KernelVirtAddr> find(String name) {
        Long a = byName.get(name);
        return a == null ? Optional.empty() : Optional.of(KernelVirtAddr.of(a));
    }

    public Read<KernelVirtAddr> require(String name) {
        Long a = byName.get(name);
        return a == null ? Read.unavailable("the symbol " + name + " is not known") : Read.ok(KernelVirtAddr.of(a));
    }

    @Override
    public Optional<String> symbolFor(long address) {
        return Optional.ofNullable(byAddress.get(address));
    }
}
