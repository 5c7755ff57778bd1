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
 * A busy-loop worker checks its CPU (cpuset escapes) from a timer only while it is restricted to some of the CPUs:
 * unrestricted, it pays no signal per 2 ms; restricted from the start, or after the agent's kick, it checks. A small
 * program built against the agent's own workload sources (ffa_work.c) drives real worker processes on this machine;
 * the mask it gives names a CPU the worker is never on, so every check counts an escape.
 */
class AgentCpuChecksTest {
    private static final String PROGRAM = """
            #define _GNU_SOURCE
            #include "ffa.h"
            #include "ffa_run.h"
            #include <signal.h>
            #include <stdio.h>

            #define NOWHERE (1ULL << 40) /* a CPU no worker runs on */

            /* Escapes counted over `ms` (waits up to 20 s for the worker to have run 100 ms of CPU). */
            static unsigned long escapes_over(struct ffa_work *w, int i, long ms) {
                unsigned long before = w->slots[i].escapes;
                ffa_sleep_ms(ms);
                for (int tries = 0; tries < 200 && w->slots[i].escapes == before; tries++)
                    ffa_sleep_ms(100);
                return w->slots[i].escapes - before;
            }

            int main(void) {
                struct ffa_work w = {0};
                struct ffa_work_counts one = {1, 0, 0, 0};
                struct ffa_placement anywhere = {0}, cpu0 = {.cpus = 1};
                char why[256];
                if (ffa_work_begin(&w) || ffa_work_add(&w, FFA_WORK_CPU, &one, &anywhere)
                    || ffa_work_add(&w, FFA_WORK_CPU, &one, &cpu0) || ffa_work_ready(&w, why, sizeof why))
                    return 2;
                /* each worker decides whether to check once, before its loop: wait (up to 20 s) until both loop,
                   or a worker not yet scheduled would read the mask set below and arm its timer without a kick */
                for (int tries = 0; tries < 400 && (!w.slots[0].iterations || !w.slots[1].iterations); tries++)
                    ffa_sleep_ms(50);
                if (!w.slots[0].iterations || !w.slots[1].iterations)
                    return 3;
                /* both now told a mask they cannot be in; only the one restricted from the start has its timer */
                __atomic_store_n(&w.slots[0].allowed, NOWHERE, __ATOMIC_RELEASE);
                __atomic_store_n(&w.slots[1].allowed, NOWHERE, __ATOMIC_RELEASE);
                unsigned long restricted = escapes_over(&w, 1, 100);
                long long until = ffa_now_ns() + 500000000LL;
                unsigned long free_before = w.slots[0].escapes;
                while (ffa_now_ns() < until)
                    ffa_sleep_ms(50);
                unsigned long unrestricted = w.slots[0].escapes - free_before;
                kill(w.pids[0], SIGWINCH); /* the agent's kick after it restricted the worker */
                unsigned long kicked = escapes_over(&w, 0, 100);
                printf("%d %lu %d\\n", restricted > 0, unrestricted, kicked > 0);
                ffa_work_stop(&w);
                return 0;
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void onlyARestrictedWorkerChecksAndTheKickStartsIt() throws Exception {
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
        assertEquals("1 0 1", out, "restricted from the start checks; unrestricted does not; the kick starts it");
    }
}
