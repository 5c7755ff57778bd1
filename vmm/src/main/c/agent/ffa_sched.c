/*
 * sched-check SECONDS BINARY [ARGS...]
 *
 * Starts a sched_ext scheduler, waits (bounded) until the kernel reports it enabled, runs a CPU-burning load for
 * SECONDS, asks it to leave with SIGINT (what a user's Ctrl-C does) and reports how it went. Every observation is
 * a structured line; the final one, sched-result, sums it up.
 */
#include "ffa.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STATE_PATH "/sys/kernel/sched_ext/state"
#define OPS_PATH "/sys/kernel/sched_ext/root/ops"
#define ENABLE_TIMEOUT_MS 60000L /* scx_qmap's verification alone takes ~1 s under TCG; leave room for slow hosts */
#define EXIT_TIMEOUT_MS 15000L
#define MAX_LOAD 64

static void read_state(char *buf, size_t size) {
    if (ffa_read_text(STATE_PATH, buf, size) < 0)
        snprintf(buf, size, "unreadable");
}

/* /dev/kmsg records are "prio,seq,usec,flags;text". Reports sched_ext's own lines and remembers the last
 * "disabled (reason)" text, which says whether the unload was clean. */
static void drain_kmsg(int fd, const char *name, char *reason, size_t reason_size) {
    char rec[2048];
    for (;;) {
        ssize_t n = read(fd, rec, sizeof(rec) - 1);
        if (n < 0 && errno == EPIPE)
            continue; /* overwritten records: skip ahead */
        if (n <= 0)
            break;
        rec[n] = '\0';
        char *text = strchr(rec, ';');
        if (!text)
            continue;
        text++;
        char *nl = strchr(text, '\n');
        if (nl)
            *nl = '\0';
        if (!strstr(text, "sched_ext"))
            continue;
        ffa_event("kmsg", "name", name, "text", text, (const char *)NULL);
        char *d = strstr(text, " disabled (");
        if (d) {
            d += strlen(" disabled (");
            char *close = strrchr(d, ')');
            size_t len = close ? (size_t)(close - d) : strlen(d);
            if (len >= reason_size)
                len = reason_size - 1;
            memcpy(reason, d, len);
            reason[len] = '\0';
        }
    }
}

