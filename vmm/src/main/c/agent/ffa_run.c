/*
 * The run dialogue: the agent's side of a Freezeframe run, driven by /run.d/plan (format: AgentPlan.java).
 *
 *   SYS_RDY -> KERNEL_BTF -> KERNEL_SYMBOLS -> KERNEL_ADDRESSES -> LIFECYCLE scheduler_starting
 *   -> (scheduler enabled?) LIFECYCLE scheduler_enabled
 *   -> LIFECYCLE scenario_started -> per step: STEP, its actions (SNAPSHOT_REQUEST and wait for the reply; faults;
 *      a scheduler swap: LIFECYCLE scheduler_swapping, SIGINT, SCHED_EXIT, sched_ext disabled, LIFECYCLE
 *      scheduler_starting and scheduler_enabled for the new one), its workload for its duration -> LIFECYCLE scenario_finished -> LIFECYCLE scheduler_stopping (SIGINT)
 *   -> SCHED_EXIT -> LIFECYCLE powering_off -> EXIT -> power off.
 *
 * Throughout, the scheduler's stdout/stderr go out as STDOUT/STDERR and the kernel's sched_ext messages as SCHED_LOG.
 * The scheduler can end on its own at any point; its process may even exit 0 after an error (scx_qmap does), so the
 * end is detected from /sys/kernel/sched_ext/state and the kernel's "disabled (reason)" message, not the exit code.
 *
 * A fork's guest is restored mid-run and gets a PLAN_UPDATE frame right after: its host facts (wall clock, randomness)
 * are applied as soon as it is read; a REPLACE ends the step that runs (its workers stopped, no metrics: it was cut
 * short) at the next wait of its workload, or before the next step, and the new plan's steps run instead of the rest
 * (LIFECYCLE plan_replaced, then STEP 1..N). The scheduler keeps running.
 */
#define _GNU_SOURCE /* pipe2 */
#include "ffa.h"
#include "ffa_run.h"
#include "ffwire.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STATE_PATH "/sys/kernel/sched_ext/state"
#define OPS_PATH "/sys/kernel/sched_ext/root/ops"
#define MAX_ARGS 32
#define MAX_STEPS 64
#define MAX_ACTIONS 8
#define STOP_TIMEOUT_MS 10000
#define REPLY_TIMEOUT_MS 120000 /* a capture under TCG can take a while; never wait forever */
#define REASON_WAIT_MS 1500     /* the kernel prints the reason right after "disabled"; give it a moment */

/* enum scx_exit_kind and the kernel's scx_exit_reason() texts */
static const struct { const char *text; unsigned kind; } EXIT_KINDS[] = {
    {"unregistered from user space", 64}, {"unregistered from BPF", 65}, {"unregistered from the main kernel", 66},
    {"disabled by sysrq-S", 67}, {"runtime error", 1024}, {"scx_bpf_error", 1025}, {"runnable task stall", 1026},
};

static const char *WANTED_SYMBOLS[] = {
    "_text", "scx_root", "map_idr", "prog_idr", "btf_idr", "link_idr", "page_offset_base", "vmalloc_base",
    "vmemmap_base", "__per_cpu_offset", "phys_base", "init_mm", "init_task", "runqueues", "jiffies_64",
    "total_forks", "__scx_enabled", "scx_tasks", "scx_sched_all",
};

#define MAX_WORKLOADS 8
#define MAX_SWAPS 8
#define MAX_EXECS 16

/* A scheduler to swap in (plan lines "swap" and "swap_arg"), or an exec workload's command ("exec", "exec_arg"). */
struct command {
    char path[256];
    char *args[MAX_ARGS + 1]; /* args[0] = path, NULL-terminated */
    int nargs;                /* including args[0] */
};

struct action {
    char kind; /* 'c' capture, 'f' fault, 's' cgroup settings, 'm' move, 'w' scheduler swap (arg: index) */
    long at_ms; /* 0: before the workload starts; else that long after it started */
    char arg[72];
};

struct workload {
    int kind;
    struct ffa_work_counts counts;
    struct ffa_placement at;
};

struct step {
    int index;
    long duration_ms;
    char name[64];
    struct action actions[MAX_ACTIONS];
    int nactions;
    struct workload work[MAX_WORKLOADS];
    int nwork;
};

struct cgroup_line {
    int index, parent, weight;
    char cpu_max[32], cpus[64], name[64];
};

struct plan {
    char scenario[128]; /* "scenario" line: a fork's replacement plan names the scenario it runs */
    char sched_path[256];
    char *sched_args[MAX_ARGS];
    int nargs;
    long enable_timeout_ms;
    struct step steps[MAX_STEPS];
    int nsteps;
    struct cgroup_line cgroups[FFA_MAX_CGROUPS];
    int ncgroups;
    struct command swaps[MAX_SWAPS];
    int nswaps;
    struct command execs[MAX_EXECS];
    int nexecs;
};

