package dev.freezeframe.snapshots.bench;

import dev.freezeframe.snapshots.symbols.SymbolIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Symbol filter benchmark (issue 15: ≤ 50 ms per keystroke over 250 k names). A program, not a test
 * (docs/architecture.md §11); prints one JSON object.
 *
 * <p>Names: a real kallsyms file when given ({@code -Dbench.kallsyms=FILE}, e.g. the cached one under
 * {@code ~/.cache/freezeframe/symbols/}), padded to {@code bench.names} (250 000) with variants of its own names
 * ({@code name.cold.N}, as the compiler's clones look); without a file, generated kernel-like names. Each query is
 * typed one keystroke at a time ({@code t}, {@code to}, {@code tot}, ...) and every prefix is searched, as the browser
 * does per keystroke. Baseline, measured in the same run: a naive scan (lower-case every name, {@code contains}, then a
 * comparison sort into the same ranking).
 *
 * <pre>
 *   ./mvnw -o -q -pl snapshot-viewer -am compile
 *   java -cp snapshot-viewer/target/classes -Dbench.kallsyms=$HOME/.cache/freezeframe/symbols/X.kallsyms \
 *        snapshot-viewer/bench/src/main/java/dev/freezeframe/snapshots/bench/SymbolSearchBench.java
 * </pre>
 */
public final class SymbolSearchBench {
    private static final List<String> QUERIES = List.of("total_forks", "jiffies_64", "scx_", "rq", "sched_ext_ops",
            "copy_process", "nr_", "zzzz_nothing");

    private SymbolSearchBench() {
    }

    public static void main(String[] args) throws IOException {
        int target = Integer.getInteger("bench.names", 250_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        String file = System.getProperty("bench.kallsyms", "");
        String[] names = names(file, target);

        long t0 = System.nanoTime();
        SymbolIndex index = SymbolIndex.build(names);
        double buildMs = (System.nanoTime() - t0) / 1e6;

        List<String> keystrokes = new ArrayList<>();
        for (String q : QUERIES) {
            for (int i = 1; i <= q.length(); i++) keystrokes.add(q.substring(0, i));
        }
        // warm both paths up
        for (String k : keystrokes) {
            index.search(k);
            naive(names, k);
        }
        List<Double> indexed = new ArrayList<>();
        List<Double> shortQueries = new ArrayList<>(); // 1-2 characters: scanned, most names match
        List<Double> longQueries = new ArrayList<>();  // 3 or more: through the trigram index
        List<Double> scanned = new ArrayList<>();
        long matchesIndexed = 0;
        long matchesNaive = 0;
        for (int r = 0; r < rounds; r++) {
            for (String k : keystrokes) {
                long a = System.nanoTime();
                matchesIndexed += index.search(k).size();
                double ms = (System.nanoTime() - a) / 1e6;
                indexed.add(ms);
                (k.length() < 3 ? shortQueries : longQueries).add(ms);
                long b = System.nanoTime();
                matchesNaive += naive(names, k).size();
                scanned.add((System.nanoTime() - b) / 1e6);
            }
        }
        if (matchesIndexed != matchesNaive) {
            throw new IllegalStateException("the index found " + matchesIndexed + " matches, the scan "
                    + matchesNaive);
        }
        double p50 = percentile(indexed, 50);
        double p99 = percentile(indexed, 99);
        double max = percentile(indexed, 100);
        double naiveP50 = percentile(scanned, 50);
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"symbol_filter\",\"names\":%d,\"source\":\"%s\","
                        + "\"keystrokes\":%d,\"build_ms\":%.1f,\"index_p50_ms\":%.3f,\"index_p99_ms\":%.3f,"
                        + "\"index_max_ms\":%.3f,\"naive_p50_ms\":%.3f,\"naive_p99_ms\":%.3f,\"naive_max_ms\":%.3f,"
                        + "\"speedup_p50\":%.1f,\"index_3plus_chars_p99_ms\":%.3f,\"index_1_2_chars_p50_ms\":%.3f,"
                        + "\"index_1_2_chars_p99_ms\":%.3f,\"target_ms\":50,\"meets_target\":%b}%n",
                names.length, file.isEmpty() ? "generated" : "kallsyms+variants", indexed.size(), buildMs, p50, p99,
                max, naiveP50, percentile(scanned, 99), percentile(scanned, 100), naiveP50 / Math.max(p50, 1e-6),
                percentile(longQueries, 99), percentile(shortQueries, 50), percentile(shortQueries, 99), max <= 50);
    }

    /** The baseline: lower-case and scan every name, then sort the matches into the same ranking. */
    private static List<String> naive(String[] names, String query) {
        String q = query.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String n : names) {
            if (n.toLowerCase(Locale.ROOT).contains(q)) found.add(n);
        }
        found.sort(Comparator.<String>comparingInt(n -> rank(n.toLowerCase(Locale.ROOT), q))
                .thenComparingInt(String::length).thenComparing(n -> n.toLowerCase(Locale.ROOT)));
        return found;
    }

    private static int rank(String s, String q) {
        if (s.equals(q)) return 0;
        if (s.startsWith(q)) return 1;
        return s.contains("_" + q) || s.contains("." + q) ? 2 : 3;
    }

    private static String[] names(String file, int target) throws IOException {
        List<String> base = new ArrayList<>();
        if (!file.isEmpty()) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] w = line.strip().split("\\s+");
                if (w.length >= 3) base.add(w[2]);
            }
        } else {
            String[] parts = {"sched", "task", "rq", "cpu", "total", "forks", "jiffies", "scx", "bpf", "map", "lock",
                "irq", "page", "mm", "vma", "node", "dsq", "ops", "exit", "kind", "init", "copy", "process", "nr"};
            java.util.Random random = new java.util.Random(15);
            while (base.size() < target / 2) {
                int words = 1 + random.nextInt(4);
                StringBuilder b = new StringBuilder(random.nextInt(4) == 0 ? "__" : "");
                for (int i = 0; i < words; i++) {
                    if (i > 0) b.append('_');
                    b.append(parts[random.nextInt(parts.length)]);
                }
                base.add(b.toString());
            }
        }
        List<String> all = new ArrayList<>(base);
        for (int i = 0; all.size() < target; i++) all.add(base.get(i % base.size()) + ".cold." + i);
        return all.subList(0, Math.max(target, Math.min(all.size(), target))).toArray(String[]::new);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
