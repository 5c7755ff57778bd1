package dev.freezeframe.coordinator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.wire.ExecState;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.util.Locale;

/**
 * The {@code exec_exit} step event of an {@link WireMessage.ExecExit} frame: how an {@code exec} worker (a user's
 * binary shipped with {@code --include}) ended. Its text is one sentence for the timeline, its value the exit code
 * (none when it did not exit), its detail JSON {@code step, worker, path, state, code|signal, output}.
 */
final class ExecExit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExecExit() {
    }

    static EventDraft event(WireMessage.ExecExit exit) {
        boolean exited = exit.state() == ExecState.EXITED;
        return new EventDraft(Lane.STEPS, "exec_exit", describe(exit), exited ? (double) exit.value() : null,
                detailJson(exit));
    }

    static String describe(WireMessage.ExecExit exit) {
        String how = switch (exit.state()) {
            case EXITED -> "exited with code " + exit.value();
            case KILLED -> "was killed by signal " + exit.value();
            case RUNNING -> "was still running at the step's end";
        };
        String tail = exit.output().strip();
        return "exec " + exit.path() + " (step " + exit.stepIndex() + ", worker " + exit.worker() + ") " + how
                + (tail.isEmpty() ? "" : "; output ends: " + tail.lines().reduce((a, b) -> b).orElse(""));
    }

    static String detailJson(WireMessage.ExecExit exit) {
        ObjectNode json = JSON.createObjectNode();
        json.put("step", exit.stepIndex()).put("worker", exit.worker()).put("path", exit.path())
                .put("state", exit.state().name().toLowerCase(Locale.ROOT));
        switch (exit.state()) {
            case EXITED -> json.put("code", exit.value());
            case KILLED -> json.put("signal", exit.value());
            case RUNNING -> { }
        }
        return json.put("output", exit.output()).toString();
    }
}
