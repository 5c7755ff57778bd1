package dev.freezeframe.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** CPU time from /proc (load-insensitive, unlike wall time) and the guest's uptime from the agent's boot line. */
final class ProcStat {
    private static final double MS_PER_TICK = 10; // USER_HZ is 100 on Linux
    private static final Pattern UPTIME = Pattern.compile("^FFAGENT boot .*uptime_s=\"?([0-9.]+)");

    private ProcStat() {
    }

    /** utime + stime of a process in ms; NaN when it is gone. */
    static double cpuMs(long pid) {
        return ticksMs(Path.of("/proc/" + pid + "/stat"));
    }

    /** Each live thread of this JVM, keyed "name/tid", with its CPU time in ms. */
    static Map<String, Double> threadCpuMs() {
        Map<String, Double> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    double ms = ticksMs(task.resolve("stat"));
                    if (!Double.isNaN(ms)) threads.put(comm + "/" + task.getFileName(), ms);
                } catch (IOException endedMeanwhile) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return threads;
    }

    /** "C2 CompilerThre/123" → "C2 CompilerThre"; numbered pools ("GC Thread#1", "vm-console-3") share one family. */
    static String family(String thread) {
        String name = thread.substring(0, thread.lastIndexOf('/'));
        return name.replaceAll("[#-]?[0-9]+$", "");
    }

    static Optional<Double> uptime(String consoleLine) {
        Matcher m = UPTIME.matcher(consoleLine);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    private static double ticksMs(Path stat) {
        try {
            String text = Files.readString(stat);
            // the name (field 2) may hold spaces; fields after its closing parenthesis are fixed
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
