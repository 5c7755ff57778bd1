package dev.freezeframe.snapshots.symbols;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A search index over a kernel's symbol names (~250 k), answering a case-insensitive query in a few milliseconds with
 * the matches ranked: <b>exact</b>, then <b>prefix</b>, then <b>word start</b> (the query begins after a {@code _} or
 * {@code .}: {@code forks} in {@code total_forks}), then any other <b>substring</b>; within a rank shorter names first,
 * then alphabetical.
 *
 * <p>How: names are numbered in that tie order (length, then name), and a trigram index maps every three-character
 * run to the sorted numbers of the names containing it (one flat array, CSR layout, characters folded to 64 codes so
 * the table is a plain array). A query of three or more characters walks the shortest posting list of its trigrams and
 * checks each candidate with {@code indexOf}; shorter queries scan the names in order. Candidates come in tie order, so
 * sorting the result is only splitting it into the four ranks. Immutable and thread-safe once built.
 */
public final class SymbolIndex {
    /** How a name matches the query; the order is the ranking. */
    public enum Rank { EXACT, PREFIX, WORD_START, SUBSTRING }

    private static final int CODES = 64;
    private static final int TRIGRAMS = CODES * CODES * CODES;

    private final String[] lower;   // by position in tie order
    private final int[] symbolAt;   // position -> the caller's symbol number
    private final int[] starts;     // trigram -> first posting (CSR), TRIGRAMS + 1 entries
    private final int[] postings;   // positions, ascending within each trigram

    /**
     * The matches of one query: symbol numbers (as given to {@link #build}) in rank order, and how many of each rank.
     *
     * @param symbols symbol numbers, best first
     * @param counts  matches per {@link Rank}, by ordinal
     */
    public record Result(int[] symbols, int[] counts) {
        public int size() {
            return symbols.length;
        }

        /** The rank of the {@code i}-th match. */
        public Rank rankOf(int i) {
            int seen = 0;
            for (Rank r : Rank.values()) {
                seen += counts[r.ordinal()];
                if (i < seen) return r;
            }
            throw new IndexOutOfBoundsException(i);
        }
    }

    private SymbolIndex(String[] lower, int[] symbolAt, int[] starts, int[] postings) {
        this.lower = lower;
        this.symbolAt = symbolAt;
        this.starts = starts;
        this.postings = postings;
    }

