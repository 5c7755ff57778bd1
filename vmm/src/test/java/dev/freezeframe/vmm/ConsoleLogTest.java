package dev.freezeframe.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConsoleLogTest {

    @Test
    void lateSubscribersGetTheHistoryThenLiveLinesInOrder() {
        ConsoleLog log = new ConsoleLog(System.nanoTime());
        log.append("one", true);
        log.append("two", true);
        List<String> seen = new ArrayList<>();
        Console.Subscription sub = log.subscribe(l -> seen.add(l.index() + ":" + l.text()));
        log.append("three", false);
        sub.close();
        log.append("four", true);
        assertEquals(List.of("0:one", "1:two", "2:three"), seen);
        assertEquals(4, log.lines().size());
        assertTrue(!log.lines().get(2).complete());
    }

    @Test
    void historyIsCappedAndSaysHowManyLinesItDropped() {
        ConsoleLog log = new ConsoleLog(System.nanoTime(), 3);
        List<String> live = new ArrayList<>();
        log.subscribe(l -> live.add(l.text()));
        for (int i = 0; i < 5; i++) {
            log.append("l" + i, true);
        }
        assertEquals(List.of("l2", "l3", "l4"), log.lines().stream().map(ConsoleLine::text).toList());
        assertEquals(2, log.droppedFromHistory());
        assertEquals(5, live.size(), "subscribers see every line");
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        ConsoleLog log = new ConsoleLog(System.nanoTime());
        List<String> seen = new ArrayList<>();
        log.subscribe(l -> {
            throw new IllegalStateException("listener bug");
        });
        log.subscribe(l -> seen.add(l.text()));
        log.append("still delivered", true);
        assertEquals(List.of("still delivered"), seen);
    }

    @Test
    void awaitLineFindsPastAndFutureLinesAndGivesUpWhenTheConsoleEnds() throws Exception {
        ConsoleLog log = new ConsoleLog(System.nanoTime());
        log.append("Linux version 7.2.13", true);
        assertEquals("Linux version 7.2.13",
                log.awaitLine(t -> t.startsWith("Linux version"), Duration.ofSeconds(1)).orElseThrow().text());
        CompletableFuture<Optional<ConsoleLine>> later = CompletableFuture.supplyAsync(() -> {
            try {
                return log.awaitLine(t -> t.startsWith("FFAGENT"), Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        log.append("noise", true);
        log.append("FFAGENT agent version=1", true);
        assertEquals("FFAGENT agent version=1", later.get().orElseThrow().text());

        CompletableFuture<Optional<ConsoleLine>> never = CompletableFuture.supplyAsync(() -> {
            try {
                return log.awaitLine(t -> t.equals("never"), Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        log.end();
        assertTrue(never.get().isEmpty());
        assertTrue(log.ended().isDone());
        log.append("after the end", true);
        assertEquals(3, log.lines().size(), "lines after the end are ignored");
    }
}