struct run {
    struct ffa_link link;
    pid_t sched;
    int sched_out, sched_err, kmsg;
    int sched_reaped, sched_status;
    int was_enabled, stop_requested, exit_reported;
    unsigned exit_kind;
    char exit_reason_name[64];
    char exit_message[512];
    unsigned next_request;
    unsigned char in_buf[FFWIRE_HEADER_SIZE + FFA_PLAN_MAX]; /* host -> guest bytes not yet taken */
    size_t in_len;
    int reply_ready;          /* a SNAPSHOT_REPLY arrived: reply_id, reply_status */
    unsigned reply_id, reply_status;
    int replace_pending;      /* a PLAN_UPDATE REPLACE arrived: update_text is the new plan */
    char update_text[FFA_PLAN_MAX + 1];
};

static struct plan P;
static struct run R;
static const char *plan_path; /* where the plan in force is (a fork's new plan replaces the file) */

static void send_lifecycle(uint32_t phase, const char *detail) {
    ffwire_send_lifecycle(&R.link.out, phase, detail ? detail : "");
}

static void fail_and_power_off(int code, const char *reason) {
    ffa_event("run-failed", "reason", reason, (const char *)NULL);
    if (R.link.open) {
        ffwire_send_exit(&R.link.out, code, reason);
        ffa_link_close(&R.link);
    }
    ffa_power_off();
}

/* Starts a command: its path, then (add_arg) its arguments. -1 if it does not fit. */
static int command_start(struct command *c, const char *path) {
    snprintf(c->path, sizeof(c->path), "%s", path);
    c->args[0] = c->path;
    c->args[1] = NULL;
    c->nargs = 1;
    return 0;
}

static int command_arg(struct command *c, const char *arg) {
    if (c->nargs >= MAX_ARGS)
        return -1;
    c->args[c->nargs++] = strdup(arg);
    c->args[c->nargs] = NULL;
    return 0;
}

static int parse_plan(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    struct step *cur = NULL;
    P.enable_timeout_ms = 30000;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *sp = strchr(line, ' ');
        char *rest = sp ? sp + 1 : line + strlen(line);
        if (sp)
            *sp = '\0';
        if (strcmp(line, "scenario") == 0) {
            snprintf(P.scenario, sizeof(P.scenario), "%s", rest);
        } else if (strcmp(line, "sched_path") == 0) {
            snprintf(P.sched_path, sizeof(P.sched_path), "%s", rest);
        } else if (strcmp(line, "sched_arg") == 0 && P.nargs < MAX_ARGS - 1) {
            P.sched_args[P.nargs++] = strdup(rest);
        } else if (strcmp(line, "enable_timeout_ms") == 0) {
            P.enable_timeout_ms = atol(rest);
        } else if (strcmp(line, "step") == 0 && P.nsteps < MAX_STEPS) {
            cur = &P.steps[P.nsteps++];
            char name[64] = "";
            if (sscanf(rest, "%d %ld %63s", &cur->index, &cur->duration_ms, name) < 3)
                return -1;
            snprintf(cur->name, sizeof(cur->name), "%s", name);
        } else if ((strcmp(line, "capture") == 0 || strcmp(line, "fault") == 0) && cur
                   && cur->nactions < MAX_ACTIONS) {
            struct action *a = &cur->actions[cur->nactions++];
            a->kind = line[0] == 'c' ? 'c' : 'f';
            a->at_ms = 0;
            snprintf(a->arg, sizeof(a->arg), "%s", rest);
        } else if ((strcmp(line, "cgset") == 0 || strcmp(line, "move") == 0) && cur && cur->nactions < MAX_ACTIONS) {
            struct action *a = &cur->actions[cur->nactions++];
            a->kind = line[0] == 'c' ? 's' : 'm';
            char *after = NULL;
            a->at_ms = strtol(rest, &after, 10);
            snprintf(a->arg, sizeof(a->arg), "%s", after && *after == ' ' ? after + 1 : "");
        } else if (strcmp(line, "swap") == 0 && cur && cur->nactions < MAX_ACTIONS && P.nswaps < MAX_SWAPS) {
            struct action *a = &cur->actions[cur->nactions++];
            a->kind = 'w';
            a->at_ms = 0;
            snprintf(a->arg, sizeof(a->arg), "%d", P.nswaps);
            command_start(&P.swaps[P.nswaps++], rest);
        } else if (strcmp(line, "swap_arg") == 0 && P.nswaps > 0) {
            if (command_arg(&P.swaps[P.nswaps - 1], rest) != 0)
                return -1;
        } else if (strcmp(line, "exec") == 0 && cur && cur->nwork > 0 && P.nexecs < MAX_EXECS) {
            char full[256];
            snprintf(full, sizeof(full), "%s/%s", FFA_INCLUDE_DIR, rest);
            struct command *c = &P.execs[P.nexecs++];
            command_start(c, full);
            cur->work[cur->nwork - 1].at.exec_argv = c->args;
        } else if (strcmp(line, "exec_arg") == 0 && P.nexecs > 0) {
            if (command_arg(&P.execs[P.nexecs - 1], rest) != 0)
                return -1;
        } else if (strcmp(line, "cgroup") == 0 && P.ncgroups < FFA_MAX_CGROUPS) {
            struct cgroup_line *c = &P.cgroups[P.ncgroups++];
            if (sscanf(rest, "%d %d %d %31s %63s %63s", &c->index, &c->parent, &c->weight, c->cpu_max, c->cpus,
                       c->name) != 6)
                return -1;
        } else if (strcmp(line, "work") == 0 && cur && cur->nwork < MAX_WORKLOADS) {
            char kind[16] = "";
            struct workload *wl = &cur->work[cur->nwork++];
            struct ffa_work_counts *c = &wl->counts;
            if (sscanf(rest, "%15s %d %d %d %d", kind, &c->workers, &c->pairs, &c->forkers, &c->probes) < 5)
                return -1;
            wl->kind = ffa_work_kind(kind);
            if (wl->kind < 0)
                return -1;
            wl->at = (struct ffa_placement){.burst_ms = 5, .idle_ms = 5, .mem_kib = 4096};
        } else if (strcmp(line, "place") == 0 && cur && cur->nwork > 0) {
            struct ffa_placement *at = &cur->work[cur->nwork - 1].at;
            char cpus[64] = "";
            if (sscanf(rest, "%d %63s %d %d %d %d %d %d", &at->cgroup, cpus, &at->nice, &at->policy, &at->rt_priority,
                       &at->burst_ms, &at->idle_ms, &at->mem_kib) != 8)
                return -1;
            at->cpus = strcmp(cpus, "-") == 0 ? 0 : ffa_cpulist_mask(cpus);
        }
    }
    fclose(f);
    for (int i = 0; i < P.nsteps; i++)
        for (int k = 0; k < P.steps[i].nwork; k++)
            if (P.steps[i].work[k].kind == FFA_WORK_EXEC && !P.steps[i].work[k].at.exec_argv)
                return -1;
    return P.sched_path[0] ? 0 : -1;
}

