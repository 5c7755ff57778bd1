/*
 * Freezeframe guest agent: the run dialogue with the host (a run's /run.d/plan, see AgentPlan.java for its format).
 *
 * ffa_link: the framed link to the host over the shared-memory channel: frames go straight into the guest -> host ring
 * through an ffwire.h sink; host -> guest bytes are polled from the other ring.
 *
 * ffa_work: the scenario workloads (CPU-bound workers, ping-pong pairs, fork/exit churn), each a child process.
 */
#ifndef FFA_RUN_H
#define FFA_RUN_H

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

enum ffa_work_kind { FFA_WORK_IDLE, FFA_WORK_CPU, FFA_WORK_PINGPONG, FFA_WORK_FORKEXIT, FFA_WORK_MIXED };

#define FFA_WORK_MAX_PIDS 256

struct ffa_work {
    pid_t pids[FFA_WORK_MAX_PIDS];
    int n;
};

/* Parses a plan's workload kind name; -1 if unknown. */
int ffa_work_kind(const char *name);
/* Starts the workload's processes. Returns 0, or -1 if a fork failed (the processes started are stopped). */
int ffa_work_start(struct ffa_work *w, int kind, int workers, int pairs, int forkers);
/* Kills and reaps every workload process. */
void ffa_work_stop(struct ffa_work *w);

/* ffa_kernel.c: KERNEL_BTF, the running kernel's release, build id and BTF (sent right after SYS_RDY). */
void ffa_send_kernel_btf(const struct ffwire_out *out);

/* Runs the plan at `path` with the host; never returns (powers off). */
void ffa_run_plan(const char *path) __attribute__((noreturn));

#endif
