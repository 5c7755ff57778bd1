/*
 * Freezeframe guest agent: shared helpers.
 *
 * The agent is the guest's /init. Everything it tells the host goes out as one line per fact:
 *   FFAGENT <event> key=value key=value ...
 * Values are escaped (%XX for space, '=', '%' and non-printables) so a line always splits on spaces and '='.
 * The next protocol step (framed binary dialogue over a data channel) replaces the transport, not these helpers'
 * callers: keep event names and keys stable.
 */
#ifndef FFA_H
#define FFA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FFA_PREFIX "FFAGENT"

/* ffa_report.c: structured console output */
struct ffa_line {
    char buf[4096];
    size_t len;
};
void ffa_line_begin(struct ffa_line *l, const char *event);
void ffa_line_str(struct ffa_line *l, const char *key, const char *value);
void ffa_line_int(struct ffa_line *l, const char *key, long long value);
void ffa_line_emit(struct ffa_line *l);
/* one-shot convenience: ffa_event("boot", "kernel", "7.3", "cpus", "0-1", NULL) */
void ffa_event(const char *event, ...);
void ffa_log(const char *fmt, ...);

/* ffa_util.c */
long long ffa_now_ms(void);
void ffa_sleep_ms(long ms);
/* Reads a small text file, strips the trailing newline. Returns length or -1. */
ssize_t ffa_read_text(const char *path, char *buf, size_t size);
int ffa_write_text(const char *path, const char *text);
int ffa_exists(const char *path);
int ffa_cmdline_value(const char *key, char *out, size_t size);

/* ffa_system.c */
void ffa_mount_basics(void);
void ffa_quiet_console(void);
int ffa_online_cpus(void);
void ffa_report_boot(void);
void ffa_power_off(void) __attribute__((noreturn));

/* ffa_proc.c */
pid_t ffa_spawn(char *const argv[], const char *out_path);
/* Waits up to timeout_ms; returns 1 and sets *status when the child ended, 0 on timeout. */
int ffa_wait_timeout(pid_t pid, int *status, long timeout_ms);
void ffa_describe_status(struct ffa_line *l, int status);

/* ffa_sched.c: the sched-check command */
int ffa_sched_check(int argc, char **argv);

/* agent.c */
int ffa_run_command_line(char *line, int index);

#endif
