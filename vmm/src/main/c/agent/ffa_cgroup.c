/*
 * Scenario cgroups (schema 2): a cgroup v2 tree under /sys/fs/cgroup/ff with the cpu and cpuset controllers enabled,
 * one directory per scenario cgroup, its cpu.weight, cpu.max and cpuset.cpus written from the plan. Workers join their
 * cgroup themselves (writing 0 to cgroup.procs) before they start working; moves write their pids to another one.
 * Every failure is reported in words naming the cgroup and the file, so a run never continues with the wrong tree.
 */
#define _GNU_SOURCE
#include "ffa.h"
#include "ffa_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP_TOP CGROUP_ROOT "/ff"
#define CONTROLLERS "+cpu +cpuset"

static struct {
    char name[64];
    char path[512];
} cgroups[FFA_MAX_CGROUPS + 1]; /* 1-based, as in the plan */
static int ncgroups;
static char failure[640];

const char *ffa_cgroup_failure(void) {
    return failure;
}

/* Writes text to a file; on failure records why (with the cgroup's name) and returns -1. */
static int write_file(const char *dir, const char *file, const char *text, const char *who) {
    char path[640];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    int err = 0;
    if (fd < 0) {
        err = errno;
    } else {
        if (write(fd, text, strlen(text)) < 0)
            err = errno;
        close(fd);
    }
    if (err) {
        snprintf(failure, sizeof(failure), "cannot write '%s' to %s of %s: %s", text, file, who, strerror(err));
        return -1;
    }
    return 0;
}

static int make_dir(const char *path, const char *who) {
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        snprintf(failure, sizeof(failure), "cannot create the cgroup %s (%s): %s", who, path, strerror(errno));
        return -1;
    }
    return 0;
}

int ffa_cgroup_mount(void) {
    char text[256] = "";
    mkdir(CGROUP_ROOT, 0755);
    if (ffa_read_text(CGROUP_ROOT "/cgroup.controllers", text, sizeof(text)) <= 0
        && mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL) != 0 && errno != EBUSY) {
        snprintf(failure, sizeof(failure), "cannot mount cgroup2 on " CGROUP_ROOT ": %s", strerror(errno));
        return -1;
    }
    if (ffa_read_text(CGROUP_ROOT "/cgroup.controllers", text, sizeof(text)) <= 0 || !strstr(text, "cpu")
        || !strstr(text, "cpuset")) {
        snprintf(failure, sizeof(failure), "the guest kernel offers the cgroup controllers '%s', not cpu and cpuset",
                 text);
        return -1;
    }
    if (write_file(CGROUP_ROOT, "cgroup.subtree_control", CONTROLLERS, "the root cgroup") != 0
        || make_dir(CGROUP_TOP, "ff") != 0 || write_file(CGROUP_TOP, "cgroup.subtree_control", CONTROLLERS, "ff") != 0)
        return -1;
    return 0;
}

int ffa_cgroup_create(int index, int parent, const char *name) {
    if (index != ncgroups + 1 || index > FFA_MAX_CGROUPS || parent < 0 || parent >= index) {
        snprintf(failure, sizeof(failure), "cgroup %s is out of order in the plan", name);
        return -1;
    }
    snprintf(cgroups[index].name, sizeof(cgroups[index].name), "%s", name);
    char parent_path[sizeof(cgroups[0].path)];
    snprintf(parent_path, sizeof(parent_path), "%s", parent ? cgroups[parent].path : CGROUP_TOP);
    snprintf(cgroups[index].path, sizeof(cgroups[index].path), "%.400s/%.63s", parent_path, name);
    ncgroups = index;
    if (make_dir(cgroups[index].path, name) != 0)
        return -1;
    /* a parent passes the controllers on only once a child needs them */
    if (parent && write_file(cgroups[parent].path, "cgroup.subtree_control", CONTROLLERS, cgroups[parent].name) != 0)
        return -1;
    return 0;
}

int ffa_cgroup_set(int index, int weight, const char *cpu_max, const char *cpus) {
    if (index < 1 || index > ncgroups) {
        snprintf(failure, sizeof(failure), "the plan names cgroup %d, which it did not create", index);
        return -1;
    }
    const char *dir = cgroups[index].path, *who = cgroups[index].name;
    char text[64];
    if (weight > 0) {
        snprintf(text, sizeof(text), "%d", weight);
        if (write_file(dir, "cpu.weight", text, who) != 0)
            return -1;
    }
    if (cpu_max && strcmp(cpu_max, "-") != 0) {
        snprintf(text, sizeof(text), "%s", cpu_max);
        char *slash = strchr(text, '/');
        if (slash)
            *slash = ' ';
        if (write_file(dir, "cpu.max", text, who) != 0)
            return -1;
    }
    if (cpus && strcmp(cpus, "-") != 0 && write_file(dir, "cpuset.cpus", cpus, who) != 0)
        return -1;
    return 0;
}

int ffa_cgroup_join(int index, pid_t pid) {
    if (index < 1 || index > ncgroups) {
        snprintf(failure, sizeof(failure), "no cgroup %d to join", index);
        return -1;
    }
    char text[24];
    snprintf(text, sizeof(text), "%d", (int)pid);
    return write_file(cgroups[index].path, "cgroup.procs", text, cgroups[index].name);
}

uint64_t ffa_cpulist_mask(const char *list) {
    uint64_t mask = 0;
    const char *p = list;
    while (*p >= '0' && *p <= '9') {
        char *end;
        long from = strtol(p, &end, 10), to = from;
        if (*end == '-')
            to = strtol(end + 1, &end, 10);
        for (long cpu = from; cpu <= to && cpu < 64; cpu++)
            mask |= 1ULL << cpu;
        p = *end == ',' ? end + 1 : end;
    }
    return mask;
}

uint64_t ffa_cgroup_cpus(int index) {
    if (index < 1 || index > ncgroups)
        return 0;
    char path[600], text[256];
    snprintf(path, sizeof(path), "%s/cpuset.cpus.effective", cgroups[index].path);
    return ffa_read_text(path, text, sizeof(text)) > 0 ? ffa_cpulist_mask(text) : 0;
}
