#include "ffa.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

long long ffa_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ffa_sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

ssize_t ffa_read_text(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    while (len + 1 < size) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        len--;
    buf[len] = '\0';
    return (ssize_t)len;
}

int ffa_write_text(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n < 0 ? -1 : 0;
}

int ffa_exists(const char *path) {
    return access(path, F_OK) == 0;
}

/* Finds key=value on /proc/cmdline (the kernel passes unknown key=value words to init's environment too, but
 * reading the file also sees words with dots, which the kernel keeps away from init). */
int ffa_cmdline_value(const char *key, char *out, size_t size) {
    char cmdline[4096];
    if (ffa_read_text("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
        return 0;
    size_t klen = strlen(key);
    char *save = NULL;
    for (char *w = strtok_r(cmdline, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (strncmp(w, key, klen) == 0 && w[klen] == '=') {
            strncpy(out, w + klen + 1, size - 1);
            out[size - 1] = '\0';
            return 1;
        }
    }
    return 0;
}
