/*
 * What measuring a step costs its CPU workload. Both sides run the same busy loop (`slot->iterations++` on a
 * 128-byte slot in shared memory: the counter the bench reads) on the same number of processes:
 *   without  the bare loop, forked by the bench;
 *   with     the agent's own CPU workers (ffa_work.c: placement), the agent's CPU samples every 100 ms
 *            (ffa_work_sample_cpus: cpuset escapes) and its end-of-step reads (ffa_metrics.c: counters,
 *            /proc/<pid>/schedstat and /proc/<pid>/sched, the WORKLOAD_METRICS frame written to /dev/null) inside
 *            the measured window.
 * Each side starts its workers, waits until every one has counted, lets them run a warm-up, then measures a steady
 * window: the counters and each worker's on-CPU time (/proc/<pid>/schedstat, the same read on both sides) at its start
 * and its end. Start-up and shut-down are outside the window on both sides.
 *
 * The figure that holds on a busy machine is iterations per CPU-second of the workers: a host that gives the workers
 * less CPU lowers their wall-clock rate but not what they get done per second they ran, while any cost metrics add
 * inside a worker (timer signals, checks) lowers it. The agent's reads run in the agent, not in the workers: their CPU
 * time is reported apart, as a share of the window's worker CPU time (what they could take from the workers on a
 * saturated machine), and added to the overhead. Each round measures both ways: "alternate" runs the sides one after
 * the other (which goes first alternates between rounds), "together" runs both sides' workers at once on the same
 * CPUs, so the host treats both alike during the window. Per way the medians, and the median of each round's
 * with/without ratio, print as one JSON line.
 *
 * A hex CPU mask confines both sides' workers to those CPUs: the agent samples the CPU of a worker so restricted
 * (cpuset escapes); an unrestricted one cannot escape and is not sampled.
 *
 * Usage: metrics_overhead [rounds] [window_ms] [workers] [warmup_ms] [cpus_hex_mask]   (run by metrics-overhead.sh)
 */
#define _GNU_SOURCE
#include "ffa.h"
#include "ffa_run.h"
#include "ffwire.h"

#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64
#define MAX_ROUNDS 1000

/* One side's workers, whoever started them: their pids and counter slots. */
struct side {
    int n;
    pid_t pids[MAX_WORKERS];
    struct ffa_slot *slots;
};

/* A point in the window: summed counters, summed worker on-CPU ns, wall ns. */
struct sample {
    double iterations, cpu_ns, wall_ns;
};

static double on_cpu_ns(pid_t pid) {
    char path[64], text[128];
    snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
    unsigned long long on = 0;
    if (ffa_read_text(path, text, sizeof(text)) <= 0 || sscanf(text, "%llu", &on) != 1) {
        fprintf(stderr, "metrics_overhead: cannot read %s\n", path);
        exit(2);
    }
    return (double)on;
}

static struct sample take(const struct side *s) {
    struct sample x = {0, 0, (double)ffa_now_ns()};
    for (int i = 0; i < s->n; i++) {
        x.iterations += (double)s->slots[i].iterations;
        x.cpu_ns += on_cpu_ns(s->pids[i]);
    }
    return x;
}

static double thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Waits (bounded) until every worker has counted at least once. */
static void await_counting(const struct side *s) {
    long long deadline = ffa_now_ns() + 30000000000LL;
    for (int i = 0; i < s->n; i++)
        while (s->slots[i].iterations == 0) {
            if (ffa_now_ns() > deadline) {
                fprintf(stderr, "metrics_overhead: worker %d did not start within 30 s\n", i);
                exit(2);
            }
            usleep(1000);
        }
}

/* The agent's cpu_loop without anything metrics add to it. */
static void bare_loop(struct ffa_slot *slot) {
    for (;;)
        slot->iterations++;
}

struct result {
    double rate_cpu;  /* iterations per worker CPU-second */
    double rate_wall; /* iterations per wall second, summed over workers */
    double reads_pct; /* the agent's reads' CPU time, % of the window's worker CPU time (0 without) */
    double reads_us;  /* the agent's reads' CPU time (0 without) */
};

static int ran(const struct result *r) {
    return isfinite(r->rate_cpu) && r->rate_cpu > 0;
}

static struct result measure(const struct sample *a, const struct sample *b, double reads_ns) {
    double cpu = b->cpu_ns - a->cpu_ns, it = b->iterations - a->iterations;
    struct result r = {it / (cpu / 1e9), it / ((b->wall_ns - a->wall_ns) / 1e9), 100 * reads_ns / cpu,
                       reads_ns / 1e3};
    return r;
}

static uint64_t cpus_mask; /* both sides' workers are confined to these CPUs; 0 = anywhere */

