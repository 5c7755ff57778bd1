package dev.freezeframe.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The CPU time of every thread of this JVM and of its QEMU children during one run, from
 * {@code /proc/PID/task/TID/schedstat} (time on CPU in ns, not the 10 ms ticks of {@code stat}), polled every
 * {@link #POLL_MS} ms while the run lasts: a thread's time cannot be read once it has ended, so up to one poll of a
 * thread's last moments is missed. Threads are summed by family ({@link ProcStat#family}: "GC Thread#3" and "GC
 * Thread#4" are "GC Thread"), QEMU's prefixed "qemu:" ("qemu:CPU 0/TCG"). Per-thread CPU hardly depends on how loaded
 * the host is, unlike wall time: this is what shows where a monitored run's extra host CPU goes.
 */
final class ThreadCpuWatch {
    static final long POLL_MS = 100;

    /** "pid/tid" → {family, last ns seen}. */
    private final Map<String, Object[]> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> atStart = new ConcurrentHashMap<>();
    private volatile Map<String, Long> windowStart;
    private volatile Map<String, Long> windowEnd;
    private volatile long windowStartNs;
    private volatile long windowEndNs;
    private volatile boolean running = true;
    private Thread poller;

    /** Starts polling; the threads alive now count only what they use from now on. */
    static ThreadCpuWatch start() {
        ThreadCpuWatch w = new ThreadCpuWatch();
        w.take(true);
        w.poller = Thread.ofPlatform().daemon(true).name("bench-cpu").start(w::poll);
        return w;
    }

    private void poll() {
        while (running) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            take(false);
        }
    }

    private void take(boolean baseline) {
        long self = ProcessHandle.current().pid();
        threads(self, "", baseline);
        ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .forEach(p -> threads(p.pid(), "qemu:", baseline));
    }

    private void threads(long pid, String prefix, boolean baseline) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String key = pid + "/" + task.getFileName();
                try {
                    long ns = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    Object[] known = seen.get(key);
                    // a new JVM thread is "java" until it is named, a new QEMU thread has QEMU's name until then
                    if (known == null || known[0].equals("java") || ((String) known[0]).startsWith("qemu:qemu-")) {
                        String comm = Files.readString(task.resolve("comm")).strip();
                        if (known == null && baseline) atStart.put(key, ns);
                        known = new Object[] {prefix + ProcStat.family(comm + "/0"), ns};
                        seen.put(key, known);
                    }
                    known[1] = Math.max((Long) known[1], ns);
                } catch (IOException | RuntimeException endedMeanwhile) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException processGone) {
            // QEMU has exited
        }
    }

    /** Marks the start of the window of interest (the workload step): every thread's CPU time now. */
    void markStart() {
        take(false);
        windowStartNs = System.nanoTime();
        windowStart = values();
    }

    /** Marks its end. */
    void markEnd() {
        take(false);
        windowEndNs = System.nanoTime();
        windowEnd = values();
    }

    private Map<String, Long> values() {
        Map<String, Long> out = new java.util.HashMap<>();
        seen.forEach((key, v) -> out.put(key, (Long) v[1]));
        return out;
    }

    /** Seconds between the marks, NaN without both. */
    double windowSeconds() {
        return windowStart == null || windowEnd == null ? Double.NaN : (windowEndNs - windowStartNs) / 1e9;
    }

    /**
     * CPU ms per thread family between the marks (a thread born in the window counts from 0, one that ended in it
     * up to its last poll); empty without both marks.
     */
    Map<String, Double> window() {
        Map<String, Double> out = new TreeMap<>();
        if (windowStart == null || windowEnd == null) return out;
        windowEnd.forEach((key, ns) -> {
            String family = (String) seen.get(key)[0];
            if (family.startsWith("bench-cpu")) return;
            out.merge(family, (ns - windowStart.getOrDefault(key, 0L)) / 1e6, Double::sum);
        });
        return out;
    }

    /** Stops polling after one last look; CPU ms used during the run per thread family, sorted by name. */
    Map<String, Double> stop() throws InterruptedException {
        running = false;
        poller.interrupt();
        poller.join();
        take(false);
        Map<String, Double> out = new TreeMap<>();
        seen.forEach((key, v) -> {
            if (((String) v[0]).startsWith("bench-cpu")) return; // this watch itself
            long used = (Long) v[1] - atStart.getOrDefault(key, 0L);
            out.merge((String) v[0], used / 1e6, Double::sum);
        });
        return out;
    }
}
