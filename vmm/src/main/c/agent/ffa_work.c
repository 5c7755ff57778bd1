/*
 * Scenario workloads. Each is a set of child processes the agent starts at a step's beginning and kills at its end:
 *   cpu       busy loops (runnable all the time: the scheduler's dispatch path)
 *   pingpong  pairs passing one byte back and forth through pipes (constant sleep/wake: select_cpu and enqueue)
 *   forkexit  loops forking children that exit at once (task init/exit, new-task enqueue)
 *   mixed     all three with their own counts
 */
#include "ffa.h"
#include "ffa_run.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int ffa_work_kind(const char *name) {
    static const char *names[] = {"idle", "cpu", "pingpong", "forkexit", "mixed"};
    for (int i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static void child_setup(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
}

static void cpu_loop(void) {
    volatile unsigned long spin = 0;
    for (;;)
        spin++;
}

static void forkexit_loop(void) {
    for (;;) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid > 0)
            waitpid(pid, NULL, 0);
        else
            usleep(1000); /* out of processes for a moment: back off rather than spin on fork */
    }
}

/* Reads one byte from `in`, writes it to `out`, forever; the starter writes the first byte. */
static void pingpong_loop(int in, int out, int starter) {
    char token = 'x';
    if (starter && write(out, &token, 1) != 1)
        _exit(1);
    for (;;) {
        if (read(in, &token, 1) != 1)
            _exit(0);
        if (write(out, &token, 1) != 1)
            _exit(0);
    }
}

static int add(struct ffa_work *w, pid_t pid) {
    if (pid < 0 || w->n >= FFA_WORK_MAX_PIDS) {
        if (pid > 0)
            kill(pid, SIGKILL);
        return -1;
    }
    w->pids[w->n++] = pid;
    return 0;
}

static int spawn_loop(struct ffa_work *w, void (*body)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        child_setup();
        body();
        _exit(0);
    }
    return add(w, pid);
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
    pid_t a = fork();
    if (a == 0) {
        child_setup();
        close(ab[0]);
        close(ba[1]);
        pingpong_loop(ba[0], ab[1], 1);
    }
    rc |= add(w, a);
    pid_t b = fork();
    if (b == 0) {
        child_setup();
        close(ab[1]);
        close(ba[0]);
        pingpong_loop(ab[0], ba[1], 0);
    }
    rc |= add(w, b);
    close(ab[0]);
    close(ab[1]);
    close(ba[0]);
    close(ba[1]);
    return rc;
}

int ffa_work_start(struct ffa_work *w, int kind, int workers, int pairs, int forkers) {
    w->n = 0;
    int cpu = (kind == FFA_WORK_CPU || kind == FFA_WORK_MIXED) ? workers : 0;
    int pp = (kind == FFA_WORK_PINGPONG || kind == FFA_WORK_MIXED) ? pairs : 0;
    int fe = (kind == FFA_WORK_FORKEXIT || kind == FFA_WORK_MIXED) ? forkers : 0;
    for (int i = 0; i < cpu; i++)
        if (spawn_loop(w, cpu_loop) != 0)
            goto fail;
    for (int i = 0; i < pp; i++)
        if (spawn_pair(w) != 0)
            goto fail;
    for (int i = 0; i < fe; i++)
        if (spawn_loop(w, forkexit_loop) != 0)
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
}
