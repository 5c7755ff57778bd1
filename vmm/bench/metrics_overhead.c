/*
 * What measuring a step costs its workload: CPU-bound workers counting their loop passes in memory shared with the
 * agent and read at the step's end with /proc/<pid>/schedstat and /proc/<pid>/sched (the agent's own ffa_work.c and
 * ffa_metrics.c, the WORKLOAD_METRICS frame written to /dev/null), against the same busy loop as it was before
 * metrics (a volatile local counter, reported once through a pipe when the worker is stopped). Rounds alternate the
 * two so a machine that gets busier part-way hurts both alike; the medians and their ratio print as JSON.
 *
 * Usage: metrics_overhead [rounds] [round_ms] [workers]   (built and run by metrics-overhead.sh)
 */
#define _GNU_SOURCE
#include "ffa.h"
#include "ffa_run.h"
#include "ffwire.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long spin;
static volatile sig_atomic_t report_fd = -1; /* read by the handler: the store must not be optimised away */

static void report_and_exit(int sig) {
    (void)sig;
    unsigned long n = spin;
    if (write(report_fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
        _exit(1);
    _exit(0);
}

/* The busy loop without metrics: iterations per second over `ms`, summed over `workers`. */
static double baseline_rate(int workers, long ms) {
    int fds[2];
    if (pipe(fds) != 0)
        exit(2);
    pid_t pids[64];
    /* SIGTERM stays blocked until the child's handler is in place: a loaded machine may not run it before the kill */
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &old);
    long long start = ffa_now_ns();
    for (int i = 0; i < workers; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            report_fd = fds[1];
            signal(SIGTERM, report_and_exit);
            sigprocmask(SIG_SETMASK, &old, NULL);
            for (;;)
                spin++;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    ffa_sleep_ms(ms);
    long long elapsed = ffa_now_ns() - start;
    unsigned long total = 0;
    for (int i = 0; i < workers; i++)
        kill(pids[i], SIGTERM);
    for (int i = 0; i < workers; i++) {
        unsigned long n = 0;
        if (read(fds[0], &n, sizeof(n)) == (ssize_t)sizeof(n))
            total += n;
        waitpid(pids[i], NULL, 0);
    }
    close(fds[0]);
    close(fds[1]);
    return total / (elapsed / 1e9);
}

/* The agent's workload with its metrics: the same loop counting in shared memory, measured at the end. */
static double measured_rate(int workers, long ms, int devnull) {
    struct ffa_work w = {0};
    struct ffa_work_counts counts = {workers, 0, 0, 0};
    struct ffa_placement anywhere = {0};
    if (ffa_work_begin(&w) != 0 || ffa_work_add(&w, FFA_WORK_CPU, &counts, &anywhere) != 0)
        exit(2);
    ffa_sleep_ms(ms);
    struct ffwire_out out = ffwire_out_fd(devnull);
    if (ffa_metrics_send(&out, 1, &w) != 0)
        exit(3);
    long long elapsed = ffa_now_ns() - w.started_ns;
    unsigned long total = 0;
    for (int i = 0; i < w.n; i++)
        total += w.slots[i].iterations;
    ffa_work_stop(&w);
    return total / (elapsed / 1e9);
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof(double), by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    long ms = argc > 2 ? atol(argv[2]) : 1000;
    int workers = argc > 3 ? atoi(argv[3]) : 2;
    if (rounds < 1 || rounds > 1000 || ms < 10 || workers < 1 || workers > 64) {
        fprintf(stderr, "usage: metrics_overhead [rounds 1-1000] [round_ms >= 10] [workers 1-64]\n");
        return 64;
    }
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    double base[1000], meas[1000];
    for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
            base[r] = baseline_rate(workers, ms);
            meas[r] = measured_rate(workers, ms, devnull);
        } else {
            meas[r] = measured_rate(workers, ms, devnull);
            base[r] = baseline_rate(workers, ms);
        }
    }
    double b = median(base, rounds), m = median(meas, rounds);
    printf("{\"bench\":\"metrics_overhead\",\"rounds\":%d,\"round_ms\":%ld,\"workers\":%d,"
           "\"baseline_iterations_per_s\":%.0f,\"measured_iterations_per_s\":%.0f,\"ratio\":%.4f,"
           "\"overhead_pct\":%.2f}\n", rounds, ms, workers, b, m, m / b, 100 * (1 - m / b));
    return 0;
}
