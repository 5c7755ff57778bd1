/*
 * Freezeframe guest agent: the guest's /init.
 *
 * Mounts the pseudo file systems, reports what the kernel offers (version, CPUs, sched_ext), with ff.plan=channel
 * waits for the run plan from the host (ffa_plan.c), runs the plan (ffa_run.c) or else the command list
 * of the per-run archive (/run.d/commands, or the file named by ff.commands= on the kernel command line) and
 * powers the machine off. One command per line; '#' starts a comment. A line is either an agent built-in
 * ("sched-check SECONDS BINARY [ARGS...]") or a busybox shell command line.
 */
#include "ffa.h"
#include "ffa_run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_COMMANDS "/run.d/commands"
#define RUN_PLAN "/run.d/plan"
#define MAX_ARGS 64

static int split_words(char *line, char **argv, int max) {
    int argc = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " \t", &save); w && argc < max - 1; w = strtok_r(NULL, " \t", &save))
        argv[argc++] = w;
    argv[argc] = NULL;
    return argc;
}

int ffa_run_command_line(char *line, int index) {
    struct ffa_line l;
    char copy[4096];
    snprintf(copy, sizeof(copy), "%s", line);
    ffa_line_begin(&l, "cmd-start");
    ffa_line_int(&l, "n", index);
    ffa_line_str(&l, "cmd", line);
    ffa_line_emit(&l);
    long long t0 = ffa_now_ms();

    int rc;
    char *argv[MAX_ARGS];
    int argc = split_words(copy, argv, MAX_ARGS);
    if (argc > 0 && strcmp(argv[0], "sched-check") == 0) {
        rc = ffa_sched_check(argc, argv);
    } else {
        char *sh[] = {"/bin/sh", "-c", line, NULL};
        pid_t pid = ffa_spawn(sh, NULL);
        int status = 0;
        waitpid(pid, &status, 0);
        rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    ffa_line_begin(&l, "cmd-end");
    ffa_line_int(&l, "n", index);
    ffa_line_int(&l, "rc", rc);
    ffa_line_int(&l, "ms", ffa_now_ms() - t0);
    ffa_line_emit(&l);
    return rc;
}

static int run_commands(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        ffa_event("commands", "path", path, "found", "0", (const char *)NULL);
        return 0;
    }
    ffa_event("commands", "path", path, "found", "1", (const char *)NULL);
    char line[4096];
    int index = 0, failed = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (ffa_run_command_line(p, ++index) != 0)
            failed++;
    }
    fclose(f);
    return failed;
}

int main(void) {
    setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
    setenv("HOME", "/root", 1);
    /* stdout is the serial console: line buffering would still split long lines, so the helpers write(2) directly. */
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);

    /* Outside a guest (a developer trying the binary) touch nothing system-wide. */
    int as_init = getpid() == 1;
    if (as_init) {
        ffa_mount_basics();
        ffa_quiet_console();
    }
    ffa_event("agent", "version", FFA_VERSION, (const char *)NULL);
    ffa_report_boot();

    /* Booting for a template: the plan comes over the channel, after the host may have saved the guest here. */
    char plan_source[16] = "";
    if (ffa_cmdline_value("ff.plan", plan_source, sizeof(plan_source)) && strcmp(plan_source, "channel") == 0) {
        if (ffa_receive_plan(RUN_PLAN) != 0)
            ffa_power_off();
        ffa_report_boot(); /* again: a guest restored from a template has not printed it in this run */
    }

    /* A run's plan means the full dialogue with the host; otherwise the command list (kit self-tests). */
    if (ffa_exists(RUN_PLAN))
        ffa_run_plan(RUN_PLAN);

    char path[512] = DEFAULT_COMMANDS;
    ffa_cmdline_value("ff.commands", path, sizeof(path));
    int failed = run_commands(path);

    char failed_text[16];
    snprintf(failed_text, sizeof(failed_text), "%d", failed);
    ffa_event("done", "failed", failed_text, (const char *)NULL);
    ffa_power_off();
}
