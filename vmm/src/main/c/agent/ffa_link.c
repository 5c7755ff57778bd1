/*
 * The agent's end of the framed link: ffwire.h frames written straight into the shared-memory ring (ffchan), and
 * host -> guest bytes polled from the other ring by the dialogue's service loop.
 */
#include "ffa.h"
#include "ffa_run.h"

#include <errno.h>
#include <string.h>

#define RING_WRITE_TIMEOUT_MS 10000 /* a host that stops reading must not wedge the agent forever */
#define DRAIN_TIMEOUT_MS 5000

static int ring_writev(void *ctx, struct iovec *iov, int iovcnt) {
    size_t total = 0;
    for (int i = 0; i < iovcnt; i++)
        total += iov[i].iov_len;
    ssize_t n = ffchan_writev(ctx, iov, iovcnt, RING_WRITE_TIMEOUT_MS);
    if (n < 0)
        return -1;
    if ((size_t)n != total) {
        errno = ETIMEDOUT;
        return -1;
    }
    return 0;
}

int ffa_link_open(struct ffa_link *link) {
    memset(link, 0, sizeof(*link));
    if (ffchan_open(&link->chan) != 0)
        return -1;
    link->out = ffwire_out_fn(ring_writev, &link->chan);
    link->open = 1;
    return 0;
}

/* Waits until the host has consumed everything we produced: our g2h head equals its published tail. */
static void drain(struct ffchan *ch, long timeout_ms) {
    long long deadline = ffa_now_ms() + timeout_ms;
    const uint64_t *tail = (const uint64_t *)(ch->window + FFCHAN_OFF_G2H_TAIL);
    while (__atomic_load_n(tail, __ATOMIC_ACQUIRE) != ch->g2h_head && ffa_now_ms() < deadline)
        ffa_sleep_ms(1);
}

ssize_t ffa_link_read(struct ffa_link *link, void *buf, size_t len) {
    return ffchan_read(&link->chan, buf, len, 0);
}

void ffa_link_close(struct ffa_link *link) {
    if (!link->open)
        return;
    drain(&link->chan, DRAIN_TIMEOUT_MS);
    ffchan_close(&link->chan);
    link->open = 0;
}
