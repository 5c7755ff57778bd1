package dev.freezeframe.coordinator.scenario;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.wire.WorkerRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks every limit of a parsed scenario, so that what reaches the guest is always well-formed. Every problem is one
 * sentence naming the origin, the step and the field.
 */
final class ScenarioValidator {
    static final int MAX_STEPS = 64;
    static final long MAX_STEP_MS = 3_600_000;
    static final int MAX_COUNT = 64;
    static final int MAX_CGROUPS = 16;
    static final int MAX_WORKLOADS = 8;
    /** The agent keeps this many actions per step (its MAX_ACTIONS); more would be dropped without a word. */
    static final int MAX_ACTIONS = 8;
    static final int MAX_MEM_KIB = 262_144;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,48}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final int MAX_ARGS = 16;
    static final int MAX_ARG_CHARS = 256;
    private static final Pattern CONTROL = Pattern.compile(".*\\p{Cntrl}.*", Pattern.DOTALL);
    private static final Pattern CPU_MAX = Pattern.compile("max|[0-9]{1,9} [0-9]{1,7}");

    private final Scenario scenario;
    private final String origin;

    private ScenarioValidator(Scenario scenario, String origin) {
        this.scenario = scenario;
        this.origin = origin;
    }

    static void validate(Scenario scenario, String origin) {
        new ScenarioValidator(scenario, origin).validate();
    }

    private void validate() {
        if (scenario.schema() > ScenarioLoader.SCHEMA_VERSION) {
            fail(origin + " uses scenario schema " + scenario.schema() + ", written for a newer Freezeframe (this one "
                    + "reads schemas 1 and " + ScenarioLoader.SCHEMA_VERSION + ").");
        }
        if (scenario.schema() < 1) fail(origin + ": \"schema\" must be 1 or " + ScenarioLoader.SCHEMA_VERSION + ".");
        if (scenario.name() == null || !NAME.matcher(scenario.name()).matches()) {
            fail(origin + ": \"name\" must be 1-48 letters, digits, '_', '.' or '-'.");
        }
        if (scenario.schema() < 2 && !scenario.cgroups().isEmpty()) needsSchema2(origin, "\"cgroups\"");
        validateCgroups();
        if (scenario.steps().isEmpty() || scenario.steps().size() > MAX_STEPS) {
            fail(origin + ": a scenario needs 1 to " + MAX_STEPS + " steps; it has " + scenario.steps().size() + ".");
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < scenario.steps().size(); i++) {
            Step step = scenario.steps().get(i);
            String at = origin + ", step " + (i + 1);
            if (step.name() == null || !NAME.matcher(step.name()).matches()) {
                fail(at + ": \"name\" must be 1-48 letters, digits, '_', '.' or '-'.");
            }
            if (seen.contains(step.name())) fail(at + ": the step name '" + step.name() + "' is used twice.");
            seen.add(step.name());
            if (step.durationMs() < 0 || step.durationMs() > MAX_STEP_MS) {
                fail(at + ": \"duration_ms\" is " + step.durationMs() + "; it must be between 0 and " + MAX_STEP_MS
                        + ".");
            }
            validateWorkloads(step, at);
            if (step.actions().size() > MAX_ACTIONS) {
                fail(at + ": at most " + MAX_ACTIONS + " actions per step; it has " + step.actions().size()
                        + " (split them over steps of \"duration_ms\": 0).");
            }
            for (StepAction action : step.actions()) validateAction(action, step, at);
        }
        for (int i = 0; i < scenario.expect().size(); i++) validateExpectation(scenario.expect().get(i), seen,
                origin + ", expect[" + i + "]");
    }

    private void validateCgroups() {
        if (scenario.cgroups().size() > MAX_CGROUPS) {
            fail(origin + ": at most " + MAX_CGROUPS + " cgroups; it has " + scenario.cgroups().size() + ".");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < scenario.cgroups().size(); i++) {
            CgroupSpec c = scenario.cgroups().get(i);
            String at = origin + ", cgroups[" + i + "]";
            if (c == null || c.name() == null || !NAME.matcher(c.name()).matches()) {
                fail(at + ": \"name\" must be 1-48 letters, digits, '_', '.' or '-'.");
            }
            if (names.contains(c.name())) fail(at + ": the cgroup name '" + c.name() + "' is used twice.");
            if (Arrays.stream(WorkerRole.values()).anyMatch(r -> r.label().equals(c.name()))) {
                fail(at + ": the cgroup name '" + c.name() + "' is a worker kind's metric group; choose another.");
            }
            if (c.parent() != null && !names.contains(c.parent())) {
                fail(at + ": \"parent\" '" + c.parent() + "' must be a cgroup declared before this one.");
            }
            names.add(c.name());
            checkCgroupSettings(c.cpuWeight(), c.cpuMax(), c.cpusetCpus(), at);
        }
    }

    private static void checkCgroupSettings(Integer weight, String cpuMax, String cpus, String at) {
        if (weight != null && (weight < 1 || weight > 10_000)) {
            fail(at + ": \"cpu_weight\" is " + weight + "; cgroup v2 takes 1 to 10000 (100 is the default).");
        }
        if (cpuMax != null) {
            boolean ok = CPU_MAX.matcher(cpuMax).matches();
            if (ok && !cpuMax.equals("max")) {
                String[] qp = cpuMax.split(" ");
                long quota = Long.parseLong(qp[0]), period = Long.parseLong(qp[1]);
                ok = quota >= 1000 && period >= 1000 && period <= 1_000_000;
            }
            if (!ok) {
                fail(at + ": \"cpu_max\" '" + cpuMax + "' must be \"max\" or \"QUOTA PERIOD\" in microseconds (quota"
                        + " at least 1000, period 1000 to 1000000), e.g. \"50000 100000\" for half a CPU.");
            }
        }
        if (cpus != null && CpuList.mask(cpus).isEmpty()) {
            fail(at + ": \"cpuset_cpus\" '" + cpus + "' is not a CPU list such as \"0-1\" or \"0,2\" (CPUs 0 to "
                    + CpuList.MAX_CPU + ").");
        }
    }

    private void validateWorkloads(Step step, String at) {
        if (!step.workloads().isEmpty()) {
            if (scenario.schema() < 2) needsSchema2(at, "\"workloads\"");
            if (step.workload() != null) fail(at + ": give \"workload\" or \"workloads\", not both.");
            if (step.workloads().size() > MAX_WORKLOADS) {
                fail(at + ": at most " + MAX_WORKLOADS + " workloads per step; it has " + step.workloads().size() + ".");
            }
        }
        List<Workload> all = step.allWorkloads();
        int processes = 0;
        for (int i = 0; i < all.size(); i++) {
            String where = step.workloads().isEmpty() ? at : at + ", workloads[" + i + "]";
            if (all.get(i) == null) fail(where + ": a workload must be an object with a \"kind\".");
            validateWorkload(all.get(i), where);
            Workload w = all.get(i);
            processes += w.workers() + 2 * w.pairs() + w.forkers() + w.probes();
        }
        if (processes > 256) fail(at + ": the step starts " + processes + " processes; the agent runs at most 256.");
    }

    private void validateWorkload(Workload w, String at) {
        if (w.kind() == null) {
            fail(at + ": the workload needs a \"kind\" (idle, cpu, pingpong, forkexit, mixed, latency, futex, yield,"
                    + " bursty, memory, threads or exec).");
        }
        if (scenario.schema() < 2 && w.usesSchema2()) {
            needsSchema2(at, w.kind().schema2() ? "the kind '" + w.kind().planName() + "'" : "placement fields");
        }
        for (int count : new int[] {w.workers(), w.pairs(), w.forkers(), w.probes()}) {
            if (count < 0 || count > MAX_COUNT) fail(at + ": workload counts must be between 0 and " + MAX_COUNT + ".");
        }
        boolean ok = switch (w.kind()) {
            case IDLE -> true;
            case CPU, YIELD, BURSTY, MEMORY, THREADS, EXEC -> w.workers() > 0;
            case PINGPONG, FUTEX -> w.pairs() > 0;
            case FORKEXIT -> w.forkers() > 0;
            case MIXED -> w.workers() + w.pairs() + w.forkers() > 0;
            case LATENCY -> w.probes() > 0;
        };
        if (!ok) {
            String needs = switch (w.kind()) {
                case CPU, YIELD, BURSTY, MEMORY, THREADS, EXEC -> "\"workers\"";
                case PINGPONG, FUTEX -> "\"pairs\"";
                case FORKEXIT -> "\"forkers\"";
                case LATENCY -> "\"probes\"";
                default -> "at least one of \"workers\", \"pairs\", \"forkers\"";
            };
            fail(at + ": a " + w.kind().planName() + " workload needs " + needs + " above 0.");
        }
        if (w.cgroup() != null && scenario.cgroup(w.cgroup()).isEmpty()) {
            fail(at + ": \"cgroup\" '" + w.cgroup() + "' is not one of the scenario's \"cgroups\".");
        }
        if (w.cpus() != null && CpuList.mask(w.cpus()).isEmpty()) {
            fail(at + ": \"cpus\" '" + w.cpus() + "' is not a CPU list such as \"0-1\" or \"0,2\" (CPUs 0 to "
                    + CpuList.MAX_CPU + ").");
        }
        if (w.nice() != null && (w.nice() < -20 || w.nice() > 19)) {
            fail(at + ": \"nice\" is " + w.nice() + "; it must be between -20 and 19.");
        }
        boolean rt = w.policy() != null && w.policy().realTime();
        if (rt && (w.rtPriority() == null || w.rtPriority() < 1 || w.rtPriority() > 99)) {
            fail(at + ": a " + w.policy().label() + " workload needs \"rt_priority\" between 1 and 99.");
        }
        if (!rt && w.rtPriority() != null) fail(at + ": \"rt_priority\" is only for the fifo and rr policies.");
        if (rt && w.nice() != null) fail(at + ": \"nice\" does not apply to the real-time " + w.policy().label()
                + " policy; drop it.");
        checkDutyField(w.burstMs(), "burst_ms", w.kind() == Workload.Kind.BURSTY, 1, 10_000, at);
        checkDutyField(w.idleMs(), "idle_ms", w.kind() == Workload.Kind.BURSTY, 1, 10_000, at);
        checkDutyField(w.memKib(), "mem_kib", w.kind() == Workload.Kind.MEMORY, 4, MAX_MEM_KIB, at);
        boolean exec = w.kind() == Workload.Kind.EXEC;
        if (exec && (w.path() == null || !NAME.matcher(w.path()).matches())) {
            fail(at + ": an exec workload needs \"path\": the name of a file shipped with --include (1-48 letters,"
                    + " digits, '_', '.' or '-').");
        }
        if (!exec && w.path() != null) fail(at + ": \"path\" is only for the exec kind.");
        if (!exec && w.args() != null) fail(at + ": \"args\" is only for the exec kind.");
        checkArgs(w.args(), at);
    }

    /** Arguments reach the guest one per plan line: bounded, and free of newlines and other control characters. */
    private static void checkArgs(List<String> args, String at) {
        if (args == null) return;
        if (args.size() > MAX_ARGS) fail(at + ": \"args\" has " + args.size() + " arguments; at most " + MAX_ARGS + ".");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a == null || a.isEmpty() || a.length() > MAX_ARG_CHARS || CONTROL.matcher(a).matches()) {
                fail(at + ": \"args\"[" + i + "] must be a string of 1-" + MAX_ARG_CHARS
                        + " characters without control characters (such as a newline).");
            }
        }
    }

    private static void checkDutyField(Integer value, String field, boolean applies, int min, int max, String at) {
        if (value == null) return;
        if (!applies) fail(at + ": \"" + field + "\" does not apply to this kind of workload.");
        if (value < min || value > max) {
            fail(at + ": \"" + field + "\" is " + value + "; it must be between " + min + " and " + max + ".");
        }
    }

    private void validateAction(StepAction action, Step step, String at) {
        int kinds = action == null ? 0 : (action.capture() != null ? 1 : 0) + (action.fault() != null ? 1 : 0)
                + (action.cgroup() != null ? 1 : 0) + (action.move() != null ? 1 : 0)
                + (action.swapScheduler() != null ? 1 : 0);
        if (kinds != 1) {
            fail(at + ": each action is either {\"capture\": \"TAG\"}, {\"fault\": \"NAME\"}, {\"cgroup\": \"NAME\", "
                    + "...settings}, {\"move\": \"CGROUP\", \"to\": \"CGROUP\"} or {\"swap_scheduler\": \"SCHEDULER\"}.");
        }
        if (scenario.schema() < 2 && action.usesSchema2()) {
            needsSchema2(at, "cgroup actions, \"swap_scheduler\" and \"at_ms\"");
        }
        validateSwap(action, at);
        if (action.atMs() != null && (action.atMs() < 0 || action.atMs() >= Math.max(1, step.durationMs()))) {
            fail(at + ": \"at_ms\" is " + action.atMs() + "; it must be within the step (0 to "
                    + Math.max(0, step.durationMs() - 1) + ").");
        }
        if (action.atMs() != null && (action.capture() != null || action.fault() != null
                || action.swapScheduler() != null)) {
            fail(at + ": \"at_ms\" is for cgroup and move actions; captures, faults and scheduler swaps run at the"
                    + " step's start.");
        }
        boolean settings = action.cpuWeight() != null || action.cpuMax() != null || action.cpusetCpus() != null;
        if (action.cgroup() == null && settings) {
            fail(at + ": \"cpu_weight\", \"cpu_max\" and \"cpuset_cpus\" go with {\"cgroup\": \"NAME\"}.");
        }
        if (action.cgroup() != null) {
            if (scenario.cgroup(action.cgroup()).isEmpty()) {
                fail(at + ": \"cgroup\" '" + action.cgroup() + "' is not one of the scenario's \"cgroups\".");
            }
            if (!settings) fail(at + ": a cgroup action needs \"cpu_weight\", \"cpu_max\" or \"cpuset_cpus\".");
            checkCgroupSettings(action.cpuWeight(), action.cpuMax(), action.cpusetCpus(), at);
        }
        if (action.move() != null) {
            if (scenario.cgroup(action.move()).isEmpty()) {
                fail(at + ": \"move\" '" + action.move() + "' is not one of the scenario's \"cgroups\".");
            }
            if (action.to() == null || scenario.cgroup(action.to()).isEmpty()) {
                fail(at + ": \"to\" must name one of the scenario's \"cgroups\".");
            }
            if (action.atMsOrZero() == 0) fail(at + ": a move needs \"at_ms\" above 0: the workers start with the step.");
            if (action.move().equals(action.to())) fail(at + ": \"move\" and \"to\" name the same cgroup.");
        } else if (action.to() != null) {
            fail(at + ": \"to\" goes with {\"move\": \"CGROUP\"}.");
        }
        if (action.capture() != null) {
            if (!TAG.matcher(action.capture()).matches()) {
                fail(at + ": capture tag '" + action.capture() + "' must be 1-64 letters, digits, '_', '.', ':' or '-'.");
            }
            if (action.capture().startsWith("periodic_")) {
                fail(at + ": capture tags starting with 'periodic_' are reserved for periodic snapshots.");
            }
        }
        if (action.fault() != null && !StepAction.FAULTS.contains(action.fault())) {
            fail(at + ": unknown fault '" + action.fault() + "'; the faults are " + String.join(", ", StepAction.FAULTS)
                    + ".");
        }
    }

    /** The scheduler's name or path: whether the kit has it or the file exists is checked with the kit, before boot. */
    private static void validateSwap(StepAction action, String at) {
        if (action.swapScheduler() == null) {
            if (action.args() != null) fail(at + ": \"args\" goes with {\"swap_scheduler\": \"SCHEDULER\"}.");
            return;
        }
        String name = action.swapScheduler();
        if (name.isBlank() || name.length() > MAX_ARG_CHARS || CONTROL.matcher(name).matches() || name.contains(" ")) {
            fail(at + ": \"swap_scheduler\" must be a kit scheduler's name or a file's path, without spaces or"
                    + " control characters (its arguments go in \"args\").");
        }
        checkArgs(action.args(), at);
    }

    private void validateExpectation(Expectation e, List<String> steps, String at) {
        if (e == null || e.metric() == null) fail(at + ": an expectation needs a \"metric\".");
        if (MetricName.fromKey(e.metric()).isEmpty()) {
            fail(at + ": unknown metric '" + e.metric() + "'; the metrics are " + String.join(", ",
                    Arrays.stream(MetricName.values()).map(MetricName::key).toList()) + ".");
        }
        if (e.step() != null && !steps.contains(e.step())) {
            fail(at + ": \"step\" '" + e.step() + "' is not a step of this scenario (" + String.join(", ", steps) + ").");
        }
        if (e.group() != null && Arrays.stream(WorkerRole.values()).noneMatch(r -> r.label().equals(e.group()))
                && scenario.cgroup(e.group()).isEmpty()) {
            fail(at + ": \"group\" '" + e.group() + "' is not a worker group (a worker kind such as cpu or latency,"
                    + " or one of the scenario's cgroups).");
        }
        if (e.below() == null && e.above() == null) fail(at + ": give \"below\" or \"above\" (or both).");
        for (Double bound : new Double[] {e.below(), e.above()}) {
            if (bound != null && !Double.isFinite(bound)) fail(at + ": bounds must be finite numbers.");
        }
    }

    private static void needsSchema2(String at, String what) {
        fail(at + ": " + what + " need \"schema\": 2.");
    }

    private static void fail(String message) {
        throw new CoordinatorException(message);
    }
}
