/*
 * Scenario workloads. Each is a set of child processes the agent starts at a step's beginning and kills at its end:
 *   cpu       busy loops (runnable all the time: the scheduler's dispatch path)
 *   pingpong  pairs passing one byte back and forth through pipes (constant sleep/wake: select_cpu and enqueue)
 *   forkexit  loops forking children that exit at once (task init/exit, new-task enqueue)
 *   mixed     cpu, pingpong and forkexit with their own counts
 *   latency   probes: sleep until an absolute timer expiry, record how late they woke (the scheduler's wake-up path)
 *   futex     pairs handing a turn back and forth through a shared futex word (wake-ups without pipes)
 *   yield     loops calling sched_yield (the scheduler's yield path, constant re-enqueue)
 *   bursty    busy for burst_ms, asleep for idle_ms, over and over (duty cycles: tasks that keep changing their mind)
 *   memory    striding through a buffer larger than the caches (cache and memory pressure)
 *   threads   creating threads that exit at once (task creation and exit without fork's address-space copy)
 *   exec      a user's binary shipped with --include, placed like the others (its output goes to a file, whose
 *             tail is reported with its exit status at the step's end; it counts no work)
 * Every process counts its work in a slot of memory shared with the agent, which reads the counts at the step's end.
 * Cpuset escapes (a process placed in a cpuset or affinity mask seen running outside it) are counted two ways: the
 * agent samples each restricted process's CPU from /proc every 100 ms (ffa_work_sample_cpus: the only check a busy
 * loop gets, so it stays a bare counter), and loops that make system calls anyway also check their own CPU
 * (sched_getcpu) once per pass.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, sched_getcpu, CPU_SET */
#include "ffa.h"
#include "ffa_run.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define READY_TIMEOUT_MS 30000

/* What a workload process needs besides its slot. */
struct ctx {
    struct ffa_latency *latency;
    const struct ffa_placement *at;
    struct ffa_slot *partner; /* futex pairs: the slot holding the pair's word */
    int first;                /* futex and pipe pairs: the side that starts */
};

/* Counts an escape if the CPU we run on is outside the allowed mask, unless the agent changed the mask meanwhile. */
static void check_cpu(struct ffa_slot *slot) {
    if (!slot->allowed)
        return;
    uint32_t generation = __atomic_load_n(&slot->generation, __ATOMIC_ACQUIRE);
    int cpu = sched_getcpu();
    uint64_t allowed = __atomic_load_n(&slot->allowed, __ATOMIC_ACQUIRE);
    if (cpu >= 0 && cpu < 64 && !((allowed >> cpu) & 1)
        && __atomic_load_n(&slot->generation, __ATOMIC_ACQUIRE) == generation)
        slot->escapes++;
}

