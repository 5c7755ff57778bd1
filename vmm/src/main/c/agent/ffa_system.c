#include "ffa.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

static void mount_one(const char *source, const char *target, const char *type) {
    mkdir(target, 0755);
    if (mount(source, target, type, 0, NULL) != 0 && errno != EBUSY)
        ffa_log("mount %s on %s failed: %s", type, target, strerror(errno));
}

void ffa_mount_basics(void) {
    mount_one("proc", "/proc", "proc");
    mount_one("sysfs", "/sys", "sysfs");
    mount_one("devtmpfs", "/dev", "devtmpfs");
    mount_one("tmpfs", "/tmp", "tmpfs");
    mount_one("tmpfs", "/run", "tmpfs");
    mount_one("tracefs", "/sys/kernel/tracing", "tracefs");
}

/* Kernel messages are written to the serial port synchronously and can land inside one of our lines; keep the
 * console to emergencies while the agent talks (ff.kmsg=console keeps them) and report what matters from /dev/kmsg. */
void ffa_quiet_console(void) {
    char value[32];
    if (ffa_cmdline_value("ff.kmsg", value, sizeof(value)) && strcmp(value, "console") == 0)
        return;
    klogctl(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 1);
}

/* Counts a cpulist such as "0-1,4". */
static int count_cpulist(const char *list) {
    int count = 0;
    const char *p = list;
    while (*p) {
        char *end;
        long first = strtol(p, &end, 10);
        if (end == p)
            break;
        long last = first;
        if (*end == '-')
            last = strtol(end + 1, &end, 10);
        count += (int)(last - first + 1);
        p = *end == ',' ? end + 1 : end;
        if (*end != ',')
            break;
    }
    return count;
}

int ffa_online_cpus(void) {
    char list[256];
    if (ffa_read_text("/sys/devices/system/cpu/online", list, sizeof(list)) < 0)
        return -1;
    return count_cpulist(list);
}

void ffa_report_boot(void) {
    struct utsname u;
    struct ffa_line l;
    char online[256] = "", state[64] = "", uptime[64] = "";
    uname(&u);
    ffa_read_text("/sys/devices/system/cpu/online", online, sizeof(online));
    ffa_read_text("/proc/uptime", uptime, sizeof(uptime));
    char *space = strchr(uptime, ' ');
    if (space)
        *space = '\0';

    ffa_line_begin(&l, "boot");
    ffa_line_str(&l, "kernel", u.release);
    ffa_line_str(&l, "machine", u.machine);
    ffa_line_str(&l, "cpus_online", online);
    ffa_line_int(&l, "ncpus", ffa_online_cpus());
    ffa_line_str(&l, "uptime_s", uptime);
    ffa_line_emit(&l);

    ffa_line_begin(&l, "sched_ext");
    if (ffa_exists("/sys/kernel/sched_ext")) {
        ffa_read_text("/sys/kernel/sched_ext/state", state, sizeof(state));
        ffa_line_str(&l, "present", "1");
        ffa_line_str(&l, "state", state);
    } else {
        ffa_line_str(&l, "present", "0");
    }
    ffa_line_emit(&l);
}

void ffa_power_off(void) {
    ffa_event("poweroff", (const char *)NULL);
    sync();
    /* Console output from user space is interrupt-driven; let the UART drain before the machine goes away. */
    tcdrain(STDOUT_FILENO);
    if (getpid() == 1) {
        reboot(RB_POWER_OFF);
        /* Still here: nothing more we can do; init must not exit. */
        for (;;)
            pause();
    }
    exit(0);
}
