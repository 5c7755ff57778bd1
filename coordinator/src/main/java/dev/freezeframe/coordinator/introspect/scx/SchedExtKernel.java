package dev.freezeframe.coordinator.introspect.scx;

import dev.freezeframe.coordinator.introspect.kernel.Walk;
import java.util.List;
import java.util.Map;

/**
 * The kernel side of sched_ext at one moment, as {@code scx_dump_state()} in {@code kernel/sched/ext/ext.c} prints it
 * on an error exit — read host-side from a frozen guest, at any time. Every part says on its own why it could not be
 * read ({@code unavailable}) and whether a bound cut it short ({@code truncated}); one broken part never hides the rest.
 *
 * @param sched   the root scheduler's settings and state beyond {@link ScxState}
 * @param cpus    per CPU: run queue, current task, local DSQ
 * @param dsqs    every dispatch queue: the global one per NUMA node, each CPU's local one, the scheduler's user DSQs
 * @param tasks   the sched_ext tasks that are runnable (on a run queue's {@code runnable_list}), running or queued
 * @param events  the {@code SCX_EV_*} counters, summed and per CPU
 * @param cpuTime per CPU, {@code kernel_cpustat}: where the CPU's time went
 */
public record SchedExtKernel(Sched sched, Walk<Cpu> cpus, Walk<Dsq> dsqs, Walk<Task> tasks, Walk<Event> events,
        Walk<CpuTime> cpuTime) {

    /**
     * @param opsFlags          {@code ops.flags} ({@code SCX_OPS_*}), and their names
     * @param hz                the kernel's tick rate, derived from the watchdog timeout (runnable ages need it); 0
     *                          when unknown
     * @param jiffies           {@code jiffies_64} at the capture
     * @param exitDump          {@code exit_info->dump}: the kernel's debug dump with the scheduler's {@code ops.dump}
     *                          output, written on an error exit before the teardown; null when empty
     */
    public record Sched(String opsName, long opsFlags, List<String> opsFlagNames, long bypassDepth, boolean aborting,
            long watchdogTimeoutJiffies, long hz, long jiffies, String exitDump, String unavailable) {
    }

    /**
     * One CPU's run queue ({@code struct rq} and its {@code scx} part).
     *
     * @param nrRunning     {@code rq->nr_running}: tasks of every class
     * @param scxNrRunning  {@code rq->scx.nr_running}: sched_ext tasks
     * @param clockNs       {@code rq->scx.clock} (sched_ext's view of the rq clock)
     * @param rqClockNs     {@code rq->clock}
     * @param runnable      how many tasks {@code rq->scx.runnable_list} holds
     */
    public record Cpu(int cpu, long nrRunning, long scxNrRunning, long scxFlags, boolean cpuReleased, long clockNs,
            long rqClockNs, TaskRef current, long localDsqDepth, int runnable, String unavailable) {
    }

    /** A task named briefly: the current task of a CPU, a task queued on a DSQ. */
    public record TaskRef(long pid, String comm, long policy, String schedClass) {
    }

    /**
     * A dispatch queue.
     *
     * @param name   {@code "global"} (node {@code node}), {@code "local"} (of {@code cpu}), or {@code "user 0x…"}
     * @param id     {@code dsq->id}: decimal for user DSQs, {@code 0x…} for built-in ones (bit 63 set)
     * @param nr     {@code dsq->nr}: how many tasks it holds
     * @param seq    {@code dsq->seq}: bumped on every insertion
     * @param queued the tasks in dispatch order (at most {@link SchedExtKernelReader#MAX_QUEUED_LISTED})
     */
    public record Dsq(String name, String id, Integer cpu, Integer node, long nr, long seq, List<TaskRef> queued,
            boolean truncated, String unavailable) {
    }

    /**
     * A sched_ext task that is runnable.
     *
     * @param nice            {@code static_prio - 120}
     * @param scxFlags        {@code p->scx.flags} ({@code SCX_TASK_*}); {@code queued}: {@code SCX_TASK_QUEUED} is set
     * @param dsq             the name of the DSQ it sits in ({@code p->scx.dsq}), or null
     * @param runnableForMs   how long it has been runnable, from {@code p->scx.runnable_at} (jiffies); null when the
     *                        tick rate is unknown
     * @param cpu             the CPU it is on or last ran on ({@code task_cpu()})
     * @param running         it is a CPU's current task
     */
    public record Task(long pid, long tgid, String comm, long policy, long nice, long weight, long scxFlags,
            boolean queued, long sliceNs, long dsqVtime, String dsq, Long runnableForMs, long cpu, boolean running,
            String schedClass) {
    }

    /** One {@code SCX_EV_*} counter: its sum over CPUs and each CPU's part. */
    public record Event(String name, long total, List<Long> perCpu) {
    }

    /** {@code kernel_cpustat.cpustat[]} of one CPU in ns, by {@code CPUTIME_*} name in lower case. */
    public record CpuTime(int cpu, Map<String, Long> ns) {
    }
}
