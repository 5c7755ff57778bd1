/* A flooding "scheduler" for GuestFloodIT: root in the guest, it writes one enormous stdout line (LONG_LINE bytes, no
 * newline until the end), a burst of short lines on stdout and a long stderr line, then execs the kit's scx_simple so
 * the run goes on with a real scheduler. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LONG_LINE 200000
#define BURST 3000

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(void) {
    static char line[LONG_LINE];
    memset(line, 'x', sizeof(line));
    line[0] = '<';
    line[sizeof(line) - 1] = '>';
    /* in pieces, as a program printing a long line does: the host sees it arrive without its newline for a while */
    for (size_t at = 0; at < sizeof(line); at += 1000)
        if (write_all(STDOUT_FILENO, line + at, 1000) != 0)
            return 2;
    if (write_all(STDOUT_FILENO, "\n", 1) != 0)
        return 2;
    for (int i = 0; i < BURST; i++)
        printf("burst %04d\n", i);
    fflush(stdout);
    memset(line, 'e', 100000);
    if (write_all(STDERR_FILENO, line, 100000) != 0 || write_all(STDERR_FILENO, "\n", 1) != 0)
        return 2;
    char *sched[] = {"/usr/bin/scx_simple", NULL};
    execv(sched[0], sched);
    perror("execv /usr/bin/scx_simple");
    return 127;
}