int ffa_work_kind(const char *name) {
    static const char *names[] = {"idle", "cpu", "pingpong", "forkexit", "mixed", "latency", "futex", "yield",
                                  "bursty", "memory", "threads", "exec"};
    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static void child_setup(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
}

/* A bare counter: no check, no signal, no system call. Its CPU is sampled from outside (ffa_work_sample_cpus): a
 * check inside the loop, even one pass in 4096, cost it 10-20 %, and a profiling-timer signal every 20 ms of its CPU
 * time cost a worker confined to one CPU 15 % under TCG (vmm/bench/metrics-overhead.sh). */
static void cpu_loop(struct ffa_slot *slot, const struct ctx *unused) {
    (void)unused;
    for (;;)
        slot->iterations++;
}

static void forkexit_loop(struct ffa_slot *slot, const struct ctx *unused) {
    (void)unused;
    for (;;) {
        slot->iterations++;
        check_cpu(slot);
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
static void latency_loop(struct ffa_slot *slot, const struct ctx *c) {
    struct ffa_latency *lat = c->latency;
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
        check_cpu(slot);
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
        check_cpu(slot);
        if (read(in, &token, 1) != 1)
            _exit(0);
        if (write(out, &token, 1) != 1)
            _exit(0);
    }
}

static long futex(volatile uint32_t *word, int op, uint32_t value) {
    return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

/* The pair's word says whose turn it is: 0 the first side's, 1 the other's. Shared memory between processes: the
 * futex calls must not be the _PRIVATE kind. */
static void futex_loop(struct ffa_slot *slot, const struct ctx *c) {
    volatile uint32_t *word = &c->partner->futex_word;
    uint32_t mine = c->first ? 0 : 1;
    for (;;) {
        while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != mine)
            futex(word, FUTEX_WAIT, mine ^ 1);
        slot->iterations++;
        check_cpu(slot);
        __atomic_store_n(word, mine ^ 1, __ATOMIC_RELEASE);
        futex(word, FUTEX_WAKE, 1);
    }
}

static void yield_loop(struct ffa_slot *slot, const struct ctx *unused) {
    (void)unused;
    for (;;) {
        slot->iterations++;
        check_cpu(slot);
        sched_yield();
    }
}

static void bursty_loop(struct ffa_slot *slot, const struct ctx *c) {
    struct timespec idle = {.tv_sec = c->at->idle_ms / 1000, .tv_nsec = (c->at->idle_ms % 1000) * 1000000L};
    for (;;) {
        long long until = ffa_now_ns() + (long long)c->at->burst_ms * 1000000LL;
        do {
            for (int i = 0; i < 4096; i++)
                slot->iterations++;
            check_cpu(slot);
        } while (ffa_now_ns() < until);
        nanosleep(&idle, NULL);
    }
}

/* Writes one byte per 64-byte line across the buffer, over and over: past the caches, every line is a miss. */
static void memory_loop(struct ffa_slot *slot, const struct ctx *c) {
    size_t len = (size_t)c->at->mem_kib * 1024;
    volatile uint8_t *buf = malloc(len);
    if (!buf)
        _exit(1);
    for (;;) {
        for (size_t off = 0; off < len; off += 64) {
            buf[off]++;
            slot->iterations++;
        }
        check_cpu(slot);
    }
}

static void *thread_exits(void *unused) {
    return unused;
}

static void threads_loop(struct ffa_slot *slot, const struct ctx *unused) {
    (void)unused;
    for (;;) {
        pthread_t t;
        if (pthread_create(&t, NULL, thread_exits, NULL) == 0)
            pthread_join(t, NULL);
        else
            usleep(1000); /* out of threads for a moment: back off */
        slot->iterations++;
        check_cpu(slot);
    }
}

static void exec_output_path(pid_t pid, char *path, size_t size) {
    snprintf(path, size, "/tmp/exec-%d.out", (int)pid);
}

/* Runs the included binary with stdout and stderr into a file the agent reads at the step's end. */
static void exec_body(struct ffa_slot *slot, const struct ctx *c) {
    (void)slot;
    char **argv = c->at->exec_argv;
    char out[64];
    exec_output_path(getpid(), out, sizeof(out));
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int none = open("/dev/null", O_RDONLY);
    if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
    }
    if (none >= 0)
        dup2(none, STDIN_FILENO);
    execv(argv[0], argv);
    int err = errno;
    /* ENOENT for a file that exists means its ELF interpreter is missing: the guest has no dynamic loader */
    dprintf(STDERR_FILENO, "cannot run %s: %s%s\n", argv[0], strerror(err),
            err == ENOENT && access(argv[0], F_OK) == 0 ? " (a dynamically linked binary: ship a static one)" : "");
    _exit(127);
}

/* In the child, before any work: joins the cgroup, sets affinity, nice and policy; reports the outcome in the slot. */
static void place_self(struct ffa_slot *slot, const struct ffa_placement *at) {
    int rc = 0;
    if (at->cgroup && ffa_cgroup_join(at->cgroup, 0) != 0)
        rc = -EPERM;
    if (!rc && at->cpus) {
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int cpu = 0; cpu < 64; cpu++)
            if ((at->cpus >> cpu) & 1)
                CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof(set), &set) != 0)
            rc = -errno;
    }
    if (!rc && at->nice && setpriority(PRIO_PROCESS, 0, at->nice) != 0)
        rc = -errno;
    if (!rc && at->policy) {
        struct sched_param param = {.sched_priority = at->rt_priority};
        if (sched_setscheduler(0, at->policy, &param) != 0)
            rc = -errno;
    }
    __atomic_store_n(&slot->setup, rc ? rc : 1, __ATOMIC_RELEASE);
    if (rc)
        pause(); /* the agent reports it and stops the step */
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

/* The CPUs a worker of `at` may run on: its cgroup's effective cpuset and its affinity; 0 = unrestricted. */
static uint64_t allowed_cpus(const struct ffa_placement *at) {
    uint64_t mask = at->cgroup ? ffa_cgroup_cpus(at->cgroup) : 0;
    if (at->cpus)
        mask = mask ? (mask & at->cpus) : at->cpus;
    return mask;
}