    /** Indexes {@code names}; symbol number {@code i} is {@code names[i]}. */
    public static SymbolIndex build(String[] names) {
        Objects.requireNonNull(names, "names");
        int n = names.length;
        String[] folded = new String[n];
        for (int i = 0; i < n; i++) folded[i] = names[i].toLowerCase(Locale.ROOT);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int byLength = Integer.compare(folded[a].length(), folded[b].length());
            if (byLength != 0) return byLength;
            int byName = folded[a].compareTo(folded[b]);
            return byName != 0 ? byName : Integer.compare(a, b);
        });
        String[] lower = new String[n];
        int[] symbolAt = new int[n];
        for (int p = 0; p < n; p++) {
            symbolAt[p] = order[p];
            lower[p] = folded[order[p]];
        }
        // two passes over each name's distinct trigrams: count, then fill
        int[] counts = new int[TRIGRAMS + 1];
        int[] lastSeen = new int[TRIGRAMS];
        forEachTrigram(lower, lastSeen, (t, p) -> counts[t + 1]++);
        for (int t = 0; t < TRIGRAMS; t++) counts[t + 1] += counts[t];
        int[] starts = counts;
        int[] postings = new int[starts[TRIGRAMS]];
        int[] fill = Arrays.copyOf(starts, TRIGRAMS);
        forEachTrigram(lower, lastSeen, (t, p) -> postings[fill[t]++] = p);
        return new SymbolIndex(lower, symbolAt, starts, postings);
    }

    /** Calls {@code sink} once per (trigram, name position), positions ascending. */
    private static void forEachTrigram(String[] lower, int[] lastSeen, TrigramSink sink) {
        Arrays.fill(lastSeen, -1);
        for (int p = 0; p < lower.length; p++) {
            String s = lower[p];
            for (int i = 0; i + 3 <= s.length(); i++) {
                int t = trigram(s, i);
                if (lastSeen[t] != p) {
                    lastSeen[t] = p;
                    sink.accept(t, p);
                }
            }
        }
    }

    @FunctionalInterface
    private interface TrigramSink {
        void accept(int trigram, int position);
    }

    public int size() {
        return lower.length;
    }

    /** Every symbol, in tie order (shorter names first): the list shown for an empty query. */
    public Result all() {
        return search("", p -> true);
    }

    /** The matches of {@code query} (blank: every symbol). */
    public Result search(String query) {
        return search(query, p -> true);
    }

    /**
     * The matches of {@code query} among the symbols {@code keep} accepts.
     *
     * @param keep tested with a symbol number; only matches it accepts are returned
     */
    public Result search(String query, java.util.function.IntPredicate keep) {
        String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
        Buckets out = new Buckets(Math.min(lower.length, 1024));
        if (q.isEmpty()) {
            for (int p = 0; p < lower.length; p++) {
                if (keep.test(symbolAt[p])) out.add(Rank.SUBSTRING, symbolAt[p]);
            }
            return out.result();
        }
        if (q.length() < 3) {
            for (int p = 0; p < lower.length; p++) consider(p, q, keep, out);
            return out.result();
        }
        int best = -1;
        int bestSize = Integer.MAX_VALUE;
        for (int i = 0; i + 3 <= q.length(); i++) {
            int t = trigram(q, i);
            int size = starts[t + 1] - starts[t];
            if (size < bestSize) {
                best = t;
                bestSize = size;
            }
        }
        for (int k = starts[best]; k < starts[best + 1]; k++) consider(postings[k], q, keep, out);
        return out.result();
    }

    private void consider(int p, String q, java.util.function.IntPredicate keep, Buckets out) {
        String s = lower[p];
        int at = s.indexOf(q);
        if (at < 0) return;
        int symbol = symbolAt[p];
        if (!keep.test(symbol)) return;
        out.add(rank(s, q, at), symbol);
    }

    /** The best rank of {@code q} in {@code s}, given its first occurrence {@code at}. */
    static Rank rank(String s, String q, int at) {
        if (at == 0) return s.length() == q.length() ? Rank.EXACT : Rank.PREFIX;
        for (int i = at; i >= 0; i = s.indexOf(q, i + 1)) {
            char before = s.charAt(i - 1);
            if (before == '_' || before == '.') return Rank.WORD_START;
        }
        return Rank.SUBSTRING;
    }

    /** Three characters folded to 6 bits each: letters, digits, '_' and '.' keep their own code. */
    private static int trigram(String s, int i) {
        return code(s.charAt(i)) << 12 | code(s.charAt(i + 1)) << 6 | code(s.charAt(i + 2));
    }

    private static int code(char c) {
        if (c >= 'a' && c <= 'z') return c - 'a';
        if (c >= '0' && c <= '9') return 26 + c - '0';
        if (c == '_') return 36;
        if (c == '.') return 37;
        if (c == '$') return 38;
        return 39 + (c % (CODES - 39)); // anything else shares a few codes; indexOf checks every candidate
    }

    /** Four growing arrays, concatenated in rank order at the end. */
    private static final class Buckets {
        private final int[][] ids = new int[4][];
        private final int[] sizes = new int[4];

        Buckets(int initial) {
            for (int r = 0; r < 4; r++) ids[r] = new int[r == Rank.SUBSTRING.ordinal() ? initial : 16];
        }

        void add(Rank rank, int symbol) {
            int r = rank.ordinal();
            if (sizes[r] == ids[r].length) ids[r] = Arrays.copyOf(ids[r], ids[r].length * 2);
            ids[r][sizes[r]++] = symbol;
        }

        Result result() {
            int total = sizes[0] + sizes[1] + sizes[2] + sizes[3];
            int[] all = new int[total];
            int at = 0;
            for (int r = 0; r < 4; r++) {
                System.arraycopy(ids[r], 0, all, at, sizes[r]);
                at += sizes[r];
            }
            return new Result(all, sizes.clone());
        }
    }
}
