/*
 * KERNEL_BTF: tells the host which kernel runs (uname -r, GNU build id) and sends its type information
 * (/sys/kernel/btf/vmlinux, zlib-compressed), so the host decodes this kernel's structures with this kernel's layouts
 * even when the user boots a kernel of their own.
 */
#include "ffa.h"
#include "ffa_run.h"
#include "ffwire.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#define BTF_PATH "/sys/kernel/btf/vmlinux"
#define NOTES_PATH "/sys/kernel/notes"
#define NT_GNU_BUILD_ID 3
#define MAX_BTF_BYTES (256u << 20) /* far above any vmlinux BTF; a bound for a broken sysfs file */
/* the payload's fixed part is at most 12 + 2 + 2 * FFWIRE_KERNEL_TEXT_MAX bytes */
#define PART_BYTES (FFWIRE_MAX_PAYLOAD - 1024u)

/* Reads a whole file of unknown size (sysfs files report no size). Returns a malloc'd buffer or NULL. */
static uint8_t *read_all(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 1u << 20, used = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (used == cap) {
            if (cap >= MAX_BTF_BYTES) {
                free(buf);
                buf = NULL;
                break;
            }
            uint8_t *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    *len = used;
    return buf;
}

/* The GNU build id from the kernel's ELF notes (u32 namesz, descsz, type; name and desc padded to 4 bytes). */
static size_t build_id(uint8_t *out, size_t cap) {
    uint8_t notes[4096];
    int fd = open(NOTES_PATH, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, notes, sizeof(notes));
    close(fd);
    size_t at = 0;
    while (n > 0 && at + 12 <= (size_t)n) {
        uint32_t namesz, descsz, type;
        memcpy(&namesz, notes + at, 4);
        memcpy(&descsz, notes + at + 4, 4);
        memcpy(&type, notes + at + 8, 4);
        size_t name_at = at + 12, desc_at = name_at + ((namesz + 3u) & ~3u);
        if (desc_at + descsz > (size_t)n)
            break;
        if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(notes + name_at, "GNU", 4) == 0) {
            size_t len = descsz < cap ? descsz : cap;
            memcpy(out, notes + desc_at, len);
            return len;
        }
        at = desc_at + ((descsz + 3u) & ~3u);
    }
    return 0;
}

void ffa_send_kernel_btf(const struct ffwire_out *out) {
    struct utsname uts;
    const char *release = uname(&uts) == 0 ? uts.release : "";
    uint8_t id[FFWIRE_KERNEL_TEXT_MAX];
    size_t id_len = build_id(id, sizeof(id));

    size_t raw_len = 0;
    uint8_t *raw = read_all(BTF_PATH, &raw_len);
    uLongf packed_len = raw ? compressBound((uLong)raw_len) : 0;
    uint8_t *packed = raw ? malloc(packed_len) : NULL;
    /* level 1: the guest runs under TCG, where time spent compressing costs more than the bytes saved */
    if (!raw || raw_len == 0 || !packed || compress2(packed, &packed_len, raw, (uLong)raw_len, 1) != Z_OK) {
        ffa_event("kernel-btf", "release", release, "present", "0", (const char *)NULL);
        ffwire_send_kernel_btf_part(out, 0, 0, 0, release, id, id_len, NULL, 0);
    } else {
        for (size_t at = 0; at < packed_len; at += PART_BYTES) {
            size_t len = packed_len - at < PART_BYTES ? packed_len - at : PART_BYTES;
            ffwire_send_kernel_btf_part(out, (uint32_t)at, (uint32_t)packed_len, (uint32_t)raw_len, release, id,
                                        id_len, packed + at, len);
        }
    }
    free(packed);
    free(raw);
}
