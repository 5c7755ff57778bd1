/*
 * What measuring a step costs its CPU workload. Both sides run the same busy loop (`slot->iterations++` on a
 * 128-byte slot in shared memory: the counter the bench reads) on the same number of processes:
 *   without  the bare loop, forked by the bench;
 *   with     the agent's own CPU workers (ffa_work.c: placement, the CPU-check timer) and the agent's end-of-step
 *            reads (ffa_metrics.c: counters, /proc/<pid>/schedstat and /proc/<pid>/sched, the WORKLOAD_METRICS
 *            frame written to /dev/null) inside the measured window.
 * Each side starts its workers, waits until every one has counted, lets them run a warm-up, then measures a steady
 * window: the counters and each worker's on-CPU time (/proc/<pid>/schedstat, the same read on both sides) at its start
 * and its end. Start-up and shut-down are outside the window on both sides.
 *
 * The figure that holds on a busy machine is iterations per CPU-second of the workers: a host that gives the workers
 * less CPU lowers their wall-clock rate but not what they get done per second they ran, while any cost metrics add
 * inside a worker (timer signals, checks) lowers it. The agent's reads run in the agent, not in the workers: their CPU
 * time is reported apart, as a share of the window's worker CPU time (what they could take from the workers on a
 * saturated machine), and added to the overhead. Rounds alternate which side goes first; the medians, and the median
 * of each round's with/without ratio, print as one JSON line.
 *
 * Usage: metrics_overhead [rounds] [window_ms] [workers] [warmup_ms]   (built and run by metrics-overhead.sh)
 */
#define _GNU_SOURCE
#include "ffa.h"
#include "ffa_run.h"
#include "ffwire.h"

#include <fcntl.h>
#include <signal.h>
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
};

static struct result measure(const struct sample *a, const struct sample *b, double reads_ns) {
    double cpu = b->cpu_ns - a->cpu_ns, it = b->iterations - a->iterations;
    struct result r = {it / (cpu / 1e9), it / ((b->wall_ns - a->wall_ns) / 1e9), 100 * reads_ns / cpu};
    return r;
}

static struct result run_without(int workers, long warmup_ms, long window_ms) {
    struct side s = {.n = workers};
    size_t size = sizeof(struct ffa_slot) * MAX_WORKERS;
    s.slots = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s.slots == MAP_FAILED)
        exit(2);
    for (int i = 0; i < workers; i++) {
        s.pids[i] = fork();
        if (s.pids[i] < 0)
            exit(2);
        if (s.pids[i] == 0)
            bare_loop(&s.slots[i]);
    }
    await_counting(&s);
    ffa_sleep_ms(warmup_ms);
    struct sample a = take(&s);
    ffa_sleep_ms(window_ms);
    struct sample b = take(&s);
    for (int i = 0; i < workers; i++)
        kill(s.pids[i], SIGKILL);
    for (int i = 0; i < workers; i++)
        waitpid(s.pids[i], NULL, 0);
    munmap(s.slots, size);
    return measure(&a, &b, 0);
}

static struct result run_with(int workers, long warmup_ms, long window_ms, int devnull) {
    struct ffa_work w = {0};
    struct ffa_work_counts counts = {workers, 0, 0, 0};
    struct ffa_placement anywhere = {0};
    char why[256];
    if (ffa_work_begin(&w) != 0 || ffa_work_add(&w, FFA_WORK_CPU, &counts, &anywhere) != 0
        || ffa_work_ready(&w, why, sizeof(why)) != 0) {
        fprintf(stderr, "metrics_overhead: cannot start the agent's workers\n");
        exit(2);
    }
    struct side s = {.n = w.n, .slots = w.slots};
    for (int i = 0; i < w.n; i++)
        s.pids[i] = w.pids[i];
    await_counting(&s);
    ffa_sleep_ms(warmup_ms);
    struct sample a = take(&s);
    ffa_sleep_ms(window_ms);
    /* the agent's end-of-step reads, as at a step's end: inside the window, while the workers run */
    struct ffwire_out out = ffwire_out_fd(devnull);
    double before = thread_cpu_ns();
    if (ffa_metrics_send(&out, 1, &w) != 0)
        exit(3);
    double reads_ns = thread_cpu_ns() - before;
    struct sample b = take(&s);
    ffa_work_stop(&w);
    return measure(&a, &b, reads_ns);
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

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    long window_ms = argc > 2 ? atol(argv[2]) : 1000;
    int workers = argc > 3 ? atoi(argv[3]) : 2;
    long warmup_ms = argc > 4 ? atol(argv[4]) : 200;
    if (rounds < 1 || rounds > MAX_ROUNDS || window_ms < 10 || workers < 1 || workers > MAX_WORKERS
        || warmup_ms < 0) {
        fprintf(stderr, "usage: metrics_overhead [rounds 1-%d] [window_ms >= 10] [workers 1-%d] [warmup_ms >= 0]\n",
                MAX_ROUNDS, MAX_WORKERS);
        return 64;
    }
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    static double without_cpu[MAX_ROUNDS], with_cpu[MAX_ROUNDS], without_wall[MAX_ROUNDS], with_wall[MAX_ROUNDS],
        paired[MAX_ROUNDS], reads[MAX_ROUNDS];
    for (int r = 0; r < rounds; r++) {
        struct result without, with;
        if (r % 2 == 0) {
            without = run_without(workers, warmup_ms, window_ms);
            with = run_with(workers, warmup_ms, window_ms, devnull);
        } else {
            with = run_with(workers, warmup_ms, window_ms, devnull);
            without = run_without(workers, warmup_ms, window_ms);
        }
        without_cpu[r] = without.rate_cpu, with_cpu[r] = with.rate_cpu;
        without_wall[r] = without.rate_wall, with_wall[r] = with.rate_wall;
        paired[r] = with.rate_cpu / without.rate_cpu;
        reads[r] = with.reads_pct;
    }
    double b = median(without_cpu, rounds), m = median(with_cpu, rounds), p = median(paired, rounds);
    double rd = median(reads, rounds), bw = median(without_wall, rounds), mw = median(with_wall, rounds);
    printf("{\"bench\":\"metrics_overhead\",\"rounds\":%d,\"window_ms\":%ld,\"warmup_ms\":%ld,\"workers\":%d,"
           "\"without_iterations_per_cpu_s\":%.0f,\"with_iterations_per_cpu_s\":%.0f,\"ratio\":%.4f,"
           "\"paired_ratio_median\":%.4f,\"paired_ratio_min\":%.4f,\"paired_ratio_max\":%.4f,"
           "\"agent_reads_pct_of_worker_cpu\":%.4f,\"overhead_pct\":%.2f,"
           "\"without_iterations_per_s\":%.0f,\"with_iterations_per_s\":%.0f,\"wall_ratio\":%.4f}\n",
           rounds, window_ms, warmup_ms, workers, b, m, m / b, p, extreme(paired, rounds, -1),
           extreme(paired, rounds, 1), rd, 100 * (1 - p) + rd, bw, mw, mw / bw);
    return 0;
}
