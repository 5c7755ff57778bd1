/*
 * ffwire.h — Freezeframe guest -> host wire frames, header-only.
 *
 * Every message is one frame: a 16-byte little-endian header
 *     u32 msg_type | u32 length | u32 crc32 (of the payload only) | u32 pad = 0
 * followed by `length` payload bytes. The host's reader is
 * dev.freezeframe.coordinator.wire.FrameAssembler; the payload layouts are those of
 * dev.freezeframe.coordinator.wire.MessageCodec (see its wire-protocol.md). The constants
 * below must equal the Java enums: coordinator's FfwireHeaderDriftTest parses this file and
 * fails the build when they differ, and FfwireCrossLanguageTest compiles a program against
 * this header and parses its output on the Java side.
 *
 * CRC is CRC-32/IEEE (reflected polynomial 0xEDB88320, init and xorout 0xFFFFFFFF), the one of
 * zlib and java.util.zip.CRC32.
 *
 * Writers: frames go to a struct ffwire_out — an fd (ffwire_out_fd: one writev per frame, short
 * writes and EINTR retried) or any gather-write function (ffwire_out_fn), e.g. a three-line adapter
 * around ffchan_writev for the shared-memory ring. Each ffwire_send_* / ffwire_write_frame call hands
 * the sink exactly one whole frame. Threads sharing one sink must serialise these calls (one mutex
 * around them): interleaved frames corrupt the stream; the host resynchronises, but those frames
 * are lost.
 *
 * Readers (host -> guest, a trusted direction): ffwire_read_header, ffwire_decode_snapshot_reply and
 * ffwire_decode_plan_update.
 *
 * All functions return 0 on success, -1 with errno set on failure (EMSGSIZE: payload larger
 * than FFWIRE_MAX_PAYLOAD; EINVAL: a bad argument; anything the sink reports).
 */
#ifndef FFWIRE_H
#define FFWIRE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- limits ---------------------------------------------------------------------------- */
#define FFWIRE_HEADER_SIZE      16u
#define FFWIRE_MAX_PAYLOAD      1048576u /* 1 MiB; the host skips longer frames as garbage */
#define FFWIRE_SNAPSHOT_TAG_MAX 64u      /* bytes of a snapshot request's tag */
#define FFWIRE_SYMBOL_NAME_MAX  512u     /* bytes of a kernel symbol name (KSYM_NAME_LEN) */

/* ---- message types (MessageType.code()); "FF" in the upper half helps the host's resync.
 * Code 0 is reserved (zero-filled memory) and never read as a frame. -------------------------- */
#define FFWIRE_MSG_SYS_RDY           0x46460001u /* empty payload, once */
#define FFWIRE_MSG_LIFECYCLE         0x46460002u /* u32 phase | detail text */
#define FFWIRE_MSG_KERNEL_ADDRESSES  0x46460003u /* { u64 addr | u16 name_len | name }* */
#define FFWIRE_MSG_STEP              0x46460004u /* u32 index | name text */
#define FFWIRE_MSG_STDOUT            0x46460005u /* text */
#define FFWIRE_MSG_STDERR            0x46460006u /* text */
#define FFWIRE_MSG_SCHED_LOG         0x46460007u /* text */
#define FFWIRE_MSG_SCHED_EXIT        0x46460008u /* i32 exit_code | u32 kernel_exit_kind | reason text */
#define FFWIRE_MSG_EXIT              0x46460009u /* i32 code | reason text */
#define FFWIRE_MSG_SNAPSHOT_REQUEST  0x4646000Au /* u32 request_id | u32 kind | tag text (<= 64) */
#define FFWIRE_MSG_SNAPSHOT_REPLY    0x4646000Bu /* host -> guest: u32 request_id | u32 status */
#define FFWIRE_MSG_KERNEL_OP_REQUEST 0x4646000Cu /* host -> guest: reserved, no layout yet */
#define FFWIRE_MSG_KERNEL_OP_REPLY   0x4646000Du /* reserved, no layout yet: the host drops it */
#define FFWIRE_MSG_KERNEL_SYMBOLS    0x4646000Eu /* text: whole /proc/kallsyms lines */
#define FFWIRE_MSG_KERNEL_BTF        0x4646000Fu /* the kernel's release, build id and zlib'd BTF, in parts */
#define FFWIRE_MSG_WORKLOAD_METRICS  0x46460010u /* a step's workload measurements, see ffwire_encode_workload_metrics */
#define FFWIRE_MSG_RUN_PLAN          0x46460011u /* host -> guest: text: the run plan (AgentPlan format) */
#define FFWIRE_MSG_PLAN_UPDATE       0x46460012u /* host -> guest: u32 mode | plan text (a fork's guest) */
#define FFWIRE_MSG_INCLUDE_FILE      0x46460013u /* host -> guest: u32 size | u16 name_len | name | zlib'd bytes */
#define FFWIRE_MSG_EXEC_EXIT         0x46460014u /* how an exec worker ended, see ffwire_send_exec_exit */