/* Records the address of `name` if the host asked for it by name (WANTED_SYMBOLS). */
static void want_symbol(struct ffwire_kaddrs *k, const char *line, size_t len) {
    char copy[512];
    if (len >= sizeof(copy))
        return;
    memcpy(copy, line, len);
    copy[len] = '\0';
    unsigned long long addr;
    char type, name[256];
    if (sscanf(copy, "%llx %c %255s", &addr, &type, name) != 3)
        return;
    for (size_t i = 0; i < sizeof(WANTED_SYMBOLS) / sizeof(WANTED_SYMBOLS[0]); i++) {
        if (strcmp(name, WANTED_SYMBOLS[i]) == 0) {
            ffwire_kaddrs_add(k, name, addr); /* a duplicate name is refused by the helper: first one wins */
            return;
        }
    }
}

/*
 * One pass over /proc/kallsyms: the whole table goes to the host as KERNEL_SYMBOLS chunks that end on line boundaries
 * (the symbol table for symbolizing and watchpoints), and the few addresses introspection needs by name follow as
 * KERNEL_ADDRESSES, which also tells the host the table is complete.
 */
static void send_kernel_symbols(void) {
    static struct ffwire_kaddrs k;
    static char chunk[FFWIRE_MAX_PAYLOAD];
    ffwire_kaddrs_init(&k);
    int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        size_t used = 0;
        for (;;) {
            ssize_t n = read(fd, chunk + used, sizeof(chunk) - used);
            if (n < 0 && errno == EINTR)
                continue;
            if (n > 0)
                used += (size_t)n;
            size_t whole = used;
            if (n > 0) {
                while (whole > 0 && chunk[whole - 1] != '\n')
                    whole--;
                if (whole == 0 && used < sizeof(chunk))
                    continue; /* no complete line yet */
                if (whole == 0)
                    whole = used; /* a line longer than a frame: cannot happen with kallsyms, but never spin */
            }
            if (whole > 0 && (n <= 0 || used == sizeof(chunk))) {
                for (size_t at = 0; at < whole;) {
                    char *nl = memchr(chunk + at, '\n', whole - at);
                    size_t end = nl ? (size_t)(nl - chunk) : whole;
                    want_symbol(&k, chunk + at, end - at);
                    at = end + 1;
                }
                ffwire_send_text(&R.link.out, FFWIRE_MSG_KERNEL_SYMBOLS, chunk, whole);
                memmove(chunk, chunk + whole, used - whole);
                used -= whole;
            }
            if (n <= 0)
                break;
        }
        close(fd);
    }
    ffwire_send_kaddrs(&R.link.out, &k);
}

