package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashSafetyTest}: appends a live stream to run {@code args[1]} of archive
 * {@code args[0]}, starting at seq {@code args[2]}, until it is killed. After each flush it prints
 * {@code committed <seq>}: every event up to that seq is committed.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long runId = Long.parseLong(args[1]);
        long seq = Long.parseLong(args[2]);
        SplittableRandom random = new SplittableRandom(seq * 31 + 7);
        try (Archive archive = Archive.open(file);
             EventIngest ingest = archive.startIngest(runId, new EventIngest.Options(4096, 1 + random.nextInt(3000)))) {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                int burst = 1 + random.nextInt(4000);
                for (int i = 0; i < burst; i++, seq++) {
                    long at = seq * 50_000L;
                    RunEvent e = switch ((int) (seq % 4)) {
                        case 0 -> new RunEvent(seq, at, Lane.STATS, "nr_queued", "", (double) (seq % 97), null);
                        case 1 -> RunEvent.of(seq, at, Lane.CONSOLE, "line", "console line " + seq);
                        case 2 -> RunEvent.of(seq, at, Lane.SCHEDULER, "stdout", "dispatch " + seq);
                        default -> RunEvent.of(seq, at, Lane.WATCHPOINTS, "hit", "total_forks");
                    };
                    ingest.append(e);
                    if (seq % 5000 == 17) ingest.append(TestRuns.snapshot("periodic_" + (seq % 1000), at, seq));
                }
                ingest.flush();
                System.out.println("committed " + ingest.lastCommittedSeq());
                System.out.flush();
            }
        }
    }
}
