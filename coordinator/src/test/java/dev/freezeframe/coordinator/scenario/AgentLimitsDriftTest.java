package dev.freezeframe.coordinator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scenario checks refuse before boot what the guest agent would otherwise drop without a word: their limits must be
 * the agent's own ({@code ffa_run.c}), so a limit changed on one side only fails here.
 */
class AgentLimitsDriftTest {

    private static int agentDefine(String name) throws IOException {
        Path run = Path.of("../vmm/src/main/c/agent/ffa_run.c");
        assertTrue(Files.isRegularFile(run), "the agent's source is at " + run.toAbsolutePath());
        Matcher m = Pattern.compile("#define\\s+" + name + "\\s+(\\d+)").matcher(Files.readString(run));
        assertTrue(m.find(), name + " is defined in ffa_run.c");
        return Integer.parseInt(m.group(1));
    }

    @Test
    void stepsWorkloadsAndActionsPerStepAreLimitedAsTheAgentLimitsThem() throws IOException {
        assertEquals(agentDefine("MAX_STEPS"), ScenarioValidator.MAX_STEPS);
        assertEquals(agentDefine("MAX_WORKLOADS"), ScenarioValidator.MAX_WORKLOADS);
        assertEquals(agentDefine("MAX_ACTIONS"), ScenarioValidator.MAX_ACTIONS);
    }
}