static int sched_state_enabled(void) {
    char state[32];
    return ffa_read_text(STATE_PATH, state, sizeof(state)) > 0 && strcmp(state, "enabled") == 0;
}

/* A kmsg record is "prio,seq,usec,flags;text\n" plus dictionary lines; we want the text. */
static void on_kmsg_record(char *rec) {
    char *text = strchr(rec, ';');
    if (!text)
        return;
    text++;
    text[strcspn(text, "\n")] = '\0';
    if (!strstr(text, "sched_ext"))
        return;
    ffwire_send_text(&R.link.out, FFWIRE_MSG_SCHED_LOG, text, strlen(text));
    char *disabled = strstr(text, " disabled (");
    if (disabled) {
        char *open = disabled + strlen(" disabled (");
        char *close = strrchr(open, ')');
        size_t len = close ? (size_t)(close - open) : strlen(open);
        snprintf(R.exit_reason_name, sizeof(R.exit_reason_name), "%.*s", (int)len, open);
        for (size_t i = 0; i < sizeof(EXIT_KINDS) / sizeof(EXIT_KINDS[0]); i++)
            if (strcmp(R.exit_reason_name, EXIT_KINDS[i].text) == 0)
                R.exit_kind = EXIT_KINDS[i].kind;
        return;
    }
    /* "sched_ext: NAME: message" follows the disabled line when the exit carries a message. */
    if (R.exit_reason_name[0] && !R.exit_message[0] && strncmp(text, "sched_ext: ", 11) == 0) {
        char *msg = strstr(text + 11, ": ");
        if (msg)
            snprintf(R.exit_message, sizeof(R.exit_message), "%s", msg + 2);
    }
}

/* Forwards what the pipe holds now; closes it at end of file. Returns the bytes forwarded. */
static ssize_t drain_fd(int *fd, uint32_t type) {
    char buf[4096];
    ssize_t n = read(*fd, buf, sizeof(buf));
    if (n > 0) {
        ffwire_send_text(&R.link.out, type, buf, (size_t)n);
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close(*fd);
        *fd = -1;
    }
    return n;
}

static int step_running; /* a step's workload runs: its processes are the step's to reap (ffa_work_stop) */
static struct ffa_work *running_work; /* that workload, while step_running: its CPUs are sampled */

/* As PID 1 the agent also inherits orphans (a killed fork worker's children): between steps it reaps them all. While a
 * workload runs only the scheduler, so a finished exec worker stays readable in /proc until the step's end measures
 * and reports it. */
static void reap_children(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(step_running ? R.sched : -1, &status, WNOHANG)) > 0) {
        if (pid == R.sched) {
            R.sched_reaped = 1;
            R.sched_status = status;
        }
    }
}

/* A PLAN_UPDATE: its host facts now (the clock must not wait for a safe point); a new plan waits for the steps loop. */
static void on_plan_update(const uint8_t *payload, uint32_t len) {
    uint32_t mode = 0, text_len = 0;
    const char *text = NULL;
    if (ffwire_decode_plan_update(payload, len, &mode, &text, &text_len) != 0 || text_len > FFA_PLAN_MAX)
        return;
    memcpy(R.update_text, text, text_len);
    R.update_text[text_len] = '\0';
    ffa_apply_host_facts(R.update_text);
    R.replace_pending = mode == FFWIRE_PLAN_REPLACE;
    char bytes[16];
    snprintf(bytes, sizeof(bytes), "%u", text_len);
    ffa_event("plan-update", "mode", mode == FFWIRE_PLAN_REPLACE ? "replace" : "continue", "bytes", bytes,
              (const char *)NULL);
}

/*
 * Reads what the host sent and takes every complete frame: a snapshot reply is kept for the request waiting for it (one
 * at a time), a plan update is applied. The host is trusted, but a frame that does not check out is dropped rather
 * than believed.
 */
