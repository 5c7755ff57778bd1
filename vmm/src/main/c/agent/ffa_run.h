/*
 * Freezeframe guest agent: the run dialogue with the host (a run's /run.d/plan, see AgentPlan.java for its format).
 *
 * ffa_link: the framed link to the host over the shared-memory channel: frames go straight into the guest -> host ring
 * through an ffwire.h sink; host -> guest bytes are polled from the other ring.
 *
 * ffa_work: the scenario workloads (CPU-bound workers, ping-pong pairs, fork/exit churn, latency probes, futex pairs,
 * yielders, bursty duty cycles, memory striders, thread churn, a user's included binary), each a child process counting its work in memory
 * shared with the agent; ffa_metrics reports what they did per step. ffa_cgroup: the scenario's cgroups.
 */
#ifndef FFA_RUN_H
#define FFA_RUN_H

#include <stdint.h>
#include <sys/types.h>

#include "ffchan.h"
#include "ffwire.h"

struct ffa_link {
    struct ffchan chan;
    struct ffwire_out out; /* pass &link.out to the ffwire_send_* functions */
    int open;
};

/* Attaches to the channel. Returns 0, or -1 with errno (ENOENT: the host offered no channel). */
int ffa_link_open(struct ffa_link *link);
/* Host -> guest bytes available now (never waits); 0 if none, -1 on a corrupt ring. */
ssize_t ffa_link_read(struct ffa_link *link, void *buf, size_t len);
/* Waits (bounded) until the host has taken every frame, then detaches. */
void ffa_link_close(struct ffa_link *link);

enum ffa_work_kind { FFA_WORK_IDLE, FFA_WORK_CPU, FFA_WORK_PINGPONG, FFA_WORK_FORKEXIT, FFA_WORK_MIXED,
                     FFA_WORK_LATENCY, FFA_WORK_FUTEX, FFA_WORK_YIELD, FFA_WORK_BURSTY, FFA_WORK_MEMORY,
                     FFA_WORK_THREADS, FFA_WORK_EXEC };

/* Files shipped with --include live here (the per-run archive, or received over the channel with the plan). */
#define FFA_INCLUDE_DIR "/run.d/include"

#define FFA_WORK_MAX_PIDS 256
/* Wake-up delays go into a log-linear histogram: 32 sub-buckets per power of two from 32 ns (about 3 % resolution)
 * up to 2^36 ns (69 s); longer delays land in the last bucket, the maximum is kept exactly. */
#define FFA_LAT_SUB_BITS 5
#define FFA_LAT_BUCKETS ((36 - FFA_LAT_SUB_BITS + 1) << FFA_LAT_SUB_BITS)

/* What each workload process counts, in memory shared with the agent (written by the worker, read at the step's end).
 * One slot per 128 bytes: workers on different CPUs must not share a cache line (or its prefetched neighbour), or
 * every increment would bounce the line between them and counting would slow the work it counts. */
struct ffa_slot {
    volatile uint64_t iterations;  /* loop passes: busy-loop rounds, ping-pong passes, forks, probe wake-ups */
    volatile uint64_t escapes;     /* times the worker saw itself on a CPU outside `allowed` (its own checks) */
    volatile uint64_t allowed;     /* CPUs it may run on (its cpuset and affinity); 0 = not checked */
    volatile uint32_t generation;  /* bumped by the agent around a change of `allowed`: a check across one is void */
    volatile uint32_t futex_word;  /* futex pairs: whose turn it is (the pair's first slot holds it) */
    volatile int32_t setup;        /* 0 while placing itself, 1 placed and working, -errno placement failed */
} __attribute__((aligned(128)));

/* The latency probes' shared histogram (probes add to it atomically). */
struct ffa_latency {
    uint64_t samples, max_ns;
    uint32_t buckets[FFA_LAT_BUCKETS];
};

/* Where a workload's processes run (plan line "place"); all zero = as the agent. */
struct ffa_placement {
    int cgroup;                        /* scenario cgroup (1..), 0 = none */
    uint64_t cpus;                     /* affinity mask, 0 = any */
    int nice, policy, rt_priority;     /* policy: SCHED_* number */
    int burst_ms, idle_ms, mem_kib;    /* bursty duty cycle; memory buffer */
    char **exec_argv;                  /* exec: the included file's path and its arguments, NULL-terminated */
};

