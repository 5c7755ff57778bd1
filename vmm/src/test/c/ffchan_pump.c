/*
 * ffchan_pump — exercises the guest end of the data channel (../../main/c/agent/ffchan.c) for tests and benchmarks.
 *
 *   ffchan_pump send BYTES [--file PATH OFFSET SIZE]   write BYTES of the test pattern guest -> host
 *   ffchan_pump echo BYTES [--file PATH OFFSET SIZE]   read BYTES host -> guest and write them back
 *
 * Without --file it attaches like the agent does (ff.chan= on /proc/cmdline, /dev/mem). The pattern byte at stream
 * position i is pattern(i) below; FfchanPattern.java computes the same. Prints one line "FFCHAN-PUMP ..." at the end.
 */
#include "ffchan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* pattern() depends on the low 24 bits of the position only */
#define PATTERN_PERIOD (16ULL << 20)

static unsigned char pattern(unsigned long long i) {
    return (unsigned char)((i ^ (i >> 8) ^ (i >> 16)) * 31u + 7u);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s send|echo BYTES [--file PATH OFFSET SIZE]\n", argv[0]);
        return 64;
    }
    unsigned long long total = strtoull(argv[2], NULL, 0);
    struct ffchan ch;
    int rc;
    if (argc >= 7 && strcmp(argv[3], "--file") == 0)
        rc = ffchan_open_at(&ch, argv[4], (off_t)strtoull(argv[5], NULL, 0), (size_t)strtoull(argv[6], NULL, 0));
    else
        rc = ffchan_open(&ch);
    if (rc != 0) {
        printf("FFCHAN-PUMP error=open errno=%d (%s)\n", errno, strerror(errno));
        return 1;
    }
    static unsigned char buf[256 * 1024];
    double t0;
    unsigned long long done = 0;
    if (strcmp(argv[1], "send") == 0) {
        /* The pattern repeats every 16 MiB: build it once, before the clock starts, so the rate is the channel's. */
        static unsigned char period[PATTERN_PERIOD];
        for (unsigned long long k = 0; k < PATTERN_PERIOD; k++)
            period[k] = pattern(k);
        t0 = now_s();
        while (done < total) {
            unsigned long long at = done % PATTERN_PERIOD;
            size_t n = total - done < sizeof(buf) ? (size_t)(total - done) : sizeof(buf);
            if (n > PATTERN_PERIOD - at)
                n = (size_t)(PATTERN_PERIOD - at);
            if (ffchan_write(&ch, period + at, n, -1) != (ssize_t)n) {
                printf("FFCHAN-PUMP error=write errno=%d\n", errno);
                return 1;
            }
            done += n;
        }
    } else if (strcmp(argv[1], "echo") == 0) {
        t0 = now_s();
        while (done < total) {
            size_t want = total - done < sizeof(buf) ? (size_t)(total - done) : sizeof(buf);
            ssize_t n = ffchan_read(&ch, buf, want, 30000);
            if (n <= 0) {
                printf("FFCHAN-PUMP error=read got=%llu errno=%d\n", done, errno);
                return 1;
            }
            if (ffchan_write(&ch, buf, (size_t)n, -1) != n) {
                printf("FFCHAN-PUMP error=write errno=%d\n", errno);
                return 1;
            }
            done += (unsigned long long)n;
        }
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 64;
    }
    double secs = now_s() - t0;
    printf("FFCHAN-PUMP mode=%s bytes=%llu seconds=%.3f mib_per_s=%.1f\n", argv[1], done, secs,
           secs > 0 ? done / 1048576.0 / secs : 0.0);
    ffchan_close(&ch);
    return 0;
}