static void poll_host(void) {
    ssize_t got = ffa_link_read(&R.link, R.in_buf + R.in_len, sizeof(R.in_buf) - R.in_len);
    if (got > 0)
        R.in_len += (size_t)got;
    size_t off = 0;
    while (R.in_len - off >= FFWIRE_HEADER_SIZE) {
        struct ffwire_header h;
        if (ffwire_read_header(R.in_buf + off, &h) != 0 || h.length > sizeof(R.in_buf) - FFWIRE_HEADER_SIZE) {
            off = R.in_len; /* out of step with the host's frames: drop what we have */
            break;
        }
        if (R.in_len - off < FFWIRE_HEADER_SIZE + h.length)
            break; /* the rest is still on its way */
        const uint8_t *payload = R.in_buf + off + FFWIRE_HEADER_SIZE;
        if (ffwire_crc32(payload, h.length) == h.crc32) {
            uint32_t id = 0, status = 0;
            if (h.type == FFWIRE_MSG_SNAPSHOT_REPLY && ffwire_decode_snapshot_reply(payload, h.length, &id, &status) == 0) {
                R.reply_ready = 1;
                R.reply_id = id;
                R.reply_status = status;
            } else if (h.type == FFWIRE_MSG_PLAN_UPDATE) {
                on_plan_update(payload, h.length);
            }
        }
        off += FFWIRE_HEADER_SIZE + h.length;
    }
    memmove(R.in_buf, R.in_buf + off, R.in_len - off);
    R.in_len -= off;
}

/* The status of the SNAPSHOT_REPLY for `request_id` if it has arrived, else -1 (a reply to another id is dropped). */
static int take_reply(unsigned request_id) {
    if (!R.reply_ready)
        return -1;
    R.reply_ready = 0;
    return R.reply_id == request_id ? (int)R.reply_status : -1;
}

enum wake { WAKE_DEADLINE, WAKE_SCHED_ENDED, WAKE_REPLY, WAKE_PLAN };

/*
 * Forwards output and watches the scheduler until `deadline_ms`, the scheduler's end (unless we asked for it), the
 * reply to `request_id` (0 = not waiting), or, while a step's workload runs, a new plan from the host. *reply receives
 * the reply's status.
 */
static enum wake service(long long deadline_ms, unsigned request_id, int *reply) {
    long long next_state_check = 0, next_cpu_sample = 0;
    for (;;) {
        long long now = ffa_now_ms();
        if (now >= deadline_ms)
            return WAKE_DEADLINE;
        struct pollfd fds[4];
        int n = 0;
        int i_out = -1, i_err = -1, i_kmsg = -1;
        if (R.sched_out >= 0) { i_out = n; fds[n++] = (struct pollfd){.fd = R.sched_out, .events = POLLIN}; }
        if (R.sched_err >= 0) { i_err = n; fds[n++] = (struct pollfd){.fd = R.sched_err, .events = POLLIN}; }
        if (R.kmsg >= 0) { i_kmsg = n; fds[n++] = (struct pollfd){.fd = R.kmsg, .events = POLLIN}; }
        /* the ring has no file descriptor: poll it between short waits */
        long long wait = deadline_ms - now;
        if (wait > 10)
            wait = 10;
        if (poll(fds, (nfds_t)n, (int)wait) > 0) {
            if (i_out >= 0 && fds[i_out].revents)
                drain_fd(&R.sched_out, FFWIRE_MSG_STDOUT);
            if (i_err >= 0 && fds[i_err].revents)
                drain_fd(&R.sched_err, FFWIRE_MSG_STDERR);
            if (i_kmsg >= 0 && fds[i_kmsg].revents) {
                char rec[2048];
                ssize_t got;
                while ((got = read(R.kmsg, rec, sizeof(rec) - 1)) > 0 || (got < 0 && errno == EPIPE)) {
                    if (got > 0) {
                        rec[got] = '\0';
                        on_kmsg_record(rec);
                    }
                }
            }
        }
        poll_host();
        if (R.replace_pending && step_running)
            return WAKE_PLAN;
        if (request_id) {
            int status = take_reply(request_id);
            if (status >= 0) {
                *reply = status;
                return WAKE_REPLY;
            }
        }
        if (step_running && running_work && ffa_now_ms() >= next_cpu_sample) {
            next_cpu_sample = ffa_now_ms() + FFA_CPU_SAMPLE_MS;
            ffa_work_sample_cpus(running_work);
        }
        if (ffa_now_ms() >= next_state_check) {
            next_state_check = ffa_now_ms() + 100;
            reap_children();
            if (!R.stop_requested && R.was_enabled && (!sched_state_enabled() || R.sched_reaped))
                return WAKE_SCHED_ENDED;
        }
    }
}

