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
        assertTrue(plan.startsWith("plan 2\n") && plan.endsWith("end\n"), plan);
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
                plan 2
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
            {"schema": 3, "name": "x", "steps": [{"name": "a", "duration_ms": 1}]}                    | newer Freezeframe
            {"schema": 1, "name": "x", "steps": []}                                                     | 1 to 64 steps
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": -5}]}                     | step 1: "duration_ms" is -5
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "color": "red"}]}      | unknown field 'color'
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1}, {"name": "a", "duration_ms": 1}]} | used twice
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "cpu"}}]} | needs "workers" above 0
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "warp"}}]} | not a valid scenario
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "actions": [{"capture": "periodic_001"}]}]} | reserved for periodic
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "actions": [{"fault": "oom"}]}]} | unknown fault 'oom'
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 1, "actions": [{}]}]}     | either
            {"schema": 1, "name": "x", "steps": [{"name": "a", "duration_ms": 0, "actions": [{"capture": "c1"}, {"capture": "c2"}, {"capture": "c3"}, {"capture": "c4"}, {"capture": "c5"}, {"capture": "c6"}, {"capture": "c7"}, {"capture": "c8"}, {"capture": "c9"}]}]} | at most 8 actions per step; it has 9
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

    @Test
    void aSchema2ScenarioCompilesItsCgroupsPlacementsAndTimedCgroupActions() {
        Scenario scenario = ScenarioLoader.parse("""
                {"schema": 2, "name": "t",
                 "cgroups": [{"name": "top", "cpu_weight": 200, "cpu_max": "50000 100000"},
                             {"name": "kid", "parent": "top", "cpuset_cpus": "0-1"},
                             {"name": "other"}],
                 "steps": [{"name": "a", "duration_ms": 3000,
                   "workloads": [{"kind": "cpu", "workers": 2, "cgroup": "kid", "nice": -5},
                                 {"kind": "bursty", "workers": 1, "cpus": "1", "policy": "fifo", "rt_priority": 10,
                                  "burst_ms": 2, "idle_ms": 8},
                                 {"kind": "futex", "pairs": 1}],
                   "actions": [{"move": "kid", "to": "other", "at_ms": 2000},
                               {"cgroup": "top", "cpu_weight": 50, "at_ms": 1000},
                               {"cgroup": "kid", "cpuset_cpus": "1"}]}],
                 "expect": [{"metric": "weight_error_pct", "group": "kid", "below": 20}]}""", "t.json");
        assertEquals("""
                plan 2
                sched_path /s
                enable_timeout_ms 1
                cgroup 1 0 200 50000/100000 - top
                cgroup 2 1 0 - 0-1 kid
                cgroup 3 0 0 - - other
                step 1 3000 a
                cgset 0 2 0 - 1
                cgset 1000 1 50 - -
                move 2000 2 3
                work cpu 2 0 0 0
                place 2 - -5 0 0 5 5 4096
                work bursty 1 0 0 0
                place 0 1 0 1 10 2 8 4096
                work futex 0 1 0 0
                place 0 - 0 0 0 5 5 4096
                end
                """, AgentPlan.compile("/s", List.of(), 1, scenario));
        assertEquals(1, scenario.highestCpuNamed());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "schema": 1, "cgroups": [{"name": "g"}], "steps": [{"name": "a", "duration_ms": 1}]                       | "cgroups" need "schema": 2
            "schema": 1, "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "yield", "workers": 1}}]         | the kind 'yield' need "schema": 2
            "schema": 2, "cgroups": [{"name": "g", "cpu_weight": 0}], "steps": [{"name": "a", "duration_ms": 1}]        | cgroups[0]: "cpu_weight" is 0
            "schema": 2, "cgroups": [{"name": "g", "cpu_max": "half"}], "steps": [{"name": "a", "duration_ms": 1}]      | cgroups[0]: "cpu_max" 'half'
            "schema": 2, "cgroups": [{"name": "g", "cpuset_cpus": "3-1"}], "steps": [{"name": "a", "duration_ms": 1}]   | "cpuset_cpus" '3-1' is not a CPU list
            "schema": 2, "cgroups": [{"name": "g", "parent": "h"}], "steps": [{"name": "a", "duration_ms": 1}]          | "parent" 'h' must be a cgroup declared before
            "schema": 2, "cgroups": [{"name": "cpu"}], "steps": [{"name": "a", "duration_ms": 1}]                       | is a worker kind's metric group
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "cgroup": "nope"}]}] | workloads[0]: "cgroup" 'nope' is not one
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "nice": 40}]}] | "nice" is 40
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "policy": "fifo"}]}] | needs "rt_priority" between 1 and 99
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "rt_priority": 5}]}] | "rt_priority" is only for the fifo and rr
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "burst_ms": 5}]}] | "burst_ms" does not apply
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "cpus": "x"}]}] | "cpus" 'x' is not a CPU list
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "cpu", "workers": 1}, "workloads": [{"kind": "cpu", "workers": 1}]}] | not both
            "schema": 2, "cgroups": [{"name": "g"}], "steps": [{"name": "a", "duration_ms": 100, "actions": [{"cgroup": "g"}]}] | needs "cpu_weight", "cpu_max" or "cpuset_cpus"
            "schema": 2, "cgroups": [{"name": "g"}], "steps": [{"name": "a", "duration_ms": 100, "actions": [{"cgroup": "g", "cpu_weight": 5, "at_ms": 100}]}] | "at_ms" is 100
            "schema": 2, "cgroups": [{"name": "g"}, {"name": "h"}], "steps": [{"name": "a", "duration_ms": 100, "actions": [{"move": "g", "to": "h"}]}] | a move needs "at_ms" above 0
            "schema": 2, "steps": [{"name": "a", "duration_ms": 100, "actions": [{"capture": "x", "at_ms": 5}]}]        | "at_ms" is for cgroup and move actions
            "schema": 2, "cgroups": [{"name": "g"}], "steps": [{"name": "a", "duration_ms": 1}], "expect": [{"metric": "rate", "group": "h", "below": 1}] | "group" 'h' is not a worker group
            "schema": 1, "steps": [{"name": "a", "duration_ms": 1, "actions": [{"swap_scheduler": "scx_simple"}]}]      | "swap_scheduler" and "at_ms" need "schema": 2
            "schema": 2, "steps": [{"name": "a", "duration_ms": 9, "actions": [{"swap_scheduler": "scx_simple", "at_ms": 5}]}] | captures, faults and scheduler swaps run at the step's start
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "actions": [{"swap_scheduler": "scx_qmap -e 5"}]}]   | its arguments go in "args"
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "actions": [{"swap_scheduler": "scx_qmap", "args": [""]}]}] | "args"[0] must be a string
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "actions": [{"capture": "x", "args": ["-v"]}]}]      | "args" goes with {"swap_scheduler"
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "actions": [{"capture": "x", "swap_scheduler": "s"}]}] | each action is either
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "exec", "workers": 1}]}]      | workloads[0]: an exec workload needs "path"
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "exec", "workers": 1, "path": "../x"}]}] | an exec workload needs "path"
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "exec", "path": "t"}]}]       | a exec workload needs "workers" above 0
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "path": "t"}]}] | "path" is only for the exec kind
            "schema": 2, "steps": [{"name": "a", "duration_ms": 1, "workloads": [{"kind": "cpu", "workers": 1, "args": ["x"]}]}] | "args" is only for the exec kind
            "schema": 1, "steps": [{"name": "a", "duration_ms": 1, "workload": {"kind": "exec", "workers": 1, "path": "t"}}] | the kind 'exec' need "schema": 2
            """)
    void badSchema2ScenariosAreRefusedNamingTheField(String body, String expected) {
        CoordinatorException e = assertThrows(CoordinatorException.class,
                () -> ScenarioLoader.parse("{\"name\": \"x\", " + body + "}", "s.json"));
        assertTrue(e.getMessage().startsWith("s.json"), e.getMessage());
        assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
    }

    @Test
    void anExpectationMayNameACgroupAsItsGroup() {
        Scenario scenario = ScenarioLoader.load("isolation");
        assertEquals("pinned", scenario.expect().getFirst().group());
        assertEquals(1, scenario.highestCpuNamed());
    }

    @Test
    void aSwapAndAnExecWorkloadCompileToTheirPlanLines() {
        Scenario scenario = ScenarioLoader.parse("""
                {"schema": 2, "name": "t", "steps": [
                  {"name": "a", "duration_ms": 100, "workloads": [
                    {"kind": "exec", "workers": 2, "path": "tool", "args": ["--fast", "two words"], "nice": 3}]},
                  {"name": "b", "duration_ms": 100, "actions": [{"swap_scheduler": "scx_qmap", "args": ["-s", "100"]},
                                                                  {"capture": "after"}]}
                ]}""", "test");
        assertEquals(List.of(new Scenario.Swap("b", "scx_qmap", List.of("-s", "100"))), scenario.swaps());
        assertEquals(java.util.Set.of("tool"), scenario.execPaths());
        assertEquals("""
                plan 2
                sched_path /usr/bin/scx_simple
                enable_timeout_ms 1
                include tool 1234
                step 1 100 a
                work exec 2 0 0 0
                place 0 - 3 0 0 5 5 4096
                exec tool
                exec_arg --fast
                exec_arg two words
                step 2 100 b
                swap /usr/bin/scx_qmap
                swap_arg -s
                swap_arg 100
                capture after
                work idle 0 0 0 0
                end
                """, AgentPlan.compile("/usr/bin/scx_simple", List.of(), 1, scenario, name -> "/usr/bin/" + name,
                java.util.Map.of("tool", 1234L)));
    }
}
