package dev.freezeframe.snapshots.model;

import java.util.Arrays;

/**
 * Pairs the entries of two text-indexed maps (the shown snapshot's and its base's) by the exact text of their keys,
 * without parsing either. Two entries written exactly alike (but for their {@code valueAddress}, which is no field's
 * value) are equal, so they need nothing more; entries whose text
 * differs may still be equal (spacing, member order), so {@link SnapshotDiff} parses and compares those typed, and
 * pairs the entries whose key text has no match by their rows' paths.
 */
final class EntryTextMatch {
    /** Shown and base positions of entries with the same key text but different entry text, in shown order. */
    final int[] shownDiffering;
    final int[] baseDiffering;
    /** Shown entries whose key text no base entry has, ascending. */
    final int[] shownOnly;
    /** Base entries no shown entry matched by key text, ascending. */
    final int[] baseOnly;
    /** Entries written exactly alike on both sides. */
    final int sameText;

    private EntryTextMatch(int[] shownDiffering, int[] baseDiffering, int[] shownOnly, int[] baseOnly, int sameText) {
        this.shownDiffering = shownDiffering;
        this.baseDiffering = baseDiffering;
        this.shownOnly = shownOnly;
        this.baseOnly = baseOnly;
        this.sameText = sameText;
    }

    /**
     * The pairing, or null when a side has an entry without a key (named by its position) or two entries with the same
     * key text (a broken report): then the whole typed walk decides.
     */
    static EntryTextMatch of(MapEntries.Indexed shown, MapEntries.Indexed base) {
        if (!shown.allKeyed() || !base.allKeyed()) return null;
        int m = base.size();
        int capacity = Integer.highestOneBit(Math.max(m, 1) * 2) * 2;
        int mask = capacity - 1;
        int[] slots = new int[capacity]; // base position + 1; 0: free
        int[] hashes = base.keyHashes();
        int[] shownHashes = shown.keyHashes();
        for (int j = 0; j < m; j++) {
            int h = hashes[j];
            int s = h & mask;
            while (slots[s] != 0) {
                int other = slots[s] - 1;
                if (hashes[other] == h && base.sameKeyText(j, base, other)) return null;
                s = (s + 1) & mask;
            }
            slots[s] = j + 1;
        }
        boolean[] matched = new boolean[m];
        int n = shown.size();
        int[] shownDiffering = new int[n];
        int[] baseDiffering = new int[n];
        int[] shownOnly = new int[n];
        int differing = 0;
        int only = 0;
        int same = 0;
        for (int i = 0; i < n; i++) {
            int h = shownHashes[i];
            int s = h & mask;
            int j = -1;
            while (slots[s] != 0) {
                int candidate = slots[s] - 1;
                if (hashes[candidate] == h && shown.sameKeyText(i, base, candidate)) {
                    j = candidate;
                    break;
                }
                s = (s + 1) & mask;
            }
            if (j < 0) {
                shownOnly[only++] = i;
                continue;
            }
            if (matched[j]) return null; // the shown map lists one key twice
            matched[j] = true;
            if (shown.sameText(i, base, j)) {
                same++;
            } else {
                shownDiffering[differing] = i;
                baseDiffering[differing++] = j;
            }
        }
        int[] baseOnly = new int[m - (n - only)];
        int b = 0;
        for (int j = 0; j < m; j++) if (!matched[j]) baseOnly[b++] = j;
        return new EntryTextMatch(Arrays.copyOf(shownDiffering, differing), Arrays.copyOf(baseDiffering, differing),
                Arrays.copyOf(shownOnly, only), baseOnly, same);
    }
}