/* ---- LIFECYCLE phases (LifecyclePhase.code()) ---------------------------------------------- */
#define FFWIRE_PHASE_SCHEDULER_STARTING 1u /* detail: the scheduler's command line */
#define FFWIRE_PHASE_SCHEDULER_ENABLED  2u /* sched_ext/state reads "enabled"; detail: ops name */
#define FFWIRE_PHASE_SCENARIO_STARTED   3u
#define FFWIRE_PHASE_SCENARIO_FINISHED  4u
#define FFWIRE_PHASE_SCHEDULER_STOPPING 5u
#define FFWIRE_PHASE_POWERING_OFF       6u
#define FFWIRE_PHASE_SCHEDULER_SWAPPING 7u /* stopping the scheduler to start another; detail: the new command line */
#define FFWIRE_PHASE_PLAN_REPLACED      8u /* a fork's agent runs the plan of a PLAN_UPDATE REPLACE; detail: its scenario */

/* ---- PLAN_UPDATE modes (PlanUpdateMode.code()) ---------------------------------------------- */
#define FFWIRE_PLAN_CONTINUE 0u /* go on with the plan; the text carries only wall_clock_ns and seed */
#define FFWIRE_PLAN_REPLACE  1u /* end the current step, run the text's plan instead of the rest */

/* ---- snapshots (SnapshotKind / SnapshotStatus codes) ---------------------------------------- */
#define FFWIRE_SNAPSHOT_KIND_CAPTURE   1u
#define FFWIRE_SNAPSHOT_STATUS_TAKEN   0u
#define FFWIRE_SNAPSHOT_STATUS_REFUSED 1u
#define FFWIRE_SNAPSHOT_STATUS_FAILED  2u

/* ---- WORKLOAD_METRICS worker roles (WorkerRole.code()) ------------------------------------ */
#define FFWIRE_WORKER_CPU      1u /* busy loop; iterations = loop rounds */
#define FFWIRE_WORKER_PINGPONG 2u /* one side of a pipe ping-pong pair; iterations = token passes */
#define FFWIRE_WORKER_FORKEXIT 3u /* forks children that exit at once; iterations = forks */
#define FFWIRE_WORKER_LATENCY  4u /* timer-driven sleeper; iterations = wake-ups */
#define FFWIRE_WORKER_FUTEX    5u /* one side of a futex ping-pong pair; iterations = token passes */
#define FFWIRE_WORKER_YIELD    6u /* sched_yield loop; iterations = yields */
#define FFWIRE_WORKER_BURSTY   7u /* busy bursts between sleeps; iterations = busy-loop rounds */
#define FFWIRE_WORKER_MEMORY   8u /* strides through a large buffer; iterations = cache lines touched */
#define FFWIRE_WORKER_THREADS  9u /* creates threads that exit at once; iterations = threads */
#define FFWIRE_WORKER_EXEC    10u /* runs a user's binary shipped with --include; iterations = 0 */