/* Emits the last lines the scheduler printed (its stats and its own EXIT line). */
static void report_output(const char *path, const char *name, int max_lines) {
    static char data[65536];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    off_t size = lseek(fd, 0, SEEK_END);
    off_t start = size > (off_t)sizeof(data) - 1 ? size - (off_t)sizeof(data) + 1 : 0;
    lseek(fd, start, SEEK_SET);
    ssize_t n = read(fd, data, sizeof(data) - 1);
    close(fd);
    if (n <= 0)
        return;
    data[n] = '\0';
    int lines = 0;
    char *p = data + n;
    while (p > data && lines <= max_lines) {
        p--;
        if (*p == '\n')
            lines++;
    }
    if (*p == '\n')
        p++;
    char *save = NULL;
    for (char *line = strtok_r(p, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        ffa_event("sched-output", "name", name, "line", line, (const char *)NULL);
}

static int start_load(pid_t *pids, int count) {
    int started = 0;
    for (int i = 0; i < count && i < MAX_LOAD; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            volatile unsigned long spin = 0;
            for (;;)
                spin++;
        }
        if (pid > 0)
            pids[started++] = pid;
    }
    return started;
}

static void stop_load(pid_t *pids, int count) {
    for (int i = 0; i < count; i++)
        kill(pids[i], SIGKILL);
    for (int i = 0; i < count; i++)
        waitpid(pids[i], NULL, 0);
}

int ffa_sched_check(int argc, char **argv) {
    if (argc < 3) {
        ffa_log("usage: sched-check SECONDS BINARY [ARGS...]");
        return 2;
    }
    long seconds = strtol(argv[1], NULL, 10);
    char **sched_argv = argv + 2;
    char name_buf[256];
    snprintf(name_buf, sizeof(name_buf), "%s", sched_argv[0]);
    const char *name = basename(name_buf);
    char out_path[320], state[64], ops[128] = "", reason[256] = "";
    snprintf(out_path, sizeof(out_path), "/tmp/%s.out", name);

    if (!ffa_exists(STATE_PATH)) {
        ffa_event("sched-result", "name", name, "enabled", "0", "clean", "0", "error", "no /sys/kernel/sched_ext",
                  (const char *)NULL);
        return 1;
    }
    int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (kmsg >= 0)
        lseek(kmsg, 0, SEEK_END);

    read_state(state, sizeof(state));
    ffa_event("sched-start", "name", name, "state_before", state, (const char *)NULL);
    long long t0 = ffa_now_ms();
    pid_t pid = ffa_spawn(sched_argv, out_path);
    int status = 0, exited = 0, enabled = 0;
    if (pid < 0) {
        ffa_log("fork failed: %s", strerror(errno));
        return 1;
    }

    while (ffa_now_ms() - t0 < ENABLE_TIMEOUT_MS) {
        read_state(state, sizeof(state));
        if (strcmp(state, "enabled") == 0) {
            enabled = 1;
            break;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = 1;
            break;
        }
        ffa_sleep_ms(20);
    }
    struct ffa_line l;
    ffa_line_begin(&l, "sched-state");
    ffa_line_str(&l, "name", name);
    ffa_line_str(&l, "state", state);
    ffa_line_int(&l, "after_ms", ffa_now_ms() - t0);
    ffa_line_emit(&l);

    if (enabled) {
        ffa_read_text(OPS_PATH, ops, sizeof(ops));
        ffa_event("sched-ops", "name", name, "ops", ops, (const char *)NULL);

        pid_t load[MAX_LOAD];
        int nload = start_load(load, ffa_online_cpus() + 1);
        ffa_line_begin(&l, "sched-load");
        ffa_line_str(&l, "name", name);
        ffa_line_int(&l, "workers", nload);
        ffa_line_int(&l, "seconds", seconds);
        ffa_line_emit(&l);
        long long until = ffa_now_ms() + seconds * 1000;
        while (ffa_now_ms() < until) {
            if (waitpid(pid, &status, WNOHANG) == pid) {
                exited = 1;
                break;
            }
            ffa_sleep_ms(100);
        }
        read_state(state, sizeof(state));
        char ops_now[128] = "";
        ffa_read_text(OPS_PATH, ops_now, sizeof(ops_now));
        ffa_event("sched-running", "name", name, "state", state, "ops", ops_now, (const char *)NULL);
        stop_load(load, nload);
    }

    if (!exited) {
        kill(pid, SIGINT);
        if (!ffa_wait_timeout(pid, &status, EXIT_TIMEOUT_MS)) {
            ffa_log("%s ignored SIGINT for %ld ms; killing it", name, EXIT_TIMEOUT_MS);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
    /* The kernel finishes disabling asynchronously after the scheduler's link goes away. */
    long long settle = ffa_now_ms() + 5000;
    do {
        read_state(state, sizeof(state));
        if (strcmp(state, "disabled") == 0)
            break;
        ffa_sleep_ms(20);
    } while (ffa_now_ms() < settle);

    if (kmsg >= 0) {
        drain_kmsg(kmsg, name, reason, sizeof(reason));
        close(kmsg);
    }
    report_output(out_path, name, 30);

    int exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    int clean = enabled && exited_ok && strcmp(state, "disabled") == 0 &&
                strstr(reason, "unregistered from user space") != NULL;
    ffa_line_begin(&l, "sched-result");
    ffa_line_str(&l, "name", name);
    ffa_line_int(&l, "enabled", enabled);
    ffa_line_str(&l, "ops", ops);
    ffa_describe_status(&l, status);
    ffa_line_str(&l, "final_state", state);
    ffa_line_str(&l, "reason", reason);
    ffa_line_int(&l, "clean", clean);
    ffa_line_int(&l, "ms", ffa_now_ms() - t0);
    ffa_line_emit(&l);
    return clean ? 0 : 1;
}