struct ffa_work {
    pid_t pids[FFA_WORK_MAX_PIDS];
    uint32_t roles[FFA_WORK_MAX_PIDS]; /* FFWIRE_WORKER_* */
    int groups[FFA_WORK_MAX_PIDS];     /* the cgroup each was placed in (metrics group), 0 = none */
    int cgroups[FFA_WORK_MAX_PIDS];    /* the cgroup each is in now (after moves) */
    char **exec_argv[FFA_WORK_MAX_PIDS]; /* exec workers: what each runs; NULL for the agent's own loops */
    int n;
    struct ffa_slot *slots;            /* FFA_WORK_MAX_PIDS, shared with the workers */
    struct ffa_latency *latency;       /* shared with the probes */
    long long started_ns;
    uint64_t sampled_escapes[FFA_WORK_MAX_PIDS]; /* times the agent saw each on a CPU outside `allowed` */
    int stat_fds[FFA_WORK_MAX_PIDS];   /* each one's /proc/<pid>/stat, open while sampled: fd + 1, 0 = not open */
};

struct ffa_work_counts {
    int workers, pairs, forkers, probes;
};

/* Parses a plan's workload kind name; -1 if unknown. */
int ffa_work_kind(const char *name);
/* Prepares the shared counters for a step's workloads. 0 or -1. */
int ffa_work_begin(struct ffa_work *w);
/* Starts one workload's processes, placed as asked. 0, or -1 if a fork failed. */
int ffa_work_add(struct ffa_work *w, int kind, const struct ffa_work_counts *counts, const struct ffa_placement *at);
/* Waits (bounded) until every process has placed itself. 0, or -1 with why in `why`. */
int ffa_work_ready(struct ffa_work *w, char *why, size_t size);
/* Moves the workers now in cgroup `from` to `to`. 0, or -1 (ffa_cgroup_failure says why). */
int ffa_work_move(struct ffa_work *w, int from, int to);
/* Sets a cgroup's settings while workers may run in it, keeping their escape checks honest. 0 or -1. */
int ffa_work_cgroup_set(struct ffa_work *w, int cgroup, int weight, const char *cpu_max, const char *cpus);
/* Reports each exec worker of the step: its exit status (or that it still ran) and the tail of its output, as one
 * EXEC_EXIT frame each. Call before ffa_work_stop. */
void ffa_work_report_exec(struct ffa_work *w, const struct ffwire_out *out, int step);
/* Samples which CPU each restricted worker runs on (from /proc) and counts those seen outside their mask. The agent
 * calls it every FFA_CPU_SAMPLE_MS while a step's workload runs. */
#define FFA_CPU_SAMPLE_MS 100
void ffa_work_sample_cpus(struct ffa_work *w);
/* Parses /proc/<pid>/stat's state and last CPU; 1 if both were found. */
int ffa_stat_state_and_cpu(const char *text, char *state, int *cpu);
/* Kills and reaps every workload process and releases the shared counters. */
void ffa_work_stop(struct ffa_work *w);

/* ffa_cgroup.c: the scenario's cgroup v2 tree under /sys/fs/cgroup/ff. Each returns 0, or -1 with the reason in
 * ffa_cgroup_failure(). */
#define FFA_MAX_CGROUPS 16
int ffa_cgroup_mount(void);
int ffa_cgroup_create(int index, int parent, const char *name);
int ffa_cgroup_set(int index, int weight, const char *cpu_max, const char *cpus); /* "-"/0: leave as is */
int ffa_cgroup_join(int index, pid_t pid);
uint64_t ffa_cgroup_cpus(int index); /* cpuset.cpus.effective as a mask; 0 if unknown */
const char *ffa_cgroup_failure(void);
uint64_t ffa_cpulist_mask(const char *list);

/* ff.plan=channel: waits for the host's RUN_PLAN frame, applies its clock and seed, writes it to `path`. 0 or -1. */
int ffa_receive_plan(const char *path);
/* The plan text's host facts: CLOCK_REALTIME set to its "wall_clock_ns", its "seed" credited to the kernel's entropy
 * pool and the CRNG reseeded (a template's plan, or a fork's PLAN_UPDATE: a restored guest must not keep the saved
 * wall clock nor share its random stream with other restores). Lines that are missing are skipped. */
void ffa_apply_host_facts(const char *plan);
/* Longest plan (RUN_PLAN or PLAN_UPDATE text) the agent takes. */
#define FFA_PLAN_MAX 65536
/* ffa_metrics.c: reads what the step's workers did (their counters, /proc/<pid>/schedstat and /proc/<pid>/sched,
 * the probes' histogram) while they still run, and sends it as one WORKLOAD_METRICS frame. */
int ffa_metrics_send(const struct ffwire_out *out, uint32_t step_index, const struct ffa_work *w);
/* The histogram bucket of a delay in ns, and the upper bound (ns) of a bucket. */
unsigned ffa_lat_bucket(uint64_t ns);
uint64_t ffa_lat_bucket_upper(unsigned bucket);
long long ffa_now_ns(void);
/* ffa_kernel.c: KERNEL_BTF, the running kernel's release, build id and BTF (sent right after SYS_RDY). */
void ffa_send_kernel_btf(const struct ffwire_out *out);

/* Runs the plan at `path` with the host; never returns (powers off). */
void ffa_run_plan(const char *path) __attribute__((noreturn));

#endif
