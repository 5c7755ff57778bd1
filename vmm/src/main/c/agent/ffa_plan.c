/*
 * Receiving the run plan over the channel (kernel command line ff.plan=channel).
 *
 * A boot template is saved while the agent sits here, before any run-specific work: every run restored from it (and
 * the run that made it) gets its plan as one RUN_PLAN frame. The plan also carries what a restored guest must not
 * inherit from the template: the host's wall clock ("wall_clock_ns", CLOCK_MONOTONIC keeps running from the template
 * and is left alone) and fresh randomness ("seed", 32 bytes in hex, credited to the kernel's pool and the CRNG
 * reseeded, so no two runs share a random stream). A fork's guest, restored mid-run, gets the same facts in its
 * PLAN_UPDATE frame (ffa_run.c), applied by ffa_apply_host_facts.
 *
 * Files shipped with --include follow the plan, one INCLUDE_FILE frame each (zlib-compressed, size-capped by the
 * host), in the order of the plan's "include" lines; they are written to /run.d/include/NAME, executable.
 */
#define _GNU_SOURCE
#include "ffa.h"
#include "ffa_run.h"
#include "ffwire.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define PLAN_MAX FFA_PLAN_MAX

static uint8_t frame[FFWIRE_HEADER_SIZE + PLAN_MAX];

/* Reads exactly len host -> guest bytes, waiting as long as it takes (the host's run limit bounds a silent host). */
static int read_exactly(struct ffa_link *link, uint8_t *buf, size_t len) {
    size_t got = 0;
    while (got < len) {
        ssize_t n = ffchan_read(&link->chan, buf + got, len - got, 1000);
        if (n < 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

/* Skips len bytes of a frame we do not want. */
static int skip(struct ffa_link *link, size_t len) {
    uint8_t scratch[4096];
    while (len > 0) {
        size_t chunk = len < sizeof(scratch) ? len : sizeof(scratch);
        if (read_exactly(link, scratch, chunk) != 0)
            return -1;
        len -= chunk;
    }
    return 0;
}

/* The value of a "key value" line of the plan, or NULL. */
static const char *plan_value(const char *plan, const char *key, char *out, size_t size) {
    size_t klen = strlen(key);
    for (const char *line = plan; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
            const char *v = line + klen + 1;
            size_t n = strcspn(v, "\n");
            snprintf(out, size, "%.*s", (int)n, v);
            return out;
        }
    }
    return NULL;
}

static void set_wall_clock(const char *plan) {
    char v[32];
    if (!plan_value(plan, "wall_clock_ns", v, sizeof(v)))
        return;
    long long ns = atoll(v);
    struct timespec ts = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};
    if (clock_settime(CLOCK_REALTIME, &ts) != 0)
        ffa_event("plan-clock", "error", strerror(errno), (const char *)NULL);
}

static void reseed(const char *plan) {
    char hex[80];
    if (!plan_value(plan, "seed", hex, sizeof(hex)) || strlen(hex) != 64)
        return;
    struct {
        struct rand_pool_info info;
        uint8_t bytes[32];
    } pool;
    pool.info.entropy_count = 256;
    pool.info.buf_size = 32;
    for (int i = 0; i < 32; i++) {
        unsigned b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1)
            return;
        pool.bytes[i] = (uint8_t)b;
    }
    int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (ioctl(fd, RNDADDENTROPY, &pool) != 0 || ioctl(fd, RNDRESEEDCRNG) != 0)
        ffa_event("plan-seed", "error", strerror(errno), (const char *)NULL);
    close(fd);
}

void ffa_apply_host_facts(const char *plan) {
    set_wall_clock(plan);
    reseed(plan);
}

/* How many "include" lines the plan has. */
static int include_count(const char *plan) {
    int n = 0;
    for (const char *line = plan; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, "include ", 8) == 0)
            n++;
    return n;
}

