package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.wire.ControlSignal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loop around the fold: ordering, stamping, publication, actions and settling, on a real thread. */
class RunLoopTest {
    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private final List<RunAction> actions = new CopyOnWriteArrayList<>();

    @Test
    void inputsFromSeveralThreadsBecomeOneStrictlyOrderedStreamAndTheOutcomeSettles() throws Exception {
        RunLoop loop = new RunLoop(new RunFold(RunFold.Limits.DEFAULT), events::add, actions::add, System::nanoTime,
                Duration.ofMillis(20));
        loop.start("test run");
        loop.submit(new RunInput.GuestControl(new ControlSignal.SysReady(0)));
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            int id = w;
            writers[w] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) loop.submit(new RunInput.ConsoleLine("writer " + id + " line " + i));
            });
        }
        for (Thread t : writers) assertTrue(t.join(Duration.ofSeconds(60)), "a writer did not finish within 60 s");
        loop.submit(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));

        RunOutcome outcome = loop.outcome().get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.ERROR, outcome.decision().verdict());
        assertEquals(outcome.events(), events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).seq(), "sequence numbers are dense and ordered");
            if (i > 0) assertTrue(events.get(i).atNanos() >= events.get(i - 1).atNanos(), "time never goes back");
        }
        assertEquals("run_started", events.getFirst().kind());
        assertEquals(2000, events.stream().filter(e -> e.lane() == Lane.CONSOLE).count());
        assertEquals("verdict", events.getLast().kind());
        assertTrue(loop.status().ended());
        assertEquals(RunPhase.ENDED, loop.status().phase());
    }

    @Test
    void theWatchdogFiresOnItsOwnTicksAndAsksToStopTheVm() throws Exception {
        RunLoop loop = new RunLoop(new RunFold(new RunFold.Limits(Duration.ofMillis(200), Duration.ofSeconds(5))),
                events::add, action -> {
                    actions.add(action);
                }, System::nanoTime, Duration.ofMillis(10));
        loop.start("hung run");
        loop.submit(new RunInput.GuestControl(new ControlSignal.SysReady(0)));
        // The harness reacts to StopVm by killing the VM, whose end then settles the run.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (actions.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no stop asked for within 60 s");
            Thread.sleep(10);
        }
        assertTrue(actions.getFirst() instanceof RunAction.StopVm);
        loop.submit(new RunInput.VmEnded(new VmEnd("the VM was killed on request")));
        RunOutcome outcome = loop.outcome().get(10, TimeUnit.SECONDS);
        assertTrue(outcome.decision().reason().startsWith("hung:"), outcome.decision().reason());
    }

    /** The live monitor's samples arrive more often than the loop ticks: the watchdog must still look at the clock. */
    @Test
    void aSteadyStreamOfHostInputsDoesNotStarveTheWatchdog() throws Exception {
        RunLoop loop = new RunLoop(new RunFold(new RunFold.Limits(Duration.ofMillis(300), Duration.ofSeconds(5))),
                events::add, actions::add, System::nanoTime, Duration.ofMillis(100));
        loop.start("monitored, silent guest");
        loop.submit(new RunInput.GuestControl(new ControlSignal.SysReady(0)));
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread monitor = Thread.ofPlatform().start(() -> {
            while (sampling.get()) {
                var points = new dev.freezeframe.coordinator.monitor.MonitorPoints.Builder();
                points.add(loop.elapsedNanos(), "monitor:cpu0/nr_running", 1);
                loop.submit(new RunInput.MonitorSamples(points.build()));
                try {
                    Thread.sleep(5); // far more often than the loop's 100 ms tick
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (actions.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the watchdog never fired while samples kept coming");
                Thread.sleep(10);
            }
        } finally {
            sampling.set(false);
            monitor.join(10_000);
        }
        assertTrue(actions.getFirst() instanceof RunAction.StopVm);
        loop.submit(new RunInput.VmEnded(new VmEnd("the VM was killed on request")));
        RunOutcome outcome = loop.outcome().get(10, TimeUnit.SECONDS);
        assertTrue(outcome.decision().reason().startsWith("hung:"), outcome.decision().reason());
    }

    /** A guest flooding 1 MiB reports while the loop is stuck: the producers wait once the queue holds its bytes. */
    @Test
    void aFloodOfLargeInputsIsBoundedInBytesAndTheWaitIsAnEvent() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        RunLoop loop = new RunLoop(new RunFold(RunFold.Limits.DEFAULT), event -> {
            if (event.lane() == Lane.SCHEDULER && first.getAndSet(false)) {
                try {
                    release.await(60, TimeUnit.SECONDS); // the archive is slow: the loop cannot keep up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.add(event);
        }, actions::add, System::nanoTime, Duration.ofMillis(20));
        loop.start("flood");
        String mib = "y".repeat(1 << 20) + "\n";
        int total = 2 * RunLoop.QUEUE_BYTES / (2 << 20) + 8; // twice what the queue holds
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < total; i++) {
                loop.submit(new RunInput.GuestReport(new dev.freezeframe.coordinator.wire.VerdictEntry(i,
                        new dev.freezeframe.coordinator.wire.WireMessage.Stdout(mib))));
                submitted.incrementAndGet();
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int seen;
        // the producer stalls at the byte bound (far below the 65 536-input count bound)
        do {
            seen = submitted.get();
            Thread.sleep(200);
            assertTrue(System.nanoTime() < deadline, "the producer never stalled");
        } while (submitted.get() != seen || seen == 0);
        assertTrue(seen < total, "stalled before the end: " + seen + " of " + total);
        assertTrue(seen <= RunLoop.QUEUE_BYTES / (2 << 20) + 2, "bounded by bytes: " + seen + " queued");
        release.countDown();
        producer.join(60_000);
        assertEquals(total, submitted.get());
        loop.submit(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));
        loop.outcome().get(60, TimeUnit.SECONDS);
        assertTrue(events.stream().anyMatch(e -> e.kind().equals("input_backpressure")), "the wait is on the stream");
    }

    /** An input is stamped when it was submitted, not when the loop got to it. */
    @Test
    void eventsAreStampedWhenSubmittedNotWhenDequeued() throws Exception {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RunLoop loop = new RunLoop(new RunFold(RunFold.Limits.DEFAULT), event -> {
            if (event.text().equals("first")) {
                stuck.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.add(event);
        }, actions::add, clock::get, Duration.ofMillis(20));
        loop.start("stamps");
        clock.set(1_000);
        loop.submit(new RunInput.ConsoleLine("first"));
        assertTrue(stuck.await(60, TimeUnit.SECONDS));
        clock.set(2_000);
        loop.submit(new RunInput.ConsoleLine("second"));
        clock.set(9_000); // the loop gets to "second" only now
        release.countDown();
        loop.submit(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));
        loop.outcome().get(60, TimeUnit.SECONDS);
        assertEquals(2_000, events.stream().filter(e -> e.text().equals("second")).findFirst().orElseThrow().atNanos());
    }

    /** An archive that fails during the run: the run still ends, and its reason says the record is incomplete. */
    @Test
    void eventsTheSinkRejectsMarkTheOutcomeIncomplete() throws Exception {
        RunLoop loop = new RunLoop(new RunFold(RunFold.Limits.DEFAULT), event -> {
            if (event.lane() == Lane.CONSOLE) throw new IllegalStateException("disk I/O error");
            events.add(event);
        }, actions::add, System::nanoTime, Duration.ofMillis(20));
        loop.start("failing archive");
        loop.submit(new RunInput.ConsoleLine("lost"));
        loop.submit(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));
        RunOutcome outcome = loop.outcome().get(60, TimeUnit.SECONDS);
        assertTrue(outcome.decision().reason().endsWith("(the record is incomplete: 1 events could not be archived:"
                + " disk I/O error)"), outcome.decision().reason());
        assertEquals(1, loop.sinkFailures());
    }

    /** A snapshot captured but not archived (issue 12, "no lost error"): the outcome says the record lacks it. */
    @Test
    void aSnapshotTheArchiveRejectedMarksTheOutcomeIncomplete() throws Exception {
        RunLoop loop = new RunLoop(new RunFold(RunFold.Limits.DEFAULT), events::add, actions::add, System::nanoTime,
                Duration.ofMillis(20));
        loop.start("snapshot not archived");
        loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, RunLoop.ARCHIVE_FAILED,
                "snapshot error was captured but could not be archived: disk full", null));
        loop.submit(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));
        RunOutcome outcome = loop.outcome().get(60, TimeUnit.SECONDS);
        assertTrue(outcome.decision().reason().endsWith("(the record is incomplete: 1 snapshot could not be archived:"
                + " snapshot error was captured but could not be archived: disk full)"), outcome.decision().reason());
        assertTrue(events.stream().anyMatch(e -> e.kind().equals(RunLoop.ARCHIVE_FAILED)), "the event is kept too");
    }
}
