/*
 * ffchan.h — guest end of the Freezeframe shared-memory data channel (host end:
 * dev.freezeframe.vmm.channel.SharedMemoryDataChannel; layout: dev.freezeframe.vmm.channel.RingLayout).
 *
 * The host reserves a window of guest RAM with memmap=SIZE$ADDR (e820 "reserved", so not System RAM, so root may map
 * it through /dev/mem even with STRICT_DEVMEM) and names it on the kernel command line as ff.chan=ADDR,SIZE. Before
 * the guest boots, the host writes the header below; the guest only attaches.
 *
 * Two single-producer/single-consumer byte rings: guest -> host (g2h) and host -> guest (h2g). Indices are free-running
 * u64 byte counts (position = index & (size - 1)); each side owns one index per ring and trusts the other side's only
 * after checking 0 <= head - tail <= size. Ordering: the producer copies bytes, then stores its head with release
 * semantics; the consumer loads the head with acquire semantics, copies, then stores its tail with release semantics.
 * There is no doorbell: both sides poll with a short spin then growing sleeps (<= 1 ms).
 *
 * Bytes only: framing and CRCs belong to the wire protocol (ffwire.h) on top. Not thread-safe: serialise writers (e.g.
 * one mutex around ffchan_writev per frame) and readers.
 *
 *   window offset  size  field           written by
 *   0x000          8     magic "FFCHAN01" host
 *   0x008          4     version = 1      host
 *   0x00C          4     header bytes     host (0x1000)
 *   0x010 / 0x014  4+4   g2h offset/size  host (size a power of two)
 *   0x018 / 0x01C  4+4   h2g offset/size  host
 *   0x020          4     guest state      guest (1 = attached)
 *   0x040          8     g2h head         guest
 *   0x080          8     g2h tail         host
 *   0x0C0          8     h2g head         host
 *   0x100          8     h2g tail         guest
 */
#ifndef FFCHAN_H
#define FFCHAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define FFCHAN_MAGIC 0x31304E4148434646ULL /* "FFCHAN01" as a little-endian u64 */
#define FFCHAN_VERSION 1
#define FFCHAN_CMDLINE_KEY "ff.chan"

#define FFCHAN_OFF_MAGIC 0x000
#define FFCHAN_OFF_VERSION 0x008
#define FFCHAN_OFF_HEADER_BYTES 0x00C
#define FFCHAN_OFF_G2H_OFFSET 0x010
#define FFCHAN_OFF_G2H_SIZE 0x014
#define FFCHAN_OFF_H2G_OFFSET 0x018
#define FFCHAN_OFF_H2G_SIZE 0x01C
#define FFCHAN_OFF_GUEST_STATE 0x020
#define FFCHAN_OFF_G2H_HEAD 0x040
#define FFCHAN_OFF_G2H_TAIL 0x080
#define FFCHAN_OFF_H2G_HEAD 0x0C0
#define FFCHAN_OFF_H2G_TAIL 0x100
#define FFCHAN_GUEST_ATTACHED 1

struct ffchan {
    uint8_t *window;   /* mapped window */
    size_t window_len;
    uint8_t *g2h;      /* ring we produce into */
    uint64_t g2h_size;
    uint8_t *h2g;      /* ring we consume from */
    uint64_t h2g_size;
    uint64_t g2h_head; /* our private copies of the indices we own */
    uint64_t h2g_tail;
};

/*
 * Attaches to the window named by ff.chan=ADDR,SIZE on /proc/cmdline through /dev/mem.
 * Returns 0, or -1 with errno: ENOENT (no ff.chan= on the command line: the host did not ask for a channel),
 * EPROTO (no valid header: wrong magic/version/sizes), or whatever open/mmap reported.
 */
int ffchan_open(struct ffchan *ch);

/* Attaches to a window at byte `offset` of file `path` (/dev/mem in the guest; a plain file in host-side tests). */
int ffchan_open_at(struct ffchan *ch, const char *path, off_t offset, size_t size);

/*
 * Writes all `len` bytes guest -> host, waiting while the ring is full, for at most timeout_ms in total (-1 = forever).
 * Returns the number of bytes written (== len unless the timeout hit), or -1 with errno EPROTO if the host's index is
 * corrupt.
 */
ssize_t ffchan_write(struct ffchan *ch, const void *buf, size_t len, int timeout_ms);

/* Like ffchan_write for a gather list (one wire frame = header + payload in one call). */
ssize_t ffchan_writev(struct ffchan *ch, const struct iovec *iov, int iovcnt, int timeout_ms);

/*
 * Reads up to `len` bytes host -> guest, waiting up to timeout_ms (-1 = forever, 0 = poll) for the first byte.
 * Returns the number of bytes read (0 on timeout), or -1 with errno EPROTO if the host's index is corrupt.
 */
ssize_t ffchan_read(struct ffchan *ch, void *buf, size_t len, int timeout_ms);

/* Detaches (marks the guest side not attached) and unmaps. */
void ffchan_close(struct ffchan *ch);

#endif