/* The bare loop's workers: forked by the bench, each counting on its own 128-byte slot. */
static void bare_start(struct side *s, int workers) {
    s->n = workers;
    s->slots = mmap(NULL, sizeof(struct ffa_slot) * MAX_WORKERS, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                    -1, 0);
    if (s->slots == MAP_FAILED)
        exit(2);
    for (int i = 0; i < workers; i++) {
        s->pids[i] = fork();
        if (s->pids[i] < 0)
            exit(2);
        if (s->pids[i] == 0) {
            if (cpus_mask) {
                cpu_set_t set;
                CPU_ZERO(&set);
                for (int cpu = 0; cpu < 64; cpu++)
                    if ((cpus_mask >> cpu) & 1)
                        CPU_SET(cpu, &set);
                sched_setaffinity(0, sizeof(set), &set);
            }
            bare_loop(&s->slots[i]);
        }
    }
}

static void bare_stop(struct side *s) {
    for (int i = 0; i < s->n; i++)
        kill(s->pids[i], SIGKILL);
    for (int i = 0; i < s->n; i++)
        waitpid(s->pids[i], NULL, 0);
    munmap(s->slots, sizeof(struct ffa_slot) * MAX_WORKERS);
}

/* The agent's CPU workers, started as a step starts them. */
static void agent_start(struct ffa_work *w, struct side *s, int workers) {
    struct ffa_work_counts counts = {workers, 0, 0, 0};
    struct ffa_placement at = {.cpus = cpus_mask};
    char why[256];
    memset(w, 0, sizeof(*w));
    if (ffa_work_begin(w) != 0 || ffa_work_add(w, FFA_WORK_CPU, &counts, &at) != 0
        || ffa_work_ready(w, why, sizeof(why)) != 0) {
        fprintf(stderr, "metrics_overhead: cannot start the agent's workers\n");
        exit(2);
    }
    s->n = w->n;
    s->slots = w->slots;
    for (int i = 0; i < w->n; i++)
        s->pids[i] = w->pids[i];
}

/*
 * One measured window over `n` sides running at the same time (1, or 2 for a round where both run together): every
 * worker has counted, a warm-up, then counters and CPU times at the window's start and end. `agent` (or NULL) is
 * the side whose CPU samples (every 100 ms) and end-of-step reads run inside the window, as during a step while its
 * workers run.
 */
static void measure_window(struct side *const *sides, int n, struct ffa_work *agent, int agent_side,
                           long warmup_ms, long window_ms, int devnull, struct result *out) {
    struct sample a[2], b;
    for (int i = 0; i < n; i++)
        await_counting(sides[i]);
    ffa_sleep_ms(warmup_ms);
    for (int i = 0; i < n; i++)
        a[i] = take(sides[i]);
    double reads_ns = 0;
    long long window_end = ffa_now_ns() + window_ms * 1000000LL;
    for (;;) { /* the agent samples its workers' CPUs as during a step */
        long long left_ms = (window_end - ffa_now_ns()) / 1000000LL;
        if (left_ms <= 0)
            break;
        ffa_sleep_ms(left_ms < FFA_CPU_SAMPLE_MS ? left_ms : FFA_CPU_SAMPLE_MS);
        if (agent) {
            double before = thread_cpu_ns();
            ffa_work_sample_cpus(agent);
            reads_ns += thread_cpu_ns() - before;
        }
    }
    if (agent) {
        struct ffwire_out o = ffwire_out_fd(devnull);
        double before = thread_cpu_ns();
        if (ffa_metrics_send(&o, 1, agent) != 0)
            exit(3);
        reads_ns += thread_cpu_ns() - before;
    }
    for (int i = 0; i < n; i++) {
        b = take(sides[i]);
        out[i] = measure(&a[i], &b, i == agent_side ? reads_ns : 0);
    }
}

static struct result run_without(int workers, long warmup_ms, long window_ms, int devnull) {
    struct side s;
    struct side *one[] = {&s};
    struct result r;
    bare_start(&s, workers);
    measure_window(one, 1, NULL, -1, warmup_ms, window_ms, devnull, &r);
    bare_stop(&s);
    return r;
}

static struct result run_with(int workers, long warmup_ms, long window_ms, int devnull) {
    struct ffa_work w;
    struct side s;
    struct side *one[] = {&s};
    struct result r;
    agent_start(&w, &s, workers);
    measure_window(one, 1, &w, 0, warmup_ms, window_ms, devnull, &r);
    ffa_work_stop(&w);
    return r;
}