#define FFWIRE_METRICS_HEADER_BYTES  16u /* u32 step_index | u16 worker_count | u16 latency_count | u64 elapsed_ns */
#define FFWIRE_METRICS_WORKER_BYTES  72u /* see struct ffwire_worker_sample */
#define FFWIRE_METRICS_LATENCY_BYTES 48u /* see struct ffwire_latency_summary */
#define FFWIRE_METRICS_MAX_WORKERS   256u
#define FFWIRE_METRICS_MAX_LATENCIES 64u

/* ---- CRC-32/IEEE ------------------------------------------------------------------------------ */

/* Continues a CRC: start with crc = 0; ffwire_crc32_update(ffwire_crc32_update(0, a, n), b, m)
 * equals the CRC of a followed by b. */
static inline uint32_t ffwire_crc32_update(uint32_t crc, const void *data, size_t len)
{
    /* Local so that a file including this header without using it gets no unused-variable warning. */
    static const uint32_t table[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u, 0x706af48fu,
    0xe963a535u, 0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u, 0xe0d5e91eu, 0x97d2d988u,
    0x09b64c2bu, 0x7eb17cbdu, 0xe7b82d07u, 0x90bf1d91u, 0x1db71064u, 0x6ab020f2u,
    0xf3b97148u, 0x84be41deu, 0x1adad47du, 0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u,
    0x136c9856u, 0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu, 0x14015c4fu, 0x63066cd9u,
    0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u, 0xa2677172u,
    0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu, 0x35b5a8fau, 0x42b2986cu,
    0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u, 0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u,
    0x26d930acu, 0x51de003au, 0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u,
    0xcfba9599u, 0xb8bda50fu, 0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u,
    0x2f6f7c87u, 0x58684c11u, 0xc1611dabu, 0xb6662d3du, 0x76dc4190u, 0x01db7106u,
    0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu, 0x9fbfe4a5u, 0xe8b8d433u,
    0x7807c9a2u, 0x0f00f934u, 0x9609a88eu, 0xe10e9818u, 0x7f6a0dbbu, 0x086d3d2du,
    0x91646c97u, 0xe6635c01u, 0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu,
    0x6c0695edu, 0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u,
    0x8bbeb8eau, 0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u, 0xfbd44c65u,
    0x4db26158u, 0x3ab551ceu, 0xa3bc0074u, 0xd4bb30e2u, 0x4adfa541u, 0x3dd895d7u,
    0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au, 0x346ed9fcu, 0xad678846u, 0xda60b8d0u,
    0x44042d73u, 0x33031de5u, 0xaa0a4c5fu, 0xdd0d7cc9u, 0x5005713cu, 0x270241aau,
    0xbe0b1010u, 0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u, 0xce61e49fu,
    0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u, 0x2eb40d81u,
    0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u, 0x03b6e20cu, 0x74b1d29au,
    0xead54739u, 0x9dd277afu, 0x04db2615u, 0x73dc1683u, 0xe3630b12u, 0x94643b84u,
    0x0d6d6a3eu, 0x7a6a5aa8u, 0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u,
    0xf00f9344u, 0x8708a3d2u, 0x1e01f268u, 0x6906c2feu, 0xf762575du, 0x806567cbu,
    0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u, 0x10da7a5au, 0x67dd4accu,
    0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u, 0xd6d6a3e8u, 0xa1d1937eu,
    0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u, 0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu,
    0xd80d2bdau, 0xaf0a1b4cu, 0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u,
    0x316e8eefu, 0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u,
    0xcc0c7795u, 0xbb0b4703u, 0x220216b9u, 0x5505262fu, 0xc5ba3bbeu, 0xb2bd0b28u,
    0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u, 0xb5d0cf31u, 0x2cd99e8bu, 0x5bdeae1du,
    0x9b64c2b0u, 0xec63f226u, 0x756aa39cu, 0x026d930au, 0x9c0906a9u, 0xeb0e363fu,
    0x72076785u, 0x05005713u, 0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu, 0x0cb61b38u,
    0x92d28e9bu, 0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u, 0x18b74777u,
    0x88085ae6u, 0xff0f6a70u, 0x66063bcau, 0x11010b5cu, 0x8f659effu, 0xf862ae69u,
    0x616bffd3u, 0x166ccf45u, 0xa00ae278u, 0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u,
    0xa7672661u, 0xd06016f7u, 0x4969474du, 0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu,
    0x40df0b66u, 0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u, 0x47b2cf7fu, 0x30b5ffe9u,
    0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u, 0xcdd70693u,
    0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u, 0x5d681b02u, 0x2a6f2b94u,
    0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu, 0x2d02ef8du,    };
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
    while (len--)
        crc = table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

static inline uint32_t ffwire_crc32(const void *data, size_t len)
{
    return ffwire_crc32_update(0, data, len);
}

/* ---- little-endian stores (byte by byte: independent of the CPU's order and alignment) ------- */

static inline void ffwire_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void ffwire_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void ffwire_put_u64(uint8_t *p, uint64_t v)
{
    ffwire_put_u32(p, (uint32_t)v);
    ffwire_put_u32(p + 4, (uint32_t)(v >> 32));
}

/* Fills a frame header, for transports that do not write to an fd (e.g. a shared-memory ring). */
static inline void ffwire_fill_header(uint8_t hdr[FFWIRE_HEADER_SIZE], uint32_t type, uint32_t length,
                                      uint32_t crc32)
{
    ffwire_put_u32(hdr, type);
    ffwire_put_u32(hdr + 4, length);
    ffwire_put_u32(hdr + 8, crc32);
    ffwire_put_u32(hdr + 12, 0);
}

/* ---- where frames go ---------------------------------------------------------------------------- */

/* Writes the whole gather list (it may modify iov); 0 on success, -1 with errno. */
typedef int (*ffwire_writev_fn)(void *ctx, struct iovec *iov, int iovcnt);

struct ffwire_out {
    int fd;                  /* used when writev_all is NULL */
    ffwire_writev_fn writev_all;
    void *ctx;
};

/* Writes all of iov[0..n) to fd, resuming after short writes and EINTR. Modifies iov. */
static inline int ffwire_writev_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        size_t done = (size_t)w;
        while (n > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
    return 0;
}

static inline struct ffwire_out ffwire_out_fd(int fd)
{
    struct ffwire_out out = { .fd = fd, .writev_all = NULL, .ctx = NULL };
    return out;
}

static inline struct ffwire_out ffwire_out_fn(ffwire_writev_fn writev_all, void *ctx)
{
    struct ffwire_out out = { .fd = -1, .writev_all = writev_all, .ctx = ctx };
    return out;
}

/* ---- writing frames ------------------------------------------------------------------------------ */

#define FFWIRE_MAX_PARTS 4

/* Writes one frame whose payload is the concatenation of parts[0..nparts), nparts <= FFWIRE_MAX_PARTS. */
static inline int ffwire_write_framev(const struct ffwire_out *out, uint32_t type, const struct iovec *parts,
                                      int nparts)
{
    uint8_t hdr[FFWIRE_HEADER_SIZE];
    struct iovec iov[1 + FFWIRE_MAX_PARTS];
    size_t length = 0;
    uint32_t crc = 0;

    if (nparts < 0 || nparts > FFWIRE_MAX_PARTS) {
        errno = EINVAL;
        return -1;
    }
    for (int i = 0; i < nparts; i++) {
        if (parts[i].iov_len > FFWIRE_MAX_PAYLOAD - length) {
            errno = EMSGSIZE;
            return -1;
        }
        length += parts[i].iov_len;
        crc = ffwire_crc32_update(crc, parts[i].iov_base, parts[i].iov_len);
        iov[1 + i] = parts[i];
    }
    ffwire_fill_header(hdr, type, (uint32_t)length, crc);
    iov[0].iov_base = hdr;
    iov[0].iov_len = sizeof hdr;
    if (out->writev_all)
        return out->writev_all(out->ctx, iov, 1 + nparts);
    return ffwire_writev_all(out->fd, iov, 1 + nparts);
}

static inline int ffwire_write_frame(const struct ffwire_out *out, uint32_t type, const void *payload, size_t len)
{
    struct iovec part = { .iov_base = (void *)payload, .iov_len = len };
    return ffwire_write_framev(out, type, &part, len ? 1 : 0);
}

/* ---- one sender per message of the dialogue (text arguments may be NULL = empty) ------------ */

static inline size_t ffwire_strlen0(const char *s)
{
    return s ? strlen(s) : 0;
}

/* A fixed-size prefix followed by a text, the shape of most payloads. */
static inline int ffwire_send_fixed_text(const struct ffwire_out *out, uint32_t type, const uint8_t *fixed, size_t fixed_len,
                                         const char *text, size_t text_len)
{
    struct iovec parts[2] = {
        { .iov_base = (void *)fixed, .iov_len = fixed_len },
        { .iov_base = (void *)text, .iov_len = text_len },
    };
    return ffwire_write_framev(out, type, parts, text_len ? 2 : 1);
}

static inline int ffwire_send_sys_rdy(const struct ffwire_out *out)
{
    return ffwire_write_frame(out, FFWIRE_MSG_SYS_RDY, NULL, 0);
}

static inline int ffwire_send_lifecycle(const struct ffwire_out *out, uint32_t phase, const char *detail)
{
    uint8_t fixed[4];
    ffwire_put_u32(fixed, phase);
    return ffwire_send_fixed_text(out, FFWIRE_MSG_LIFECYCLE, fixed, sizeof fixed, detail, ffwire_strlen0(detail));
}

static inline int ffwire_send_step(const struct ffwire_out *out, uint32_t index, const char *name)
{
    uint8_t fixed[4];
    if (index > 0x7fffffffu) {
        errno = EINVAL;
        return -1;
    }
    ffwire_put_u32(fixed, index);
    return ffwire_send_fixed_text(out, FFWIRE_MSG_STEP, fixed, sizeof fixed, name, ffwire_strlen0(name));
}

/* STDOUT, STDERR, SCHED_LOG or KERNEL_SYMBOLS: raw bytes, need not be NUL-terminated (KERNEL_SYMBOLS: whole lines). */
static inline int ffwire_send_text(const struct ffwire_out *out, uint32_t type, const void *buf, size_t len)
{
    if (type != FFWIRE_MSG_STDOUT && type != FFWIRE_MSG_STDERR && type != FFWIRE_MSG_SCHED_LOG
        && type != FFWIRE_MSG_KERNEL_SYMBOLS) {
        errno = EINVAL;
        return -1;
    }
    return ffwire_write_frame(out, type, buf, len);
}

/* exit_code: the scheduler process's exit code, or -signal if a signal killed it.
 * kernel_exit_kind: the kernel's enum scx_exit_kind if known, else 0. reason: the kernel's text. */
static inline int ffwire_send_sched_exit(const struct ffwire_out *out, int32_t exit_code, uint32_t kernel_exit_kind, const char *reason)
{
    uint8_t fixed[8];
    ffwire_put_u32(fixed, (uint32_t)exit_code);
    ffwire_put_u32(fixed + 4, kernel_exit_kind);
    return ffwire_send_fixed_text(out, FFWIRE_MSG_SCHED_EXIT, fixed, sizeof fixed, reason, ffwire_strlen0(reason));
}

static inline int ffwire_send_exit(const struct ffwire_out *out, int32_t code, const char *reason)
{
    uint8_t fixed[4];
    ffwire_put_u32(fixed, (uint32_t)code);
    return ffwire_send_fixed_text(out, FFWIRE_MSG_EXIT, fixed, sizeof fixed, reason, ffwire_strlen0(reason));
}

static inline int ffwire_send_snapshot_request(const struct ffwire_out *out, uint32_t request_id, uint32_t kind, const char *tag)
{
    uint8_t fixed[8];
    size_t tag_len = ffwire_strlen0(tag);
    if (tag_len > FFWIRE_SNAPSHOT_TAG_MAX) {
        errno = EINVAL;
        return -1;
    }
    ffwire_put_u32(fixed, request_id);
    ffwire_put_u32(fixed + 4, kind);
    return ffwire_send_fixed_text(out, FFWIRE_MSG_SNAPSHOT_REQUEST, fixed, sizeof fixed, tag, tag_len);
}

/* ---- WORKLOAD_METRICS ----------------------------------------------------------------------------- */

/* One workload process over one step. Encoded as u32 role | u32 group | then the eight u64 below in order. */
struct ffwire_worker_sample {
    uint32_t role;  /* FFWIRE_WORKER_* */
    uint32_t group; /* the scenario cgroup the worker was placed in (1.., plan order), 0 = none */
    uint64_t iterations;
    uint64_t on_cpu_ns;    /* /proc/<pid>/schedstat field 1 */
    uint64_t run_delay_ns; /* schedstat field 2: time runnable but waiting for a CPU */
    uint64_t timeslices;   /* schedstat field 3 */
    uint64_t voluntary_switches, involuntary_switches, migrations; /* /proc/<pid>/sched */
    uint64_t cpuset_escapes; /* times seen running outside its cpuset (0 without a cpuset) */
};

/* A group's wake-up delays (timer expiry to running again). Encoded as u32 group | u32 0 | five u64. */
struct ffwire_latency_summary {
    uint32_t group;
    uint64_t samples, p50_ns, p90_ns, p99_ns, max_ns;
};

/* Encodes a WORKLOAD_METRICS payload into buf; returns its length, or 0 if it does not fit or the counts exceed
 * FFWIRE_METRICS_MAX_*. */
static inline size_t ffwire_encode_workload_metrics(uint8_t *buf, size_t cap, uint32_t step_index, uint64_t elapsed_ns,
                                                    const struct ffwire_worker_sample *workers, size_t nworkers,
                                                    const struct ffwire_latency_summary *latencies, size_t nlatencies)
{
    size_t need = FFWIRE_METRICS_HEADER_BYTES + nworkers * FFWIRE_METRICS_WORKER_BYTES
                  + nlatencies * FFWIRE_METRICS_LATENCY_BYTES;
    if (nworkers > FFWIRE_METRICS_MAX_WORKERS || nlatencies > FFWIRE_METRICS_MAX_LATENCIES || need > cap)
        return 0;
    uint8_t *p = buf;
    ffwire_put_u32(p, step_index);
    ffwire_put_u16(p + 4, (uint16_t)nworkers);
    ffwire_put_u16(p + 6, (uint16_t)nlatencies);
    ffwire_put_u64(p + 8, elapsed_ns);
    p += FFWIRE_METRICS_HEADER_BYTES;
    for (size_t i = 0; i < nworkers; i++) {
        const struct ffwire_worker_sample *w = &workers[i];
        const uint64_t v[8] = { w->iterations, w->on_cpu_ns, w->run_delay_ns, w->timeslices, w->voluntary_switches,
                                w->involuntary_switches, w->migrations, w->cpuset_escapes };
        ffwire_put_u32(p, w->role);
        ffwire_put_u32(p + 4, w->group);
        for (int k = 0; k < 8; k++)
            ffwire_put_u64(p + 8 + 8 * k, v[k]);
        p += FFWIRE_METRICS_WORKER_BYTES;
    }
    for (size_t i = 0; i < nlatencies; i++) {
        const struct ffwire_latency_summary *l = &latencies[i];
        const uint64_t v[5] = { l->samples, l->p50_ns, l->p90_ns, l->p99_ns, l->max_ns };
        ffwire_put_u32(p, l->group);
        ffwire_put_u32(p + 4, 0);
        for (int k = 0; k < 5; k++)
            ffwire_put_u64(p + 8 + 8 * k, v[k]);
        p += FFWIRE_METRICS_LATENCY_BYTES;
    }
    return need;
}

/* ---- EXEC_EXIT: how an exec worker (a user's binary shipped with --include) ended ---------------
 * u32 step_index | u32 worker | u32 state (FFWIRE_EXEC_STATE_*) | i32 value (exit code, signal, 0 when running)
 * | u16 path_len | path (its file name, <= FFWIRE_EXEC_PATH_MAX) | output: the last bytes of its stdout and stderr
 * (<= FFWIRE_EXEC_OUTPUT_MAX, to the end of the payload). */
#define FFWIRE_EXEC_STATE_EXITED  1u /* value: its exit code */
#define FFWIRE_EXEC_STATE_KILLED  2u /* value: the signal that ended it before the step's end */
#define FFWIRE_EXEC_STATE_RUNNING 3u /* still at work when its step ended (then killed with the others); value 0 */
#define FFWIRE_EXEC_PATH_MAX   255u
#define FFWIRE_EXEC_OUTPUT_MAX 512u

/* output: any bytes; only its last FFWIRE_EXEC_OUTPUT_MAX are sent. */
static inline int ffwire_send_exec_exit(const struct ffwire_out *out, uint32_t step_index, uint32_t worker,
                                        uint32_t state, int32_t value, const char *path, const void *output,
                                        size_t output_len)
{
    uint8_t fixed[18 + FFWIRE_EXEC_PATH_MAX];
    size_t path_len = ffwire_strlen0(path);
    if (path_len > FFWIRE_EXEC_PATH_MAX || state < FFWIRE_EXEC_STATE_EXITED || state > FFWIRE_EXEC_STATE_RUNNING) {
        errno = EINVAL;
        return -1;
    }
    if (output_len > FFWIRE_EXEC_OUTPUT_MAX) {
        output = (const uint8_t *)output + (output_len - FFWIRE_EXEC_OUTPUT_MAX);
        output_len = FFWIRE_EXEC_OUTPUT_MAX;
    }
    ffwire_put_u32(fixed, step_index);
    ffwire_put_u32(fixed + 4, worker);
    ffwire_put_u32(fixed + 8, state);
    ffwire_put_u32(fixed + 12, (uint32_t)value);
    ffwire_put_u16(fixed + 16, (uint16_t)path_len);
    if (path_len)
        memcpy(fixed + 18, path, path_len);
    struct iovec parts[2] = {
        { .iov_base = fixed, .iov_len = 18 + path_len },
        { .iov_base = (void *)output, .iov_len = output_len },
    };
    return ffwire_write_framev(out, FFWIRE_MSG_EXEC_EXIT, parts, output_len ? 2 : 1);
}

/* ---- KERNEL_BTF: the running kernel's identity and type information ----------------------------
 * One frame per part of the zlib (RFC 1950) stream of /sys/kernel/btf/vmlinux, in order; every part repeats the
 * identity so each frame stands alone. total = 0: the kernel has no BTF (one frame, no data). raw_len: the
 * uncompressed size. release: uname -r (<= 255 bytes); build_id: the kernel's GNU build id (<= 255 bytes). */
#define FFWIRE_KERNEL_TEXT_MAX 255u

static inline int ffwire_send_kernel_btf_part(const struct ffwire_out *out, uint32_t offset, uint32_t total,
                                              uint32_t raw_len, const char *release, const uint8_t *build_id,
                                              size_t build_id_len, const void *data, size_t len)
{
    uint8_t fixed[12 + 1 + FFWIRE_KERNEL_TEXT_MAX + 1 + FFWIRE_KERNEL_TEXT_MAX];
    size_t release_len = ffwire_strlen0(release);
    if (release_len > FFWIRE_KERNEL_TEXT_MAX || build_id_len > FFWIRE_KERNEL_TEXT_MAX) {
        errno = EINVAL;
        return -1;
    }
    ffwire_put_u32(fixed, offset);
    ffwire_put_u32(fixed + 4, total);
    ffwire_put_u32(fixed + 8, raw_len);
    size_t at = 12;
    fixed[at++] = (uint8_t)release_len;
    if (release_len)
        memcpy(fixed + at, release, release_len);
    at += release_len;
    fixed[at++] = (uint8_t)build_id_len;
    if (build_id_len)
        memcpy(fixed + at, build_id, build_id_len);
    at += build_id_len;
    struct iovec parts[2] = {
        { .iov_base = fixed, .iov_len = at },
        { .iov_base = (void *)data, .iov_len = len },
    };
    return ffwire_write_framev(out, FFWIRE_MSG_KERNEL_BTF, parts, len ? 2 : 1);
}

/* ---- KERNEL_ADDRESSES: collect, then send as one frame ------------------------------------- */

#define FFWIRE_KADDRS_CAP 16384u

struct ffwire_kaddrs {
    size_t len;
    uint8_t buf[FFWIRE_KADDRS_CAP];
};

static inline void ffwire_kaddrs_init(struct ffwire_kaddrs *k)
{
    k->len = 0;
}

/* name: printable ASCII without spaces, 1..FFWIRE_SYMBOL_NAME_MAX bytes, not added twice
 * (the host rejects the whole message otherwise). ENOSPC when the buffer is full. */
static inline int ffwire_kaddrs_add(struct ffwire_kaddrs *k, const char *name, uint64_t address)
{
    size_t n = ffwire_strlen0(name);
    if (n == 0 || n > FFWIRE_SYMBOL_NAME_MAX) {
        errno = EINVAL;
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)name[i] < 0x21 || (unsigned char)name[i] > 0x7e) {
            errno = EINVAL;
            return -1;
        }
    }
    if (10 + n > sizeof k->buf - k->len) {
        errno = ENOSPC;
        return -1;
    }
    ffwire_put_u64(k->buf + k->len, address);
    ffwire_put_u16(k->buf + k->len + 8, (uint16_t)n);
    memcpy(k->buf + k->len + 10, name, n);
    k->len += 10 + n;
    return 0;
}

