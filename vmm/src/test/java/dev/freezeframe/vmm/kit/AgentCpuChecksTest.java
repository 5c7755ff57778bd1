package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cpuset escapes of a busy-loop worker are counted by the agent sampling its CPU from /proc, not by the worker: the
 * worker catches no signal (a profiling timer in it cost a worker confined to one CPU 15 % under TCG). A small program
 * built against the agent's own workload sources (ffa_work.c) drives real worker processes on this machine: sampled
 * with its true mask a confined worker never escapes; told a mask naming a CPU it is never on, every sample of the
 * runnable loop counts one; a worker placed anywhere is not sampled. The /proc/PID/stat parser is checked on a name
 * holding spaces and parentheses.
 */
class AgentCpuChecksTest {
    private static final String PROGRAM = """
            #define _GNU_SOURCE
            #include "ffa.h"
            #include "ffa_run.h"
            #include <stdio.h>
            #include <string.h>

            #define NOWHERE (1ULL << 40) /* a CPU no worker runs on */

            static void sample(struct ffa_work *w, int times) {
                for (int i = 0; i < times; i++) {
                    ffa_work_sample_cpus(w);
                    ffa_sleep_ms(20);
                }
            }

            /* The worker's caught-signal mask from /proc/PID/status. */
            static void caught(pid_t pid, char *out, size_t size) {
                char path[64], text[4096];
                snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
                snprintf(out, size, "?");
                if (ffa_read_text(path, text, sizeof text) <= 0)
                    return;
                char *at = strstr(text, "SigCgt:\\t");
                if (at)
                    sscanf(at + 8, "%63s", out);
            }

            int main(void) {
                char state = '?';
                int cpu = -1;
                int parsed = ffa_stat_state_and_cpu("42 (a) b (c) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"
                    " 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 3 0 0", &state, &cpu);
                struct ffa_work w = {0};
                struct ffa_work_counts one = {1, 0, 0, 0};
                struct ffa_placement anywhere = {0}, cpu0 = {.cpus = 1};
                char why[256];
                if (ffa_work_begin(&w) || ffa_work_add(&w, FFA_WORK_CPU, &one, &anywhere)
                    || ffa_work_add(&w, FFA_WORK_CPU, &one, &cpu0) || ffa_work_ready(&w, why, sizeof why))
                    return 2;
                for (int tries = 0; tries < 400 && (!w.slots[0].iterations || !w.slots[1].iterations); tries++)
                    ffa_sleep_ms(50);
                if (!w.slots[0].iterations || !w.slots[1].iterations)
                    return 3;
                sample(&w, 5);
                unsigned long confined = w.sampled_escapes[1];
                __atomic_store_n(&w.slots[1].allowed, NOWHERE, __ATOMIC_RELEASE);
                sample(&w, 5);
                unsigned long nowhere = w.sampled_escapes[1] - confined;
                char mask[64];
                caught(w.pids[1], mask, sizeof mask);
                printf("%d %c %d | %lu %lu %lu %lu | %s\\n", parsed, state, cpu, confined, nowhere,
                       (unsigned long)w.sampled_escapes[0], (unsigned long)w.slots[1].escapes, mask);
                ffa_work_stop(&w);
                return 0;
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void theAgentSamplesRestrictedWorkersAndTheWorkerCatchesNoSignal() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed", "install gcc");
        Prerequisites.require(Runtime.getRuntime().availableProcessors() >= 2, "one CPU: pinning to CPU 0 restricts"
                + " nothing", "run on a machine with 2 or more CPUs");
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (String name : KitBuilder.agentSources()) Files.write(src.resolve(name), KitBuilder.agentSource(name));
        Files.writeString(src.resolve("checks.c"), PROGRAM);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-DFFA_VERSION=\"t\"",
                "-o", tmp.resolve("checks").toString()));
        for (String name : List.of("checks.c", "ffa_work.c", "ffa_cgroup.c", "ffa_metrics.c", "ffa_util.c",
                "ffa_report.c")) {
            cmd.add(src.resolve(name).toString());
        }
        Process gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "gcc ended within 2 minutes");
        assertEquals(0, gcc.exitValue(), gccOut);

        Process run = new ProcessBuilder(tmp.resolve("checks").toString()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!run.waitFor(60, TimeUnit.SECONDS)) run.destroyForcibly();
        assertEquals(0, run.exitValue(), out);
        assertEquals("1 R 3 | 0 5 0 0 | 0000000000000000", out, "parser; confined on its own CPU: 0 escapes; told a"
                + " CPU it is never on: every sample counts; placed anywhere: not sampled; the worker counts nothing"
                + " itself and catches no signal");
    }
}
