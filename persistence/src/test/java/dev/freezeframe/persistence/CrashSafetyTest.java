package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM ingesting a live stream is killed with SIGKILL ({@link Process#destroyForcibly()}) at random moments;
 * after every kill the archive must open, pass {@code PRAGMA integrity_check}, and hold every event the child reported
 * committed — with no gap and a pyramid that counts exactly the stored events. Iterations: 20 by default,
 * 100 with {@code -Dfreezeframe.longSuite=true}, or {@code -Dfreezeframe.crashIterations=N}.
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    static int iterations() {
        Integer explicit = Integer.getInteger("freezeframe.crashIterations");
        if (explicit != null) return explicit;
        return Boolean.getBoolean("freezeframe.longSuite") ? 100 : 20;
    }

    @Test
    void sigkillAtRandomMomentsNeverLosesACommittedEventNorCorruptsTheArchive() throws Exception {
        Path file = dir.resolve("crash.db");
        long runId;
        try (Archive archive = Archive.open(file)) {
            runId = TestRuns.createRun(archive, "scx_qmap", Instant.now());
        }
        SplittableRandom random = new SplittableRandom(2026);
        long nextSeq = 0;
        long totalReported = -1;
        int killedWhileStreaming = 0;
        boolean sawRecording = false;
        int n = iterations();
        for (int i = 0; i < n; i++) {
            Process child = new ProcessBuilder(javaBinary(), "--enable-native-access=ALL-UNNAMED",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), file.toString(), Long.toString(runId), Long.toString(nextSeq))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            AtomicLong reported = new AtomicLong(-1);
            CountDownLatch firstCommit = new CountDownLatch(1);
            List<String> unexpected = new ArrayList<>();
            Thread reader = Thread.ofPlatform().daemon(true).start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("committed ")) {
                            reported.set(Long.parseLong(line.substring(10)));
                            firstCommit.countDown();
                        } else if (!line.equals("ready")) {
                            synchronized (unexpected) {
                                unexpected.add(line);
                            }
                        }
                    }
                } catch (Exception ignored) {
                    // the pipe breaks when the child is killed
                }
            });
            // kill at a random moment: sometimes before the first report, mostly while it streams
            if (random.nextInt(5) != 0 && firstCommit.await(30, TimeUnit.SECONDS) && !sawRecording) {
                // another process sees the run as being recorded while the child holds its lease
                try (Archive archive = Archive.open(file)) {
                    assertEquals("running", archive.runs().detail(runId).orElseThrow().run().verdictLabel());
                }
                sawRecording = true;
            }
            Thread.sleep(random.nextInt(400));
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            reader.join(5_000);
            long committed = reported.get();
            if (committed >= 0) {
                totalReported = committed;
                killedWhileStreaming++;
            }

            try (Archive archive = Archive.open(file); Statement s = archive.connection().createStatement()) {
                try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                    rs.next();
                    assertEquals("ok", rs.getString(1), "integrity after kill " + i);
                }
                long count;
                long maxSeq;
                try (ResultSet rs = s.executeQuery(
                        "SELECT coalesce(sum(event_count), 0), coalesce(max(last_seq), -1) FROM event_blocks "
                                + "WHERE run_id = " + runId)) {
                    rs.next();
                    count = rs.getLong(1);
                    maxSeq = rs.getLong(2);
                }
                assertTrue(maxSeq >= totalReported, "kill " + i + ": reported committed seq " + totalReported
                        + " but the archive ends at " + maxSeq);
                assertEquals(maxSeq + 1, count, "kill " + i + ": events must be contiguous from seq 0");
                TimelineQueries.Viewport whole = archive.timeline().atLevel(runId, 0, Long.MAX_VALUE >> 1,
                        Lod.MAX_LEVEL, java.util.EnumSet.allOf(dev.freezeframe.coordinator.model.Lane.class));
                assertEquals(count, whole.lanes().stream().mapToLong(TimelineQueries.LaneBuckets::total).sum(),
                        "kill " + i + ": the pyramid counts exactly the committed events");
                nextSeq = maxSeq + 1;
                assertEquals("interrupted", archive.runs().detail(runId).orElseThrow().run().verdictLabel(),
                        "kill " + i + ": the killed recorder's run reads as interrupted");
            }
            synchronized (unexpected) {
                assertTrue(unexpected.isEmpty(), "child printed " + unexpected);
            }
        }
        assertTrue(nextSeq > 0, "the children committed something");
        assertTrue(sawRecording, "the run was seen as running while a child recorded it");
        System.out.printf("crash safety: %d SIGKILLs (%d after the child reported commits), %d events committed, "
                + "integrity ok after every kill%n", n, killedWhileStreaming, nextSeq);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
