package dev.freezeframe.coordinator.introspect.bpf;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BPF objects' own BTF, parsed once per run instead of at every capture (parsing a scheduler's BTF is most of a
 * warm map read). Keyed by the blob's bytes, compared in full, and the base it is split over: a guest that frees one
 * object and loads another, even at the same address, gets a fresh parse. Bounded: past {@link #MAX_BLOBS} the
 * oldest are forgotten. Thread-safe.
 */
public final class MapBtfCache {
    static final int MAX_BLOBS = 64;

    private record Parsed(byte[] blob, Btf base, Btf btf) {
    }

    private final Map<Integer, List<Parsed>> byHash = new HashMap<>();
    private final List<Parsed> order = new ArrayList<>();

    /** The BTF of {@code blob} (split over {@code base} when it is not null), parsed now or earlier. */
    public synchronized Btf parse(byte[] blob, Btf base) throws BtfException {
        int hash = Arrays.hashCode(blob);
        for (Parsed p : byHash.getOrDefault(hash, List.of())) {
            if (p.base() == base && Arrays.equals(p.blob(), blob)) return p.btf();
        }
        Btf btf = base == null ? Btf.parse(blob) : Btf.parse(blob, base);
        Parsed parsed = new Parsed(blob, base, btf);
        byHash.computeIfAbsent(hash, h -> new ArrayList<>()).add(parsed);
        order.add(parsed);
        if (order.size() > MAX_BLOBS) {
            Parsed oldest = order.removeFirst();
            byHash.get(Arrays.hashCode(oldest.blob())).remove(oldest);
        }
        return btf;
    }

    synchronized int size() {
        return order.size();
    }
}
