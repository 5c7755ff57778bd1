/* ffchan.c — guest end of the shared-memory data channel; see ffchan.h for the layout and rules. */
#include "ffchan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SPINS 64
#define FIRST_SLEEP_NS 20000L
#define MAX_SLEEP_NS 1000000L

static inline uint64_t load_acquire64(const uint8_t *p) {
    return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
}

static inline void store_release64(uint8_t *p, uint64_t v) {
    __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELEASE);
}

static inline uint32_t load32(const uint8_t *p) {
    return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE);
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waiting strategy shared by both directions: spin briefly for back-to-back traffic, then sleep up to 1 ms. */
struct backoff {
    int spins;
    long sleep_ns;
};

static void backoff_pause(struct backoff *b) {
    if (b->spins < SPINS) {
        b->spins++;
        __builtin_ia32_pause();
        return;
    }
    b->sleep_ns = b->sleep_ns == 0 ? FIRST_SLEEP_NS : (b->sleep_ns * 2 > MAX_SLEEP_NS ? MAX_SLEEP_NS : b->sleep_ns * 2);
    struct timespec ts = {0, b->sleep_ns};
    nanosleep(&ts, NULL);
}

static int deadline_passed(long long deadline) {
    return deadline >= 0 && now_ms() >= deadline;
}

static int is_pow2(uint64_t v) {
    return v != 0 && (v & (v - 1)) == 0;
}

int ffchan_open_at(struct ffchan *ch, const char *path, off_t offset, size_t size) {
    memset(ch, 0, sizeof(*ch));
    if (size < 0x2000) {
        errno = EINVAL;
        return -1;
    }
    /* No O_SYNC: the window is reserved RAM, so a write-back mapping is both allowed and much faster. */
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
    int saved = errno;
    close(fd);
    if (map == MAP_FAILED) {
        errno = saved;
        return -1;
    }
    uint8_t *w = map;
    uint32_t hdr = load32(w + FFCHAN_OFF_HEADER_BYTES);
    uint32_t g2h_off = load32(w + FFCHAN_OFF_G2H_OFFSET), g2h_size = load32(w + FFCHAN_OFF_G2H_SIZE);
    uint32_t h2g_off = load32(w + FFCHAN_OFF_H2G_OFFSET), h2g_size = load32(w + FFCHAN_OFF_H2G_SIZE);
    int valid = load_acquire64(w + FFCHAN_OFF_MAGIC) == FFCHAN_MAGIC && load32(w + FFCHAN_OFF_VERSION) == FFCHAN_VERSION
                && hdr >= 0x104 && is_pow2(g2h_size) && is_pow2(h2g_size) && g2h_off >= hdr && h2g_off >= hdr
                && (uint64_t)g2h_off + g2h_size <= size && (uint64_t)h2g_off + h2g_size <= size
                && ((uint64_t)g2h_off + g2h_size <= h2g_off || (uint64_t)h2g_off + h2g_size <= g2h_off);
    if (!valid) {
        munmap(map, size);
        errno = EPROTO;
        return -1;
    }
    ch->window = w;
    ch->window_len = size;
    ch->g2h = w + g2h_off;
    ch->g2h_size = g2h_size;
    ch->h2g = w + h2g_off;
    ch->h2g_size = h2g_size;
    /* Resume where a previous attachment stopped (e.g. a restarted agent) rather than at 0. */
    ch->g2h_head = load_acquire64(w + FFCHAN_OFF_G2H_HEAD);
    ch->h2g_tail = load_acquire64(w + FFCHAN_OFF_H2G_TAIL);
    __atomic_store_n((uint32_t *)(w + FFCHAN_OFF_GUEST_STATE), FFCHAN_GUEST_ATTACHED, __ATOMIC_RELEASE);
    return 0;
}