/* After the scheduler ended (or was asked to): collect its reason and status, then report SCHED_EXIT. */
static void finish_scheduler(void) {
    if (R.exit_reported)
        return;
    R.exit_reported = 1;
    long long deadline = ffa_now_ms() + STOP_TIMEOUT_MS;
    while (!R.sched_reaped && ffa_now_ms() < deadline) {
        int ignored;
        service(ffa_now_ms() + 100, 0, &ignored);
        reap_children();
    }
    if (!R.sched_reaped) {
        kill(R.sched, SIGKILL);
        waitpid(R.sched, &R.sched_status, 0);
        R.sched_reaped = 1;
    }
    /* the kernel's reason lines may trail the process's end a little */
    if (R.was_enabled && (!R.exit_reason_name[0] || (R.exit_kind >= 1024 && !R.exit_message[0]))) {
        int ignored;
        service(ffa_now_ms() + REASON_WAIT_MS, 0, &ignored);
    }
    while (R.sched_out >= 0 && drain_fd(&R.sched_out, FFWIRE_MSG_STDOUT) > 0)
        ;
    while (R.sched_err >= 0 && drain_fd(&R.sched_err, FFWIRE_MSG_STDERR) > 0)
        ;
    int code = WIFEXITED(R.sched_status) ? WEXITSTATUS(R.sched_status) : -WTERMSIG(R.sched_status);
    char reason[640];
    if (R.exit_message[0])
        snprintf(reason, sizeof(reason), "%s: %s", R.exit_reason_name, R.exit_message);
    else
        snprintf(reason, sizeof(reason), "%s", R.exit_reason_name);
    ffwire_send_sched_exit(&R.link.out, code, R.exit_kind, reason);
}

static pid_t start_scheduler(char *const argv[]) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        execv(argv[0], argv);
        dprintf(STDERR_FILENO, "cannot start %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    R.sched_out = out[0];
    R.sched_err = err[0];
    fcntl(R.sched_out, F_SETFL, O_NONBLOCK);
    fcntl(R.sched_err, F_SETFL, O_NONBLOCK);
    return pid;
}

/* The command line as one line of text (LIFECYCLE scheduler_starting's detail). */
static void command_line(char *const argv[], char *out, size_t size) {
    int off = snprintf(out, size, "%s", argv[0]);
    for (int i = 1; argv[i] && off < (int)size; i++)
        off += snprintf(out + off, size - (size_t)off, " %s", argv[i]);
}

/* Starts the scheduler and waits (bounded) until sched_ext enables it; fails the run in words if it does not. */
static void enable_scheduler(char *const argv[]) {
    char cmd[1024];
    command_line(argv, cmd, sizeof(cmd));
    send_lifecycle(FFWIRE_PHASE_SCHEDULER_STARTING, cmd);
    R.sched = start_scheduler(argv);
    if (R.sched < 0)
        fail_and_power_off(3, "cannot start the scheduler process");
    long long deadline = ffa_now_ms() + P.enable_timeout_ms;
    while (!sched_state_enabled()) {
        int ignored;
        service(ffa_now_ms() + 50, 0, &ignored);
        reap_children();
        if (R.sched_reaped || ffa_now_ms() >= deadline) {
            if (!R.sched_reaped)
                kill(R.sched, SIGKILL);
            finish_scheduler();
            fail_and_power_off(3, R.sched_reaped ? "the scheduler exited before sched_ext enabled it"
                                                 : "sched_ext did not enable the scheduler in time");
        }
    }
    R.was_enabled = 1;
    char ops[128] = "";
    ffa_read_text(OPS_PATH, ops, sizeof(ops));
    send_lifecycle(FFWIRE_PHASE_SCHEDULER_ENABLED, ops);
}

/* Forgets the scheduler that ended, so the next one is watched afresh. */
static void reset_scheduler_state(void) {
    R.sched = -1;
    R.sched_reaped = R.sched_status = 0;
    R.was_enabled = R.stop_requested = R.exit_reported = 0;
    R.exit_kind = 0;
    R.exit_reason_name[0] = R.exit_message[0] = '\0';
    if (R.sched_out >= 0)
        close(R.sched_out);
    if (R.sched_err >= 0)
        close(R.sched_err);
    R.sched_out = R.sched_err = -1;
}

/*
 * Swaps the scheduler: SIGINT to the running one, its SCHED_EXIT, sched_ext disabled, then the new one started and
 * enabled. Returns 1 if the old scheduler had already ended on its own, or errored while it stopped (the run ends
 * there: the host's verdict names that scheduler), else 0.
 */
static int do_swap(const struct command *next) {
    char cmd[1024];
    command_line(next->args, cmd, sizeof(cmd));
    reap_children();
    if (R.sched_reaped || !sched_state_enabled())
        return 1; /* it ended on its own: that is the story, not the swap */
    send_lifecycle(FFWIRE_PHASE_SCHEDULER_SWAPPING, cmd);
    R.stop_requested = 1;
    kill(R.sched, SIGINT);
    finish_scheduler();
    if (R.exit_kind >= 1024)
        return 1;
    long long deadline = ffa_now_ms() + STOP_TIMEOUT_MS;
    char state[32] = "";
    while ((ffa_read_text(STATE_PATH, state, sizeof(state)) <= 0 || strcmp(state, "disabled") != 0)
           && ffa_now_ms() < deadline) {
        int ignored;
        service(ffa_now_ms() + 20, 0, &ignored);
    }
    if (strcmp(state, "disabled") != 0)
        fail_and_power_off(3, "sched_ext did not disable the scheduler being swapped out within 10 s");
    reset_scheduler_state();
    enable_scheduler(next->args);
    return 0;
}