/* One INCLUDE_FILE frame: u32 size | u16 name_len | name | zlib'd bytes -> FFA_INCLUDE_DIR/name. 0 or -1. */
static int receive_include(struct ffa_link *link) {
    struct ffwire_header h;
    uint8_t header[FFWIRE_HEADER_SIZE];
    if (read_exactly(link, header, sizeof(header)) != 0 || ffwire_read_header(header, &h) != 0
        || h.type != FFWIRE_MSG_INCLUDE_FILE || h.length < 6)
        return -1;
    uint8_t *payload = malloc(h.length);
    if (!payload || read_exactly(link, payload, h.length) != 0 || ffwire_crc32(payload, h.length) != h.crc32) {
        free(payload);
        return -1;
    }
    uint32_t size = ffwire_get_u32(payload);
    uint16_t name_len = (uint16_t)(payload[4] | payload[5] << 8);
    int rc = -1;
    uLongf out_len = size;
    uint8_t *out = malloc(size ? size : 1);
    char name[64];
    if (out && name_len > 0 && name_len < sizeof(name) && 6u + name_len <= h.length) {
        memcpy(name, payload + 6, name_len);
        name[name_len] = '\0';
        if (!strchr(name, '/') && uncompress(out, &out_len, payload + 6 + name_len, h.length - 6 - name_len) == Z_OK
            && out_len == size) {
            char target[128];
            snprintf(target, sizeof(target), "%s/%s", FFA_INCLUDE_DIR, name);
            int fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
            rc = fd >= 0 && write(fd, out, size) == (ssize_t)size ? 0 : -1;
            if (fd >= 0)
                close(fd);
            ffa_event("include", "name", name, "result", rc == 0 ? "written" : strerror(errno), (const char *)NULL);
        }
    }
    free(out);
    free(payload);
    return rc;
}

int ffa_receive_plan(const char *path) {
    struct ffa_link link;
    if (ffa_link_open(&link) != 0) {
        ffa_event("run-failed", "reason", "no data channel", "errno", strerror(errno), (const char *)NULL);
        return -1;
    }
    ffa_event("plan-wait", (const char *)NULL);
    struct ffwire_header h;
    for (;;) {
        if (read_exactly(&link, frame, FFWIRE_HEADER_SIZE) != 0 || ffwire_read_header(frame, &h) != 0)
            goto corrupt;
        if (h.type == FFWIRE_MSG_RUN_PLAN && h.length <= PLAN_MAX - 1)
            break;
        if (skip(&link, h.length) != 0) /* nothing else is expected before the plan */
            goto corrupt;
    }
    uint8_t *payload = frame + FFWIRE_HEADER_SIZE;
    if (read_exactly(&link, payload, h.length) != 0 || ffwire_crc32(payload, h.length) != h.crc32)
        goto corrupt;
    payload[h.length] = '\0';
    mkdir("/run.d", 0755);
    mkdir(FFA_INCLUDE_DIR, 0755);
    for (int i = include_count((const char *)payload); i > 0; i--) {
        if (receive_include(&link) != 0) {
            ffa_event("run-failed", "reason", "a file shipped with --include did not arrive intact", (const char *)NULL);
            ffa_link_close(&link);
            return -1;
        }
    }
    ffa_link_close(&link);

    ffa_apply_host_facts((const char *)payload);
    mkdir("/run.d", 0755);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, payload, h.length) != (ssize_t)h.length) {
        ffa_event("run-failed", "reason", "cannot write the plan", "errno", strerror(errno), (const char *)NULL);
        return -1;
    }
    close(fd);
    char bytes[16];
    snprintf(bytes, sizeof(bytes), "%u", h.length);
    ffa_event("plan", "source", "channel", "bytes", bytes, (const char *)NULL);
    return 0;

corrupt:
    ffa_event("run-failed", "reason", "the host sent no readable plan", (const char *)NULL);
    ffa_link_close(&link);
    return -1;
}