static inline int ffwire_send_kaddrs(const struct ffwire_out *out, const struct ffwire_kaddrs *k)
{
    return ffwire_write_frame(out, FFWIRE_MSG_KERNEL_ADDRESSES, k->buf, k->len);
}

/* ---- reading host -> guest frames ----------------------------------------------------------------- */

struct ffwire_header {
    uint32_t type;
    uint32_t length;
    uint32_t crc32;
    uint32_t pad;
};

static inline uint32_t ffwire_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Decodes a header. Returns 0 when it is plausible (type != 0, pad == 0, length <= FFWIRE_MAX_PAYLOAD),
 * else -1 with errno EPROTO; h is filled either way. Then read h->length payload bytes and compare
 * ffwire_crc32(payload, h->length) with h->crc32 before trusting them. */
static inline int ffwire_read_header(const uint8_t hdr[FFWIRE_HEADER_SIZE], struct ffwire_header *h)
{
    h->type = ffwire_get_u32(hdr);
    h->length = ffwire_get_u32(hdr + 4);
    h->crc32 = ffwire_get_u32(hdr + 8);
    h->pad = ffwire_get_u32(hdr + 12);
    if (h->type == 0 || h->pad != 0 || h->length > FFWIRE_MAX_PAYLOAD) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

/* SNAPSHOT_REPLY payload: exactly u32 request_id | u32 status (FFWIRE_SNAPSHOT_STATUS_*). */
static inline int ffwire_decode_snapshot_reply(const uint8_t *payload, uint32_t len, uint32_t *request_id,
                                               uint32_t *status)
{
    if (len != 8) {
        errno = EINVAL;
        return -1;
    }
    *request_id = ffwire_get_u32(payload);
    *status = ffwire_get_u32(payload + 4);
    return 0;
}

/* PLAN_UPDATE payload: u32 mode (FFWIRE_PLAN_*) | text to the end (plan lines, not NUL-terminated). *text points
 * into payload. -1 with errno EINVAL when it is shorter than the mode or the mode is unknown. */
static inline int ffwire_decode_plan_update(const uint8_t *payload, uint32_t len, uint32_t *mode, const char **text,
                                            uint32_t *text_len)
{
    if (len < 4 || ffwire_get_u32(payload) > FFWIRE_PLAN_REPLACE) {
        errno = EINVAL;
        return -1;
    }
    *mode = ffwire_get_u32(payload);
    *text = (const char *)(payload + 4);
    *text_len = len - 4;
    return 0;
}

#endif /* FFWIRE_H */
