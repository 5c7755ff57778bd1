package dev.freezeframe.app.ui.shell;

import java.util.Locale;

/**
 * The palette's matcher: the query's characters must appear in order in the text (ignoring case); matches at word
 * starts and in runs score higher, so "frz" ranks "Freeze guest" above a text where the letters are scattered.
 */
public final class FuzzyMatch {
    private FuzzyMatch() {
    }

    /** A score (higher is better), or -1 when {@code query} does not match {@code text}. An empty query matches all. */
    public static int score(String query, String text) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        if (q.isEmpty()) return 0;
        String t = text.toLowerCase(Locale.ROOT);
        int score = 0;
        int ti = 0;
        int run = 0;
        for (int qi = 0; qi < q.length(); qi++) {
            char c = q.charAt(qi);
            if (c == ' ') continue;
            int found = t.indexOf(c, ti);
            if (found < 0) return -1;
            boolean wordStart = found == 0 || !Character.isLetterOrDigit(t.charAt(found - 1));
            run = found == ti && qi > 0 ? run + 1 : 0;
            score += 1 + (wordStart ? 8 : 0) + run * 4 - Math.min(found - ti, 10);
            ti = found + 1;
        }
        if (t.startsWith(q)) score += 20;
        return Math.max(score, 1);
    }
}
