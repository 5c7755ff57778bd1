/*
 * Scenario workloads. Each is a set of child processes the agent starts at a step's beginning and kills at its end:
 *   cpu       busy loops (runnable all the time: the scheduler's dispatch path)
 *   pingpong  pairs passing one byte back and forth through pipes (constant sleep/wake: select_cpu and enqueue)
 *   forkexit  loops forking children that exit at once (task init/exit, new-task enqueue)
 *   mixed     all three with their own counts
 *   latency   probes: sleep until an absolute timer expiry, record how late they woke (the scheduler's wake-up path)
 * Every process counts its work in a slot of memory shared with the agent, which reads the counts at the step's end.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "ffa.h"
#include "ffa_run.h"

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int ffa_work_kind(const char *name) {
    static const char *names[] = {"idle", "cpu", "pingpong", "forkexit", "mixed", "latency"};
    for (int i = 0; i < 6; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static void child_setup(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
}

static void cpu_loop(struct ffa_slot *slot, struct ffa_latency *unused) {
    (void)unused;
    for (;;)
        slot->iterations++;
}

static void forkexit_loop(struct ffa_slot *slot, struct ffa_latency *unused) {
    (void)unused;
    for (;;) {
        slot->iterations++;
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid > 0)
            waitpid(pid, NULL, 0);
        else
            usleep(1000); /* out of processes for a moment: back off rather than spin on fork */
    }
}

#define PROBE_PERIOD_NS 1000000LL /* 1 kHz: enough samples for a p99 in a short step, little load */

/* Sleeps to absolute 1 ms deadlines and records how late each wake-up came. A wake-up later than a whole period
 * starts the schedule over from now rather than firing a burst of catch-up wake-ups. */
static void latency_loop(struct ffa_slot *slot, struct ffa_latency *lat) {
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* the default 50 us slack would be measured as delay */
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (;;) {
        long long target = (long long)next.tv_sec * 1000000000LL + next.tv_nsec + PROBE_PERIOD_NS;
        next.tv_sec = (time_t)(target / 1000000000LL);
        next.tv_nsec = (long)(target % 1000000000LL);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
            ;
        long long now = ffa_now_ns();
        uint64_t late = now > target ? (uint64_t)(now - target) : 0;
        __atomic_fetch_add(&lat->buckets[ffa_lat_bucket(late)], 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&lat->samples, 1, __ATOMIC_RELAXED);
        uint64_t seen = __atomic_load_n(&lat->max_ns, __ATOMIC_RELAXED);
        while (late > seen && !__atomic_compare_exchange_n(&lat->max_ns, &seen, late, 0, __ATOMIC_RELAXED,
                                                          __ATOMIC_RELAXED))
            ;
        slot->iterations++;
        if (late > (uint64_t)PROBE_PERIOD_NS) {
            next.tv_sec = (time_t)(now / 1000000000LL);
            next.tv_nsec = (long)(now % 1000000000LL);
        }
    }
}

/* Reads one byte from `in`, writes it to `out`, forever; the starter writes the first byte. */
static void pingpong_loop(struct ffa_slot *slot, int in, int out, int starter) {
    char token = 'x';
    if (starter && write(out, &token, 1) != 1)
        _exit(1);
    for (;;) {
        slot->iterations++;
        if (read(in, &token, 1) != 1)
            _exit(0);
        if (write(out, &token, 1) != 1)
            _exit(0);
    }
}

static int add(struct ffa_work *w, pid_t pid, uint32_t role) {
    if (pid < 0 || w->n >= FFA_WORK_MAX_PIDS) {
        if (pid > 0)
            kill(pid, SIGKILL);
        return -1;
    }
    w->roles[w->n] = role;
    w->pids[w->n++] = pid;
    return 0;
}

static int spawn_loop(struct ffa_work *w, void (*body)(struct ffa_slot *, struct ffa_latency *), uint32_t role) {
    if (w->n >= FFA_WORK_MAX_PIDS)
        return -1;
    struct ffa_slot *slot = &w->slots[w->n];
    pid_t pid = fork();
    if (pid == 0) {
        child_setup();
        body(slot, w->latency);
        _exit(0);
    }
    return add(w, pid, role);
}

static int spawn_pair(struct ffa_work *w) {
    int ab[2], ba[2];
    if (pipe(ab) != 0)
        return -1;
    if (pipe(ba) != 0) {
        close(ab[0]);
        close(ab[1]);
        return -1;
    }
    int rc = 0;
    if (w->n + 2 > FFA_WORK_MAX_PIDS)
        rc = -1;
    pid_t a = rc ? -1 : fork();
    if (a == 0) {
        child_setup();
        close(ab[0]);
        close(ba[1]);
        pingpong_loop(&w->slots[w->n], ba[0], ab[1], 1);
    }
    rc |= add(w, a, FFWIRE_WORKER_PINGPONG);
    pid_t b = rc ? -1 : fork();
    if (b == 0) {
        child_setup();
        close(ab[1]);
        close(ba[0]);
        pingpong_loop(&w->slots[w->n], ab[0], ba[1], 0);
    }
    rc |= add(w, b, FFWIRE_WORKER_PINGPONG);
    close(ab[0]);
    close(ab[1]);
    close(ba[0]);
    close(ba[1]);
    return rc;
}

int ffa_work_start(struct ffa_work *w, int kind, const struct ffa_work_counts *c) {
    w->n = 0;
    w->slots = mmap(NULL, sizeof(struct ffa_slot) * FFA_WORK_MAX_PIDS + sizeof(struct ffa_latency),
                    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (w->slots == MAP_FAILED) {
        w->slots = NULL;
        return -1;
    }
    w->latency = (struct ffa_latency *)(w->slots + FFA_WORK_MAX_PIDS);
    w->started_ns = ffa_now_ns();
    int cpu = (kind == FFA_WORK_CPU || kind == FFA_WORK_MIXED) ? c->workers : 0;
    int pp = (kind == FFA_WORK_PINGPONG || kind == FFA_WORK_MIXED) ? c->pairs : 0;
    int fe = (kind == FFA_WORK_FORKEXIT || kind == FFA_WORK_MIXED) ? c->forkers : 0;
    /* probes go with any kind: a latency step measures wake-ups alone, or under the load of the other counts */
    int lp = c->probes;
    for (int i = 0; i < cpu; i++)
        if (spawn_loop(w, cpu_loop, FFWIRE_WORKER_CPU) != 0)
            goto fail;
    for (int i = 0; i < pp; i++)
        if (spawn_pair(w) != 0)
            goto fail;
    for (int i = 0; i < fe; i++)
        if (spawn_loop(w, forkexit_loop, FFWIRE_WORKER_FORKEXIT) != 0)
            goto fail;
    for (int i = 0; i < lp; i++)
        if (spawn_loop(w, latency_loop, FFWIRE_WORKER_LATENCY) != 0)
            goto fail;
    return 0;
fail:
    ffa_work_stop(w);
    return -1;
}

void ffa_work_stop(struct ffa_work *w) {
    for (int i = 0; i < w->n; i++)
        kill(w->pids[i], SIGKILL);
    for (int i = 0; i < w->n; i++)
        while (waitpid(w->pids[i], NULL, 0) < 0 && errno == EINTR)
            ;
    w->n = 0;
    if (w->slots)
        munmap(w->slots, sizeof(struct ffa_slot) * FFA_WORK_MAX_PIDS + sizeof(struct ffa_latency));
    w->slots = NULL;
    w->latency = NULL;
}
