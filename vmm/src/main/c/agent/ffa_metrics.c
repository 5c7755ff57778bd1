/*
 * Per-step workload measurements. At a step's end, while its workers still run, the agent reads for each worker its
 * counter (shared memory), /proc/<pid>/schedstat (on-CPU time, run delay, timeslices) and /proc/<pid>/sched
 * (migrations, voluntary and involuntary switches), turns the latency probes' histogram into percentiles, and sends
 * it all as one WORKLOAD_METRICS frame. Nothing is sampled while the step runs, so measuring costs the workload
 * nothing but these reads at its end.
 */
#include "ffa.h"
#include "ffa_run.h"
#include "ffwire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long long ffa_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Below 2^SUB_BITS ns one bucket per ns; above, 2^SUB_BITS buckets per power of two. */
unsigned ffa_lat_bucket(uint64_t ns) {
    if (ns < (1u << FFA_LAT_SUB_BITS))
        return (unsigned)ns;
    unsigned exp = 63u - (unsigned)__builtin_clzll(ns); /* >= SUB_BITS */
    unsigned sub = (unsigned)(ns >> (exp - FFA_LAT_SUB_BITS)) & ((1u << FFA_LAT_SUB_BITS) - 1);
    unsigned bucket = ((exp - FFA_LAT_SUB_BITS + 1) << FFA_LAT_SUB_BITS) + sub;
    return bucket < FFA_LAT_BUCKETS ? bucket : FFA_LAT_BUCKETS - 1;
}

uint64_t ffa_lat_bucket_upper(unsigned bucket) {
    if (bucket < (1u << FFA_LAT_SUB_BITS))
        return bucket;
    unsigned exp = (bucket >> FFA_LAT_SUB_BITS) + FFA_LAT_SUB_BITS - 1;
    uint64_t sub = bucket & ((1u << FFA_LAT_SUB_BITS) - 1);
    uint64_t low = (1ULL << exp) + (sub << (exp - FFA_LAT_SUB_BITS));
    return low + (1ULL << (exp - FFA_LAT_SUB_BITS)) - 1;
}

/* The smallest bucket bound below which at least `permille` of the samples fall, capped by the exact maximum. */
static uint64_t percentile(const struct ffa_latency *lat, uint64_t total, unsigned permille) {
    uint64_t want = (total * permille + 999) / 1000, seen = 0;
    for (unsigned b = 0; b < FFA_LAT_BUCKETS; b++) {
        seen += lat->buckets[b];
        if (seen >= want && seen > 0) {
            uint64_t upper = ffa_lat_bucket_upper(b);
            return upper < lat->max_ns ? upper : lat->max_ns;
        }
    }
    return lat->max_ns;
}

static void read_schedstat(pid_t pid, struct ffwire_worker_sample *s) {
    char path[64], text[128];
    snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
    if (ffa_read_text(path, text, sizeof(text)) > 0) {
        unsigned long long on = 0, delay = 0, slices = 0;
        if (sscanf(text, "%llu %llu %llu", &on, &delay, &slices) == 3) {
            s->on_cpu_ns = on;
            s->run_delay_ns = delay;
            s->timeslices = slices;
        }
    }
}

/* /proc/<pid>/sched lines look like "se.nr_migrations   :   12". */
static void read_sched(pid_t pid, struct ffwire_worker_sample *s) {
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/sched", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        unsigned long long v = strtoull(colon + 1, NULL, 10);
        size_t key = strcspn(line, " \t:");
        if (key == 16 && strncmp(line, "se.nr_migrations", 16) == 0)
            s->migrations = v;
        else if (key == 21 && strncmp(line, "nr_voluntary_switches", 21) == 0)
            s->voluntary_switches = v;
        else if (key == 23 && strncmp(line, "nr_involuntary_switches", 23) == 0)
            s->involuntary_switches = v;
    }
    fclose(f);
}

int ffa_metrics_send(const struct ffwire_out *out, uint32_t step_index, const struct ffa_work *w) {
    static struct ffwire_worker_sample samples[FFA_WORK_MAX_PIDS];
    static uint8_t payload[FFWIRE_METRICS_HEADER_BYTES + FFA_WORK_MAX_PIDS * FFWIRE_METRICS_WORKER_BYTES
                           + FFWIRE_METRICS_LATENCY_BYTES];
    if (!w->slots)
        return -1;
    uint64_t elapsed = (uint64_t)(ffa_now_ns() - w->started_ns);
    int probes = 0;
    for (int i = 0; i < w->n; i++) {
        struct ffwire_worker_sample *s = &samples[i];
        memset(s, 0, sizeof(*s));
        s->role = w->roles[i];
        s->iterations = w->slots[i].iterations;
        s->group = (uint32_t)w->groups[i];
        s->cpuset_escapes = w->slots[i].escapes + w->sampled_escapes[i];
        read_schedstat(w->pids[i], s);
        read_sched(w->pids[i], s);
        probes += w->roles[i] == FFWIRE_WORKER_LATENCY;
    }
    struct ffwire_latency_summary lat = {0};
    uint64_t total = __atomic_load_n(&w->latency->samples, __ATOMIC_RELAXED);
    if (probes > 0) {
        lat.samples = total;
        if (total > 0) {
            lat.p50_ns = percentile(w->latency, total, 500);
            lat.p90_ns = percentile(w->latency, total, 900);
            lat.p99_ns = percentile(w->latency, total, 990);
            lat.max_ns = w->latency->max_ns;
        }
    }
    size_t len = ffwire_encode_workload_metrics(payload, sizeof(payload), step_index, elapsed, samples,
                                                (size_t)w->n, &lat, probes > 0 ? 1 : 0);
    return len ? ffwire_write_frame(out, FFWIRE_MSG_WORKLOAD_METRICS, payload, len) : -1;
}
