package dev.freezeframe.coordinator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.CoordinatorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
    @TempDir
    Path dir;

    static final List<String> BUILT_INS = ScenarioLoader.BUILT_INS;

    @ParameterizedTest
    @FieldSource("BUILT_INS")
    void everyBuiltInLoadsAndCompilesToAPlan(String name) {
        Scenario scenario = ScenarioLoader.load(name);
        assertEquals(name, scenario.name());
        String plan = AgentPlan.compile("/usr/bin/scx_simple", List.of(), 30_000, scenario);
        assertTrue(plan.startsWith("plan 1\n") && plan.endsWith("end\n"), plan);
        assertEquals(scenario.steps().size(), plan.lines().filter(l -> l.startsWith("step ")).count());
    }

    @Test
    void theTwoStepScenarioIsCpuThenPingPongForAboutFiveSeconds() {
        Scenario scenario = ScenarioLoader.load("cpu-pingpong");
        assertEquals(List.of("cpu", "pingpong"), scenario.steps().stream().map(Step::name).toList());
        assertEquals(5000, scenario.totalDurationMs());
    }

    @Test
    void aPlanCarriesSchedulerArgumentsStepsActionsAndWorkloadsInOrder() {
        Scenario scenario = ScenarioLoader.parse("""
                {"schema": 1, "name": "t", "steps": [
                  {"name": "a", "duration_ms": 100, "workload": {"kind": "CPU", "workers": 2}},
                  {"name": "b", "duration_ms": 0, "actions": [{"capture": "mid"}, {"fault": "kernel_panic"}]}
                ]}""", "test");
        assertEquals("""
                plan 1
                sched_path /usr/bin/scx_qmap
                sched_arg -e
                sched_arg 50
                enable_timeout_ms 30000
                step 1 100 a
                work cpu 2 0 0 0
                step 2 0 b
                capture mid
                fault kernel_panic
                work idle 0 0 0 0
                end
                """, AgentPlan.compile("/usr/bin/scx_qmap", List.of("-e", "50"), 30_000, scenario));
    }

    @Test
    void aSchedulerArgumentWithANewlineCannotSmuggleDirectives() {
        Scenario scenario = ScenarioLoader.load("cpu");
        assertThrows(IllegalArgumentException.class,
                () -> AgentPlan.compile("/usr/bin/scx_qmap", List.of("-e\nfault kernel_panic"), 1000, scenario));
    }

    @Test
    void aScenarioFileIsLoadedByPath() throws Exception {
        Path file = Files.writeString(dir.resolve("mine.json"), """
                {"schema": 1, "name": "mine", "steps": [{"name": "s", "duration_ms": 10,
                 "workload": {"kind": "forkexit", "forkers": 1}}]}""");
        assertEquals("mine", ScenarioLoader.load(file.toString()).name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"schema": 2, "name": "x", "steps": [{"name": "a", "duration_ms": 1}]}                    | newer Freezeframe
            {"schema": 1, "name": "x", "steps": []}                                                     | 1 to 64 steps
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": -5}]}                     | step 1: "duration_ms" is -5
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "color": "red"}]}      | unknown field 'color'
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1}, {"name": "a", "duration_ms": 1}]} | used twice
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "cpu"}}]} | needs "workers" above 0
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "warp"}}]} | not a valid scenario
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "actions": [{"capture": "periodic_001"}]}]} | reserved for periodic
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "actions": [{"fault": "oom"}]}]} | unknown fault 'oom'
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "actions": [{}]}]}     | either
            {"schema": 1, "name": "bad name!", "steps": [{"name": "a", "duration_ms": 1}]}             | "name" must be
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "cpu", "workers": 999}}]} | between 0 and 64
            not json at all                                                                             | not a valid scenario
            """)
    void badScenariosAreRefusedWithASentenceNamingTheProblem(String json, String expected) {
        CoordinatorException e = assertThrows(CoordinatorException.class, () -> ScenarioLoader.parse(json, "s.json"));
        assertTrue(e.getMessage().startsWith("s.json"), e.getMessage());
        assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
    }

    @Test
    void anUnknownNameListsTheBuiltIns() {
        CoordinatorException e = assertThrows(CoordinatorException.class, () -> ScenarioLoader.load("nope"));
        assertTrue(e.getMessage().contains("cpu-pingpong"), e.getMessage());
    }

    @Test
    void aPlanSentOverTheChannelCarriesTheHostsClockAndSeedAfterItsFirstLine() {
        String plan = "plan 1\nsched_path /usr/bin/scx_simple\nend\n";
        assertEquals("plan 1\nwall_clock_ns 1700000000000000000\nseed " + "ab".repeat(32)
                + "\nsched_path /usr/bin/scx_simple\nend\n",
                AgentPlan.withHostFacts(plan, 1_700_000_000_000_000_000L, "ab".repeat(32)));
    }

    @Test
    void latencyProbesAndExpectationsReachThePlanAndTheScenario() {
        Scenario scenario = ScenarioLoader.parse("""
                {"schema": 1, "name": "t", "steps": [
                  {"name": "p", "duration_ms": 100, "workload": {"kind": "cpu", "workers": 2, "probes": 1}}],
                 "expect": [{"metric": "wake_p99_us", "step": "p", "below": 5000}]}""", "test");
        assertTrue(AgentPlan.compile("/s", List.of(), 1, scenario).contains("work cpu 2 0 0 1\n"));
        assertEquals(List.of(new Expectation("wake_p99_us", "p", null, 5000.0, null)), scenario.expect());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"kind\": \"latency\"}|[]|a latency workload needs \"probes\" above 0",
            "{\"kind\": \"cpu\", \"workers\": 1}|[{\"metric\": \"p99\", \"below\": 1}]|expect[0]: unknown metric 'p99'",
            "{\"kind\": \"cpu\", \"workers\": 1}|[{\"metric\": \"rate\", \"step\": \"x\", \"below\": 1}]|\"step\" 'x' is not a step",
            "{\"kind\": \"cpu\", \"workers\": 1}|[{\"metric\": \"rate\", \"group\": \"gpu\", \"below\": 1}]|\"group\" 'gpu' is not a worker group",
            "{\"kind\": \"cpu\", \"workers\": 1}|[{\"metric\": \"rate\"}]|give \"below\" or \"above\"",
    })
    void badProbesAndExpectationsAreRefusedNamingTheField(String workload, String expect, String message) {
        CoordinatorException e = assertThrows(CoordinatorException.class, () -> ScenarioLoader.parse(
                "{\"schema\": 1, \"name\": \"t\", \"steps\": [{\"name\": \"s\", \"duration_ms\": 1, \"workload\": "
                        + workload + "}], \"expect\": " + expect + "}", "f.json"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
