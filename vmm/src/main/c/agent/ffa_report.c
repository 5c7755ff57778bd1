#include "ffa.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void append_raw(struct ffa_line *l, const char *s, size_t n) {
    size_t room = sizeof(l->buf) - 2 - l->len; /* keep space for '\n' and NUL */
    if (n > room)
        n = room;
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void append_escaped(struct ffa_line *l, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= ' ' || c >= 0x7f || c == '=' || c == '%') {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            append_raw(l, e, 3);
        } else {
            append_raw(l, (const char *)&c, 1);
        }
    }
}

void ffa_line_begin(struct ffa_line *l, const char *event) {
    l->len = 0;
    append_raw(l, FFA_PREFIX " ", strlen(FFA_PREFIX) + 1);
    append_raw(l, event, strlen(event));
}

void ffa_line_str(struct ffa_line *l, const char *key, const char *value) {
    append_raw(l, " ", 1);
    append_raw(l, key, strlen(key));
    append_raw(l, "=", 1);
    append_escaped(l, value ? value : "");
}

void ffa_line_int(struct ffa_line *l, const char *key, long long value) {
    char num[32];
    snprintf(num, sizeof(num), "%lld", value);
    ffa_line_str(l, key, num);
}

/* One write(2) per line: the console is shared with the schedulers we start, so a line must not be split. */
void ffa_line_emit(struct ffa_line *l) {
    l->buf[l->len++] = '\n';
    const char *p = l->buf;
    size_t left = l->len;
    while (left > 0) {
        ssize_t n = write(STDOUT_FILENO, p, left);
        if (n <= 0)
            break;
        p += n;
        left -= (size_t)n;
    }
    l->len = 0;
}

void ffa_event(const char *event, ...) {
    struct ffa_line l;
    va_list ap;
    ffa_line_begin(&l, event);
    va_start(ap, event);
    for (;;) {
        const char *key = va_arg(ap, const char *);
        if (!key)
            break;
        ffa_line_str(&l, key, va_arg(ap, const char *));
    }
    va_end(ap);
    ffa_line_emit(&l);
}

void ffa_log(const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ffa_event("log", "msg", msg, (const char *)NULL);
}