int ffchan_open(struct ffchan *ch) {
    char cmdline[4096];
    int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);
    close(fd);
    if (n < 0)
        return -1;
    cmdline[n] = '\0';
    const char *key = FFCHAN_CMDLINE_KEY "=";
    for (char *w = cmdline; (w = strstr(w, key)) != NULL; w++) {
        if (w != cmdline && w[-1] != ' ')
            continue;
        unsigned long long addr, size;
        if (sscanf(w + strlen(key), "%llx,%llx", &addr, &size) == 2)
            return ffchan_open_at(ch, "/dev/mem", (off_t)addr, (size_t)size);
    }
    errno = ENOENT;
    return -1;
}

/* Free space in g2h, or -1 if the host's tail is impossible. */
static int64_t g2h_free(struct ffchan *ch) {
    uint64_t tail = load_acquire64(ch->window + FFCHAN_OFF_G2H_TAIL);
    uint64_t used = ch->g2h_head - tail;
    if (used > ch->g2h_size)
        return -1;
    return (int64_t)(ch->g2h_size - used);
}

static void g2h_copy_in(struct ffchan *ch, const uint8_t *src, size_t count) {
    uint64_t pos = ch->g2h_head & (ch->g2h_size - 1);
    size_t first = count < ch->g2h_size - pos ? count : (size_t)(ch->g2h_size - pos);
    memcpy(ch->g2h + pos, src, first);
    memcpy(ch->g2h, src + first, count - first);
    ch->g2h_head += count;
}

ssize_t ffchan_writev(struct ffchan *ch, const struct iovec *iov, int iovcnt, int timeout_ms) {
    long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    size_t total = 0;
    struct backoff b = {0, 0};
    for (int i = 0; i < iovcnt; i++) {
        const uint8_t *src = iov[i].iov_base;
        size_t left = iov[i].iov_len;
        while (left > 0) {
            int64_t free_bytes = g2h_free(ch);
            if (free_bytes < 0) {
                errno = EPROTO;
                return -1;
            }
            if (free_bytes == 0) {
                if (deadline_passed(deadline))
                    return (ssize_t)total;
                backoff_pause(&b);
                continue;
            }
            size_t count = left < (size_t)free_bytes ? left : (size_t)free_bytes;
            g2h_copy_in(ch, src, count);
            /* Publish every chunk: the host drains while we copy the next one. */
            store_release64(ch->window + FFCHAN_OFF_G2H_HEAD, ch->g2h_head);
            src += count;
            left -= count;
            total += count;
            b.spins = 0;
            b.sleep_ns = 0;
        }
    }
    return (ssize_t)total;
}

ssize_t ffchan_write(struct ffchan *ch, const void *buf, size_t len, int timeout_ms) {
    struct iovec iov = {(void *)buf, len};
    return ffchan_writev(ch, &iov, 1, timeout_ms);
}

ssize_t ffchan_read(struct ffchan *ch, void *buf, size_t len, int timeout_ms) {
    long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    struct backoff b = {0, 0};
    for (;;) {
        uint64_t head = load_acquire64(ch->window + FFCHAN_OFF_H2G_HEAD);
        uint64_t avail = head - ch->h2g_tail;
        if (avail > ch->h2g_size) {
            errno = EPROTO;
            return -1;
        }
        if (avail > 0 && len > 0) {
            size_t count = len < avail ? len : (size_t)avail;
            uint64_t pos = ch->h2g_tail & (ch->h2g_size - 1);
            size_t first = count < ch->h2g_size - pos ? count : (size_t)(ch->h2g_size - pos);
            memcpy(buf, ch->h2g + pos, first);
            memcpy((uint8_t *)buf + first, ch->h2g, count - first);
            ch->h2g_tail += count;
            store_release64(ch->window + FFCHAN_OFF_H2G_TAIL, ch->h2g_tail);
            return (ssize_t)count;
        }
        if (timeout_ms == 0 || deadline_passed(deadline))
            return 0;
        backoff_pause(&b);
    }
}

void ffchan_close(struct ffchan *ch) {
    if (ch->window) {
        __atomic_store_n((uint32_t *)(ch->window + FFCHAN_OFF_GUEST_STATE), 0, __ATOMIC_RELEASE);
        munmap(ch->window, ch->window_len);
    }
    memset(ch, 0, sizeof(*ch));
}