static void do_fault(const char *fault) {
    if (strcmp(fault, "kernel_panic") == 0) {
        ffa_write_text("/proc/sys/kernel/sysrq", "1");
        ffa_write_text("/proc/sysrq-trigger", "c");
    } else if (strcmp(fault, "agent_hang") == 0) {
        /* a wedged guest: nothing more reaches the host; only its watchdog can end the run */
        for (;;)
            pause();
    }
}

/* Asks the host for a snapshot and waits for the answer while the guest keeps running. */
static void do_capture(const char *tag) {
    unsigned id = ++R.next_request;
    ffwire_send_snapshot_request(&R.link.out, id, 1, tag);
    int status = -1;
    enum wake w = service(ffa_now_ms() + REPLY_TIMEOUT_MS, id, &status);
    char text[16];
    snprintf(text, sizeof(text), "%d", status);
    ffa_event("capture", "tag", tag, "status", w == WAKE_REPLY ? text : "no-reply", (const char *)NULL);
}

/* Creates the scenario's cgroups with their first settings (before the scheduler starts, so it sees them at init). */
static void setup_cgroups(void) {
    if (P.ncgroups == 0)
        return;
    int rc = ffa_cgroup_mount();
    for (int i = 0; rc == 0 && i < P.ncgroups; i++) {
        struct cgroup_line *c = &P.cgroups[i];
        rc = ffa_cgroup_create(c->index, c->parent, c->name);
        if (rc == 0)
            rc = ffa_cgroup_set(c->index, c->weight, c->cpu_max, c->cpus);
    }
    if (rc != 0)
        fail_and_power_off(2, ffa_cgroup_failure());
    ffa_event("cgroups", "count", P.ncgroups == 1 ? "1" : "several", (const char *)NULL);
}

/* A cgroup change: "IDX WEIGHT CPU_MAX CPUS" or a move: "FROM TO". Fails the run in words if the kernel refuses. */
static void do_cgroup_action(struct ffa_work *work, const struct action *a) {
    int rc;
    if (a->kind == 's') {
        int index = 0, weight = 0;
        char cpu_max[32] = "-", cpus[64] = "-";
        rc = sscanf(a->arg, "%d %d %31s %63s", &index, &weight, cpu_max, cpus) == 4
                 ? ffa_work_cgroup_set(work, index, weight, cpu_max, cpus) : -1;
    } else {
        int from = 0, to = 0;
        rc = sscanf(a->arg, "%d %d", &from, &to) == 2 ? ffa_work_move(work, from, to) : -1;
    }
    if (rc != 0) {
        ffa_work_stop(work);
        fail_and_power_off(2, ffa_cgroup_failure()[0] ? ffa_cgroup_failure() : "unreadable cgroup action in the plan");
    }
}

/* Returns 1 if the scheduler ended (a swap found it gone, or it errored while being swapped out), else 0. */
static int do_action(struct ffa_work *work, const struct action *a) {
    if (a->kind == 'c')
        do_capture(a->arg);
    else if (a->kind == 'f')
        do_fault(a->arg);
    else if (a->kind == 'w')
        return do_swap(&P.swaps[atoi(a->arg)]);
    else
        do_cgroup_action(work, a);
    return 0;
}

/* Starts the step's workloads, each placed as the plan says, and waits until every process has placed itself. */
static void start_work(struct ffa_work *work, const struct step *st) {
    char why[160] = "cannot start the workload processes";
    int rc = ffa_work_begin(work);
    for (int i = 0; rc == 0 && i < st->nwork; i++)
        rc = ffa_work_add(work, st->work[i].kind, &st->work[i].counts, &st->work[i].at);
    if (rc == 0)
        rc = ffa_work_ready(work, why, sizeof(why));
    if (rc != 0) {
        ffa_work_stop(work);
        fail_and_power_off(2, why);
    }
}

enum step_end { STEP_DONE, STEP_SCHED_ENDED, STEP_REPLACED };