static int spawn(struct ffa_work *w, void (*body)(struct ffa_slot *, const struct ctx *), uint32_t role,
                 const struct ffa_placement *at, struct ctx *c) {
    if (w->n >= FFA_WORK_MAX_PIDS)
        return -1;
    struct ffa_slot *slot = &w->slots[w->n];
    memset((void *)slot, 0, sizeof(*slot));
    slot->allowed = allowed_cpus(at);
    w->groups[w->n] = w->cgroups[w->n] = at->cgroup;
    w->exec_argv[w->n] = role == FFWIRE_WORKER_EXEC ? at->exec_argv : NULL;
    c->latency = w->latency;
    c->at = at;
    pid_t pid = fork();
    if (pid == 0) {
        child_setup();
        place_self(slot, at);
        body(slot, c);
        _exit(0);
    }
    return add(w, pid, role);
}

static int spawn_loop(struct ffa_work *w, void (*body)(struct ffa_slot *, const struct ctx *), uint32_t role,
                      const struct ffa_placement *at) {
    struct ctx c = {0};
    return spawn(w, body, role, at, &c);
}

static int spawn_futex_pair(struct ffa_work *w, const struct ffa_placement *at) {
    if (w->n + 2 > FFA_WORK_MAX_PIDS)
        return -1;
    struct ctx c = {.partner = &w->slots[w->n], .first = 1};
    if (spawn(w, futex_loop, FFWIRE_WORKER_FUTEX, at, &c) != 0)
        return -1;
    c.first = 0;
    return spawn(w, futex_loop, FFWIRE_WORKER_FUTEX, at, &c);
}

/* Pipe pairs: each side placed like the others; the pipes are made before either fork. */
static struct { int in, out, first, unused_in, unused_out; } pipe_side;

static void pipe_body(struct ffa_slot *slot, const struct ctx *unused) {
    (void)unused;
    close(pipe_side.unused_in);
    close(pipe_side.unused_out);
    pingpong_loop(slot, pipe_side.in, pipe_side.out, pipe_side.first);
}

static int spawn_pair(struct ffa_work *w, const struct ffa_placement *at) {
    int ab[2], ba[2];
    if (pipe(ab) != 0)
        return -1;
    if (pipe(ba) != 0) {
        close(ab[0]);
        close(ab[1]);
        return -1;
    }
    int rc = w->n + 2 > FFA_WORK_MAX_PIDS ? -1 : 0;
    pipe_side.in = ba[0], pipe_side.out = ab[1], pipe_side.first = 1, pipe_side.unused_in = ab[0];
    pipe_side.unused_out = ba[1];
    if (!rc)
        rc = spawn_loop(w, pipe_body, FFWIRE_WORKER_PINGPONG, at);
    pipe_side.in = ab[0], pipe_side.out = ba[1], pipe_side.first = 0, pipe_side.unused_in = ba[0];
    pipe_side.unused_out = ab[1];
    if (!rc)
        rc = spawn_loop(w, pipe_body, FFWIRE_WORKER_PINGPONG, at);
    close(ab[0]);
    close(ab[1]);
    close(ba[0]);
    close(ba[1]);
    return rc;
}

/* From /proc/<pid>/stat's text: the state (field 3) and the CPU it last ran on (field 39). The name (field 2) may
 * hold spaces and parentheses, so the fields are counted from its last ')'. 1 if both were found. */
int ffa_stat_state_and_cpu(const char *text, char *state, int *cpu) {
    const char *p = strrchr(text, ')');
    if (!p || p[1] != ' ' || !p[2])
        return 0;
    *state = p[2];
    p += 2;
    for (int field = 3; field < 39; field++) {
        p = strchr(p, ' ');
        if (!p)
            return 0;
        p++;
    }
    char *end;
    long v = strtol(p, &end, 10);
    if (end == p || v < 0 || v > 4095)
        return 0;
    *cpu = (int)v;
    return 1;
}

void ffa_work_sample_cpus(struct ffa_work *w) {
    static uint64_t all; /* the online CPUs, read once: sysconf reads a sysfs file, three system calls a sample */
    if (!w->slots)
        return;
    if (!all) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        all = online >= 64 || online < 1 ? ~0ULL : (1ULL << online) - 1;
    }
    for (int i = 0; i < w->n; i++) {
        uint64_t allowed = __atomic_load_n(&w->slots[i].allowed, __ATOMIC_ACQUIRE);
        if (!allowed || (allowed & all) == all)
            continue; /* placed anywhere: it cannot escape */
        if (!w->stat_fds[i]) {
            char path[48];
            snprintf(path, sizeof(path), "/proc/%d/stat", (int)w->pids[i]);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            w->stat_fds[i] = fd + 1;
        }
        char text[1024];
        ssize_t got = pread(w->stat_fds[i] - 1, text, sizeof(text) - 1, 0);
        if (got <= 0)
            continue;
        text[got] = '\0';
        char state;
        int cpu;
        /* only a runnable task's CPU is where it is now: a sleeper keeps the CPU it last ran on until it wakes, and
         * the kernel moves a runnable one before a change of its mask returns */
        if (ffa_stat_state_and_cpu(text, &state, &cpu) && state == 'R' && cpu < 64 && !((allowed >> cpu) & 1))
            w->sampled_escapes[i]++;
    }
}

