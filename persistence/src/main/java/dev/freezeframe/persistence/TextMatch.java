package dev.freezeframe.persistence;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a free-text search matches: a line (one event's text) matches when every word of the query starts one of the
 * line's words, ignoring case and accents — "trigger err" finds "test triggering error". Words are runs of letters
 * and digits, as the search index's tokenizer splits them. The index finds candidate blocks (every word somewhere in
 * the block); {@link #matches} then decides line by line.
 */
final class TextMatch {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private final List<String> words;

    private TextMatch(List<String> words) {
        this.words = words;
    }

    /** The query's words, or empty when it has none (only punctuation or blanks). */
    static Optional<TextMatch> of(String query) {
        List<String> words = wordsOf(query);
        return words.isEmpty() ? Optional.empty() : Optional.of(new TextMatch(words));
    }

    /** The FTS5 query: every word as a prefix, all in the same document. */
    String ftsQuery() {
        List<String> terms = new ArrayList<>(words.size());
        for (String w : words) terms.add("\"" + w + "\"*");
        return String.join(" AND ", terms);
    }

    boolean matches(String line) {
        if (line.isEmpty()) return false;
        if (isAscii(line)) {
            // cheap rejection first: most candidate lines do not contain the words at all
            String lower = line.toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (!lower.contains(w)) return false;
            }
        }
        List<String> lineWords = wordsOf(line);
        for (String w : words) {
            boolean found = false;
            for (String lw : lineWords) {
                if (lw.startsWith(w)) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) return false;
        }
        return true;
    }

    private static List<String> wordsOf(String text) {
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        for (String w : NON_WORD.split(folded)) {
            if (!w.isEmpty()) words.add(w);
        }
        return words;
    }
}
