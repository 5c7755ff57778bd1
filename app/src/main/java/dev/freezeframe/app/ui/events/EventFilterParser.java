package dev.freezeframe.app.ui.events;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.persistence.EventFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The events table's filter language: {@code lane:NAME}, {@code kind:NAME}, words and {@code "quoted words"} (or
 * {@code text~"..."}) that every shown line's text must hold. Several lanes or kinds are alternatives; words all must
 * match. E.g. {@code lane:watchpoints kind:hit total_forks}.
 */
public final class EventFilterParser {
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final String LANE_NAMES = Arrays.stream(Lane.values()).map(Lane::wireName)
            .collect(Collectors.joining(", "));

    /** The outcome: a filter, or a sentence about what is wrong and where (0-based offset into the input). */
    public sealed interface Result {
    }

    public record Valid(EventFilter filter) implements Result {
    }

    public record Invalid(String message, int offset) implements Result {
    }

    private EventFilterParser() {
    }

    public static Result parse(String input) {
        Set<Lane> lanes = new LinkedHashSet<>();
        Set<String> kinds = new LinkedHashSet<>();
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = input.length();
        while (i < n) {
            if (Character.isWhitespace(input.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            if (input.charAt(i) == '"') {
                int close = input.indexOf('"', i + 1);
                if (close < 0) return new Invalid("A quote is not closed.", start);
                words.add(input.substring(i + 1, close));
                i = close + 1;
                continue;
            }
            while (i < n && !Character.isWhitespace(input.charAt(i)) && input.charAt(i) != '"') i++;
            String token = input.substring(start, i);
            int colon = token.indexOf(':');
            int tilde = token.indexOf('~');
            int sep = colon < 0 ? tilde : tilde < 0 ? colon : Math.min(colon, tilde);
            if (sep < 0) {
                if (token.indexOf('(') >= 0 || token.indexOf(')') >= 0) {
                    return new Invalid("Parentheses are not supported here; list lanes, kinds and words.", start);
                }
                words.add(token);
                continue;
            }
            String key = token.substring(0, sep).toLowerCase(Locale.ROOT);
            String value = token.substring(sep + 1);
            int valueAt = start + sep + 1;
            if (key.equals("text")) {
                // text~"several words" or text:word
                if (value.isEmpty() && i < n && input.charAt(i) == '"') {
                    int close = input.indexOf('"', i + 1);
                    if (close < 0) return new Invalid("A quote is not closed.", i);
                    words.add(input.substring(i + 1, close));
                    i = close + 1;
                } else if (value.isEmpty()) {
                    return new Invalid("text needs words after it, e.g. text~\"task stall\".", valueAt);
                } else {
                    words.add(value);
                }
                continue;
            }
            if (value.isEmpty() && i < n && input.charAt(i) == '"') {
                return new Invalid(key + ": takes one name, not quoted text.", i);
            }
            switch (key) {
                case "lane" -> {
                    if (value.isEmpty()) return new Invalid("lane: needs a lane name (" + LANE_NAMES + ").", start);
                    Lane lane = laneNamed(value);
                    if (lane == null) {
                        return new Invalid("There is no lane '" + value + "'; lanes are " + LANE_NAMES + ".", valueAt);
                    }
                    lanes.add(lane);
                }
                case "kind" -> {
                    if (value.isEmpty() || !KIND.matcher(value).matches()) {
                        return new Invalid("kind: takes a kind name such as hit, stderr or line.",
                                value.isEmpty() ? start : valueAt);
                    }
                    kinds.add(value);
                }
                default -> {
                    return new Invalid("Unknown filter field '" + token.substring(0, sep)
                            + "'; use lane:, kind: or words of the text.", start);
                }
            }
        }
        return new Valid(new EventFilter(lanes, kinds, String.join(" ", words)));
    }

    private static Lane laneNamed(String name) {
        for (Lane lane : Lane.values()) {
            if (lane.wireName().equalsIgnoreCase(name)) return lane;
        }
        return null;
    }
}
