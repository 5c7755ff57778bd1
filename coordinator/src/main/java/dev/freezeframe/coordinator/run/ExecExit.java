package dev.freezeframe.coordinator.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How an {@code exec} worker (a user's binary shipped with {@code --include}) ended, from the agent's console line
 * {@code FFAGENT exec-exit step=S worker=I path=NAME state=exited|killed|running [code=N|signal=N] output=TAIL}
 * (values escaped as %XX, see ffa.h). {@code running} means it was still at work when its step ended, and was killed
 * with the step's other workers.
 *
 * @param code   its exit code when it exited, else null
 * @param signal the signal that killed it before the step's end, else null
 * @param output the last bytes (at most 512) of its stdout and stderr
 */
public record ExecExit(int step, int worker, String path, String state, Integer code, Integer signal, String output) {
    static final String PREFIX = "FFAGENT exec-exit ";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The exec-exit line's facts, or empty for any other line (or a garbled one). */
    public static Optional<ExecExit> parse(String line) {
        int at = line.indexOf(PREFIX);
        if (at < 0) return Optional.empty();
        Map<String, String> values = new HashMap<>();
        for (String word : line.substring(at + PREFIX.length()).strip().split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) values.put(word.substring(0, eq), unescape(word.substring(eq + 1)));
        }
        try {
            return Optional.of(new ExecExit(Integer.parseInt(values.get("step")), Integer.parseInt(values.get("worker")),
                    values.getOrDefault("path", "?"), values.getOrDefault("state", "?"), integer(values.get("code")),
                    integer(values.get("signal")), values.getOrDefault("output", "")));
        } catch (NumberFormatException | NullPointerException garbled) {
            return Optional.empty();
        }
    }

    /** One sentence for the timeline. */
    public String describe() {
        String how = switch (state) {
            case "exited" -> "exited with code " + code;
            case "killed" -> "was killed by signal " + signal;
            case "running" -> "was still running at the step's end";
            default -> "ended (" + state + ")";
        };
        String tail = output.strip();
        return "exec " + path + " (step " + step + ", worker " + worker + ") " + how
                + (tail.isEmpty() ? "" : "; output ends: " + tail.lines().reduce((a, b) -> b).orElse(""));
    }

    String detailJson() {
        com.fasterxml.jackson.databind.node.ObjectNode json = JSON.createObjectNode();
        json.put("step", step).put("worker", worker).put("path", path).put("state", state);
        if (code != null) json.put("code", code);
        if (signal != null) json.put("signal", signal);
        return json.put("output", output).toString();
    }

    private static Integer integer(String text) {
        return text == null ? null : Integer.valueOf(text);
    }

    private static String unescape(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                try {
                    bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException | IndexOutOfBoundsException notAnEscape) {
                    // kept as typed
                }
            }
            bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
