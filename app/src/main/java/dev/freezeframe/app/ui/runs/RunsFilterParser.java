package dev.freezeframe.app.ui.runs;

import dev.freezeframe.persistence.RunFilter;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the runs browser's filter bar: the {@code runs list} options as tokens ({@code scheduler:S kernel:K
 * verdict:V since:DATE until:DATE}) and free words or {@code "quoted text"}, searched in the archive's text. A value
 * may be quoted ({@code scheduler:"scx qmap"}). Dates are those {@code runs list} takes ({@code 2026-11-01},
 * {@code 2026-11-01T10:00}, an ISO instant) plus {@code today}, {@code week} (since Monday) and ages such as
 * {@code 7d}, {@code 12h}, {@code 2w}.
 */
public final class RunsFilterParser {
    public static final List<String> KEYS = List.of("scheduler", "kernel", "verdict", "since", "until");
    public static final List<String> VERDICTS = List.of("passed", "scheduler_failed", "failed_expectation", "error", "inconclusive",
            "running", "unfinished", "interrupted");

    private static final Pattern KEYED = Pattern.compile("([A-Za-z_]+):(.*)", Pattern.DOTALL);
    private static final Pattern AGE = Pattern.compile("(\\d{1,6})([hdw])");

    /** The outcome: a filter, or why the text is not one. */
    public sealed interface Result permits Valid, Invalid {
    }

    /** @param filter the runs to list */
    public record Valid(RunFilter filter) implements Result {
    }

    /**
     * @param message a sentence naming the offending token and what would be accepted
     * @param token   the offending token as typed
     * @param offset  where it starts in the text
     */
    public record Invalid(String message, String token, int offset) implements Result {
    }

    private final Clock clock;
    private final ZoneId zone;

    public RunsFilterParser(Clock clock) {
        this.clock = clock;
        this.zone = clock.getZone();
    }

    public RunsFilterParser() {
        this(Clock.systemDefaultZone());
    }

    public Result parse(String text) {
        List<Token> tokens;
        try {
            tokens = tokenize(text == null ? "" : text);
        } catch (BadToken e) {
            return e.invalid;
        }
        RunFilter filter = RunFilter.ALL;
        Set<String> seen = new HashSet<>();
        List<String> words = new ArrayList<>();
        for (Token t : tokens) {
            Matcher keyed = t.quoted ? null : KEYED.matcher(t.raw);
            if (keyed == null || !keyed.matches()) {
                words.add(t.value);
                continue;
            }
            String key = keyed.group(1).toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                return new Invalid("Unknown filter '" + t.raw + "': use scheduler:, kernel:, verdict:, since:, until:"
                        + " or words to search for (quote text that holds a colon).", t.raw, t.offset);
            }
            String value = unquote(keyed.group(2));
            if (value.isBlank()) {
                return new Invalid("'" + t.raw + "' needs a value, e.g. " + example(key) + ".", t.raw, t.offset);
            }
            if (!seen.add(key)) {
                return new Invalid("'" + key + ":' is given twice; keep one.", t.raw, t.offset);
            }
            switch (key) {
                case "scheduler" -> filter = filter.withScheduler(value);
                case "kernel" -> filter = filter.withKernel(value);
                case "verdict" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!VERDICTS.contains(v)) {
                        return new Invalid("Unknown verdict '" + value + "' in '" + t.raw + "': use "
                                + String.join(", ", VERDICTS) + ".", t.raw, t.offset);
                    }
                    filter = filter.withVerdict(v);
                }
                case "since", "until" -> {
                    Instant at = date(value);
                    if (at == null) {
                        return new Invalid("'" + value + "' in '" + t.raw + "' is not a date: use 2026-11-01, "
                                + "2026-11-01T10:00, today, week or an age such as 7d, 12h, 2w.", t.raw, t.offset);
                    }
                    filter = key.equals("since") ? filter.withStartedFrom(at) : filter.withStartedBefore(at);
                }
                default -> throw new IllegalStateException(key);
            }
        }
        if (!words.isEmpty()) filter = filter.withText(String.join(" ", words));
        return new Valid(filter);
    }

    private static String example(String key) {
        return switch (key) {
            case "scheduler" -> "scheduler:scx_qmap";
            case "kernel" -> "kernel:7.2";
            case "verdict" -> "verdict:scheduler_failed";
            case "since" -> "since:7d";
            default -> "until:2026-11-01";
        };
    }

    private Instant date(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        if (v.equals("today")) return LocalDate.now(clock).atStartOfDay(zone).toInstant();
        if (v.equals("week")) {
            return LocalDate.now(clock).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone)
                    .toInstant();
        }
        Matcher age = AGE.matcher(v);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException ignored) {
            // a local form
        }
        try {
            return LocalDateTime.parse(value.strip()).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // a plain date
        }
        try {
            return LocalDate.parse(value.strip()).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** A token as typed ({@code raw}), its text without quotes ({@code value}), and whether it was all quoted. */
    private record Token(String raw, String value, boolean quoted, int offset) {
    }

    private static final class BadToken extends Exception {
        final Invalid invalid;

        BadToken(Invalid invalid) {
            super(invalid.message(), null, false, false);
            this.invalid = invalid;
        }
    }

    /** Splits on blanks outside quotes; a quote may open a token or follow {@code key:}. */
    private static List<Token> tokenize(String text) throws BadToken {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean inQuote = false;
            while (i < n && (inQuote || !Character.isWhitespace(text.charAt(i)))) {
                if (text.charAt(i) == '"') inQuote = !inQuote;
                i++;
            }
            String raw = text.substring(start, i);
            if (inQuote) {
                throw new BadToken(new Invalid("The quote opened in '" + raw + "' is not closed.", raw, start));
            }
            boolean quoted = raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"");
            String value = quoted ? raw.substring(1, raw.length() - 1) : raw;
            if (quoted && value.isBlank()) continue;
            tokens.add(new Token(raw, value, quoted, start));
        }
        return tokens;
    }

    /**
     * The text with the {@code key:} token replaced by {@code key:value} (or removed when {@code value} is null); used
     * by the quick filter buttons, so typed tokens survive.
     */
    public static String withToken(String text, String key, String value) {
        List<String> kept = new ArrayList<>();
        try {
            for (Token t : tokenize(text == null ? "" : text)) {
                if (!t.quoted && t.raw.toLowerCase(Locale.ROOT).startsWith(key + ":")) continue;
                kept.add(t.raw);
            }
        } catch (BadToken e) {
            kept.clear();
            if (text != null && !text.isBlank()) kept.add(text.strip());
        }
        if (value != null) kept.addFirst(key + ":" + value);
        return String.join(" ", kept);
    }

    /** True when the text holds the token {@code key:value} (case-insensitive). */
    public static boolean hasToken(String text, String key, String value) {
        try {
            for (Token t : tokenize(text == null ? "" : text)) {
                if (!t.quoted && t.raw.equalsIgnoreCase(key + ":" + value)) return true;
            }
        } catch (BadToken e) {
            return false;
        }
        return false;
    }
}