int ffa_work_begin(struct ffa_work *w) {
    w->n = 0;
    w->slots = mmap(NULL, sizeof(struct ffa_slot) * FFA_WORK_MAX_PIDS + sizeof(struct ffa_latency),
                    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (w->slots == MAP_FAILED) {
        w->slots = NULL;
        return -1;
    }
    w->latency = (struct ffa_latency *)(w->slots + FFA_WORK_MAX_PIDS);
    w->started_ns = ffa_now_ns();
    memset(w->sampled_escapes, 0, sizeof(w->sampled_escapes));
    memset(w->stat_fds, 0, sizeof(w->stat_fds));
    return 0;
}

int ffa_work_add(struct ffa_work *w, int kind, const struct ffa_work_counts *c, const struct ffa_placement *at) {
    int cpu = (kind == FFA_WORK_CPU || kind == FFA_WORK_MIXED) ? c->workers : 0;
    int pp = (kind == FFA_WORK_PINGPONG || kind == FFA_WORK_MIXED) ? c->pairs : 0;
    int fe = (kind == FFA_WORK_FORKEXIT || kind == FFA_WORK_MIXED) ? c->forkers : 0;
    int fx = kind == FFA_WORK_FUTEX ? c->pairs : 0;
    static const struct { int kind; void (*body)(struct ffa_slot *, const struct ctx *); uint32_t role; } LOOPS[] = {
        {FFA_WORK_YIELD, yield_loop, FFWIRE_WORKER_YIELD},   {FFA_WORK_BURSTY, bursty_loop, FFWIRE_WORKER_BURSTY},
        {FFA_WORK_MEMORY, memory_loop, FFWIRE_WORKER_MEMORY}, {FFA_WORK_THREADS, threads_loop, FFWIRE_WORKER_THREADS},
    };
    for (int i = 0; i < cpu; i++)
        if (spawn_loop(w, cpu_loop, FFWIRE_WORKER_CPU, at) != 0)
            return -1;
    for (int i = 0; i < pp; i++)
        if (spawn_pair(w, at) != 0)
            return -1;
    for (int i = 0; i < fe; i++)
        if (spawn_loop(w, forkexit_loop, FFWIRE_WORKER_FORKEXIT, at) != 0)
            return -1;
    for (int i = 0; i < fx; i++)
        if (spawn_futex_pair(w, at) != 0)
            return -1;
    for (size_t l = 0; l < sizeof(LOOPS) / sizeof(LOOPS[0]); l++)
        for (int i = 0; LOOPS[l].kind == kind && i < c->workers; i++)
            if (spawn_loop(w, LOOPS[l].body, LOOPS[l].role, at) != 0)
                return -1;
    for (int i = 0; kind == FFA_WORK_EXEC && i < c->workers; i++)
        if (spawn_loop(w, exec_body, FFWIRE_WORKER_EXEC, at) != 0)
            return -1;
    /* probes go with any kind: a latency step measures wake-ups alone, or under the load of the other counts */
    for (int i = 0; i < c->probes; i++)
        if (spawn_loop(w, latency_loop, FFWIRE_WORKER_LATENCY, at) != 0)
            return -1;
    return 0;
}

int ffa_work_ready(struct ffa_work *w, char *why, size_t size) {
    long long deadline = ffa_now_ms() + READY_TIMEOUT_MS;
    for (int i = 0; i < w->n; i++) {
        int32_t state;
        while ((state = __atomic_load_n(&w->slots[i].setup, __ATOMIC_ACQUIRE)) == 0 && ffa_now_ms() < deadline)
            usleep(1000);
        if (state == 1)
            continue;
        if (state == 0)
            snprintf(why, size, "workload process %d did not start within %d s", (int)w->pids[i],
                     READY_TIMEOUT_MS / 1000);
        else
            snprintf(why, size, "cannot place workload process %d (cgroup %d): %s", (int)w->pids[i], w->groups[i],
                     state == -EPERM ? "cannot join its cgroup" : strerror(-state));
        return -1;
    }
    return 0;
}

/* Widens every affected worker's allowed mask to old|new around a change, then narrows it: a worker that looked at
 * its CPU while the kernel was moving it never counts an escape. */
static void open_masks(struct ffa_work *w, int cgroup, uint64_t extra) {
    for (int i = 0; i < w->n; i++) {
        if (w->cgroups[i] != cgroup || !w->slots[i].allowed)
            continue;
        __atomic_store_n(&w->slots[i].allowed, w->slots[i].allowed | (extra ? extra : ~0ULL), __ATOMIC_RELEASE);
        __atomic_add_fetch(&w->slots[i].generation, 1, __ATOMIC_RELEASE);
    }
}

static void settle_masks(struct ffa_work *w, int cgroup) {
    uint64_t cg = ffa_cgroup_cpus(cgroup);
    for (int i = 0; i < w->n; i++) {
        if (w->cgroups[i] != cgroup)
            continue;
        uint64_t affinity = 0;
        cpu_set_t set;
        if (sched_getaffinity(w->pids[i], sizeof(set), &set) == 0)
            for (int cpu = 0; cpu < 64; cpu++)
                if (CPU_ISSET(cpu, &set))
                    affinity |= 1ULL << cpu;
        uint64_t mask = cg && affinity ? (cg & affinity) : (cg ? cg : affinity);
        __atomic_store_n(&w->slots[i].allowed, mask, __ATOMIC_RELEASE);
        __atomic_add_fetch(&w->slots[i].generation, 1, __ATOMIC_RELEASE);
    }
}

int ffa_work_cgroup_set(struct ffa_work *w, int cgroup, int weight, const char *cpu_max, const char *cpus) {
    int narrows = cpus && strcmp(cpus, "-") != 0;
    if (narrows)
        open_masks(w, cgroup, ffa_cpulist_mask(cpus));
    int rc = ffa_cgroup_set(cgroup, weight, cpu_max, cpus);
    if (narrows)
        settle_masks(w, cgroup);
    return rc;
}

int ffa_work_move(struct ffa_work *w, int from, int to) {
    uint64_t target = ffa_cgroup_cpus(to);
    open_masks(w, from, target);
    for (int i = 0; i < w->n; i++) {
        if (w->cgroups[i] != from)
            continue;
        if (ffa_cgroup_join(to, w->pids[i]) != 0)
            return -1;
        w->cgroups[i] = to;
    }
    settle_masks(w, to);
    return 0;
}

/* The last `size` bytes of a file (fewer if shorter); returns how many, 0 if unreadable. */
static size_t read_tail(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    off_t end = lseek(fd, 0, SEEK_END);
    off_t from = end > (off_t)size ? end - (off_t)size : 0;
    ssize_t n = pread(fd, buf, size, from);
    close(fd);
    return n > 0 ? (size_t)n : 0;
}

void ffa_work_report_exec(struct ffa_work *w, const struct ffwire_out *out, int step) {
    for (int i = 0; i < w->n; i++) {
        if (!w->exec_argv[i])
            continue;
        int status = 0;
        pid_t done = waitpid(w->pids[i], &status, WNOHANG); /* reaped here: ffa_work_stop's wait then finds none */
        char path[64], tail[FFWIRE_EXEC_OUTPUT_MAX];
        exec_output_path(w->pids[i], path, sizeof(path));
        size_t n = read_tail(path, tail, sizeof(tail));
        uint32_t state = FFWIRE_EXEC_STATE_RUNNING; /* still at work when the step ended: killed with the others */
        int32_t value = 0;
        if (done == w->pids[i] && WIFEXITED(status))
            state = FFWIRE_EXEC_STATE_EXITED, value = WEXITSTATUS(status);
        else if (done == w->pids[i])
            state = FFWIRE_EXEC_STATE_KILLED, value = WTERMSIG(status);
        ffwire_send_exec_exit(out, (uint32_t)step, (uint32_t)i, state, value, strrchr(w->exec_argv[i][0], '/') + 1,
                              tail, n);
        unlink(path);
    }
}

void ffa_work_stop(struct ffa_work *w) {
    for (int i = 0; i < w->n; i++)
        kill(w->pids[i], SIGKILL);
    for (int i = 0; i < w->n; i++)
        while (waitpid(w->pids[i], NULL, 0) < 0 && errno == EINTR)
            ;
    for (int i = 0; i < FFA_WORK_MAX_PIDS; i++)
        if (w->stat_fds[i] > 0)
            close(w->stat_fds[i] - 1);
    memset(w->stat_fds, 0, sizeof(w->stat_fds));
    w->n = 0;
    memset(w->exec_argv, 0, sizeof(w->exec_argv));
    if (w->slots)
        munmap(w->slots, sizeof(struct ffa_slot) * FFA_WORK_MAX_PIDS + sizeof(struct ffa_latency));
    w->slots = NULL;
    w->latency = NULL;
}