/* Runs one step: its actions, its workload for its duration. A new plan from the host cuts it short. */
static enum step_end run_step(const struct step *st) {
    ffwire_send_step(&R.link.out, (uint32_t)st->index, st->name);
    struct ffa_work work = {0};
    for (int a = 0; a < st->nactions; a++)
        if (st->actions[a].at_ms == 0 && do_action(&work, &st->actions[a]))
            return STEP_SCHED_ENDED;
    poll_host();
    if (R.replace_pending)
        return STEP_REPLACED; /* e.g. a fork from this step's own capture: its workload never starts */
    start_work(&work, st);
    running_work = &work;
    step_running = 1;
    long long started = ffa_now_ms();
    int ignored;
    enum wake w = WAKE_DEADLINE;
    /* actions during the workload, in the order of their time (the plan lists them so) */
    for (int a = 0; a < st->nactions && w == WAKE_DEADLINE; a++) {
        if (st->actions[a].at_ms == 0)
            continue;
        w = service(started + st->actions[a].at_ms, 0, &ignored);
        if (w == WAKE_DEADLINE)
            do_action(&work, &st->actions[a]);
    }
    if (w == WAKE_DEADLINE)
        w = service(started + st->duration_ms, 0, &ignored);
    if (w != WAKE_PLAN && work.n > 0)
        ffa_metrics_send(&R.link.out, (uint32_t)st->index, &work); /* read while the workers still run */
    ffa_work_report_exec(&work, &R.link.out, st->index);
    step_running = 0;
    running_work = NULL;
    ffa_work_stop(&work);
    return w == WAKE_SCHED_ENDED ? STEP_SCHED_ENDED : w == WAKE_PLAN ? STEP_REPLACED : STEP_DONE;
}

/* A fork's new plan (PLAN_UPDATE REPLACE) becomes the plan in force; its steps run from the first. */
static void take_new_plan(void) {
    R.replace_pending = 0;
    size_t len = strlen(R.update_text);
    int fd = open(plan_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int written = fd >= 0 && write(fd, R.update_text, len) == (ssize_t)len;
    if (fd >= 0)
        close(fd);
    memset(&P, 0, sizeof(P)); /* the running scheduler's argv stays valid: parse_plan's strings are never freed */
    if (!written || parse_plan(plan_path) != 0)
        fail_and_power_off(2, "the fork's new plan could not be read");
    send_lifecycle(FFWIRE_PHASE_PLAN_REPLACED, P.scenario);
}

/* Runs the steps; returns 1 if the scheduler ended on its own during them. */
static int run_steps(void) {
    send_lifecycle(FFWIRE_PHASE_SCENARIO_STARTED, NULL);
    for (int s = 0;; s++) {
        poll_host();
        if (R.replace_pending) {
            take_new_plan();
            s = -1;
            continue;
        }
        if (s >= P.nsteps)
            break;
        if (run_step(&P.steps[s]) == STEP_SCHED_ENDED)
            return 1;
    }
    send_lifecycle(FFWIRE_PHASE_SCENARIO_FINISHED, NULL);
    return 0;
}

void ffa_run_plan(const char *path) {
    plan_path = path;
    if (parse_plan(path) != 0) {
        ffa_event("run-failed", "reason", "unreadable plan", (const char *)NULL);
        ffa_power_off();
    }
    if (ffa_link_open(&R.link) != 0) {
        ffa_event("run-failed", "reason", "no data channel", "errno", strerror(errno), (const char *)NULL);
        ffa_power_off();
    }
    R.sched = -1;
    R.sched_out = R.sched_err = -1;
    R.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (R.kmsg >= 0)
        lseek(R.kmsg, 0, SEEK_END); /* only what happens from now on */

    ffwire_send_sys_rdy(&R.link.out);
    ffa_send_kernel_btf(&R.link.out); /* before the symbols: captures wait for the symbols, so the types are there */
    send_kernel_symbols();

    setup_cgroups();
    /* per-program run counts and times (bpf_prog->stats), which snapshots read for each struct_ops callback; a kernel
     * without the sysctl leaves them zero and the host says why */
    if (ffa_write_text("/proc/sys/kernel/bpf_stats_enabled", "1") != 0)
        ffa_event("bpf-stats-unavailable", "errno", strerror(errno), (const char *)NULL);
    char *argv[MAX_ARGS + 1];
    argv[0] = P.sched_path;
    for (int i = 0; i < P.nargs; i++)
        argv[i + 1] = P.sched_args[i];
    argv[P.nargs + 1] = NULL;
    enable_scheduler(argv);

    int ended_early = run_steps();
    if (!ended_early) {
        send_lifecycle(FFWIRE_PHASE_SCHEDULER_STOPPING, NULL);
        R.stop_requested = 1;
        kill(R.sched, SIGINT);
    }
    finish_scheduler();
    send_lifecycle(FFWIRE_PHASE_POWERING_OFF, NULL);
    ffwire_send_exit(&R.link.out, 0, "");
    ffa_link_close(&R.link);
    ffa_power_off();
}