/* Both sides at once on the same CPUs: whatever the host does to one in the window, it does to the other. */
static void run_together(int workers, long warmup_ms, long window_ms, int devnull, struct result *without,
                         struct result *with) {
    struct ffa_work w;
    struct side bare, agent;
    struct side *both[] = {&bare, &agent};
    struct result r[2];
    bare_start(&bare, workers);
    agent_start(&w, &agent, workers);
    measure_window(both, 2, &w, 1, warmup_ms, window_ms, devnull, r);
    ffa_work_stop(&w);
    bare_stop(&bare);
    *without = r[0];
    *with = r[1];
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n values (sorts a copy). */
static double median(const double *v, int n) {
    static double c[MAX_ROUNDS];
    for (int i = 0; i < n; i++)
        c[i] = v[i];
    qsort(c, (size_t)n, sizeof(double), by_value);
    return n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
}

static double extreme(const double *v, int n, int sign) {
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = sign * (v[i] - m) > 0 ? v[i] : m;
    return m;
}

/* One way of measuring, over the rounds: each round's rates, with/without ratio and the agent's reads. */
struct series {
    double without_cpu[MAX_ROUNDS], with_cpu[MAX_ROUNDS], without_wall[MAX_ROUNDS], with_wall[MAX_ROUNDS];
    double paired[MAX_ROUNDS], reads[MAX_ROUNDS], reads_us[MAX_ROUNDS];
};

static void record(struct series *s, int r, const struct result *without, const struct result *with) {
    s->without_cpu[r] = without->rate_cpu, s->with_cpu[r] = with->rate_cpu;
    s->without_wall[r] = without->rate_wall, s->with_wall[r] = with->rate_wall;
    s->paired[r] = with->rate_cpu / without->rate_cpu;
    s->reads[r] = with->reads_pct;
    s->reads_us[r] = with->reads_us;
}

/* What metrics cost in percent: the median round's loss per worker CPU-second, plus the agent's reads. */
static double overhead_pct(const struct series *s, int rounds) {
    return 100 * (1 - median(s->paired, rounds)) + median(s->reads, rounds);
}

static void print_series(const char *name, const struct series *s, int rounds) {
    double b = median(s->without_cpu, rounds), m = median(s->with_cpu, rounds);
    double bw = median(s->without_wall, rounds), mw = median(s->with_wall, rounds);
    printf("\"%s\":{\"without_iterations_per_cpu_s\":%.0f,\"with_iterations_per_cpu_s\":%.0f,\"ratio\":%.4f,"
           "\"paired_ratio_median\":%.4f,\"paired_ratio_min\":%.4f,\"paired_ratio_max\":%.4f,"
           "\"agent_reads_us\":%.0f,\"agent_reads_pct_of_worker_cpu\":%.4f,\"overhead_pct\":%.2f,"
           "\"without_iterations_per_s\":%.0f,\"with_iterations_per_s\":%.0f,\"wall_ratio\":%.4f}",
           name, b, m, m / b, median(s->paired, rounds), extreme(s->paired, rounds, -1),
           extreme(s->paired, rounds, 1), median(s->reads_us, rounds), median(s->reads, rounds), overhead_pct(s, rounds), bw, mw, mw / bw);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    long window_ms = argc > 2 ? atol(argv[2]) : 1000;
    int workers = argc > 3 ? atoi(argv[3]) : 2;
    long warmup_ms = argc > 4 ? atol(argv[4]) : 200;
    cpus_mask = argc > 5 ? strtoull(argv[5], NULL, 16) : 0;
    if (rounds < 1 || rounds > MAX_ROUNDS || window_ms < 10 || workers < 1 || workers > MAX_WORKERS
        || warmup_ms < 0) {
        fprintf(stderr, "usage: metrics_overhead [rounds 1-%d] [window_ms >= 10] [workers 1-%d] [warmup_ms >= 0]"
                        " [cpus_hex_mask]\n",
                MAX_ROUNDS, MAX_WORKERS);
        return 64;
    }
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    static struct series alternate, together;
    for (int r = 0, tries = 0; r < rounds; tries++) {
        struct result without, with, without2, with2;
        if (r % 2 == 0) {
            without = run_without(workers, warmup_ms, window_ms, devnull);
            with = run_with(workers, warmup_ms, window_ms, devnull);
        } else {
            with = run_with(workers, warmup_ms, window_ms, devnull);
            without = run_without(workers, warmup_ms, window_ms, devnull);
        }
        run_together(workers, warmup_ms, window_ms, devnull, &without2, &with2);
        /* a window in which a side got no CPU at all (a host busy elsewhere) says nothing: the round is run again */
        if (!(ran(&without) && ran(&with) && ran(&without2) && ran(&with2))) {
            if (tries >= 3 * rounds) {
                fprintf(stderr, "metrics_overhead: too many windows in which the workers got no CPU\n");
                return 2;
            }
            continue;
        }
        record(&alternate, r, &without, &with);
        record(&together, r, &without2, &with2);
        r++;
    }
    printf("{\"bench\":\"metrics_overhead\",\"rounds\":%d,\"window_ms\":%ld,\"warmup_ms\":%ld,\"workers\":%d,"
           "\"cpus\":\"%llx\",", rounds, window_ms, warmup_ms, workers, (unsigned long long)cpus_mask);
    print_series("alternate", &alternate, rounds);
    printf(",");
    print_series("together", &together, rounds);
    printf(",\"overhead_pct\":%.2f}\n", overhead_pct(&together, rounds));
    return 0;
}
