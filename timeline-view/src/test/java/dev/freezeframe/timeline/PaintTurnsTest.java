package dev.freezeframe.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class PaintTurnsTest {

    @Start
    void start(Stage stage) {
        stage.show(); // the toolkit runs pulses
    }

    @Test
    void servesAskersInTheOrderTheyCameOneAtATimeAndAnAskerThatAsksAgainKeepsItsPlace() {
        PaintTurns.Queue queue = new PaintTurns.Queue();
        List<String> ran = new ArrayList<>();
        assertTrue(queue.offer("timeline", () -> ran.add("timeline 1")));
        assertFalse(queue.offer("console", () -> ran.add("console")));
        assertFalse(queue.offer("timeline", () -> ran.add("timeline 2"))); // newer work, same place

        assertTrue(queue.serveOne());
        assertEquals(List.of("timeline 2"), ran);
        assertTrue(queue.serveOne());
        assertEquals(List.of("timeline 2", "console"), ran);
        assertFalse(queue.serveOne());
        assertEquals(0, queue.size());
    }

    @Test
    void aCancelledAskerIsNotServed() {
        PaintTurns.Queue queue = new PaintTurns.Queue();
        List<String> ran = new ArrayList<>();
        queue.offer("events", () -> ran.add("events"));
        queue.cancel("events");
        assertFalse(queue.serveOne());
        assertEquals(List.of(), ran);
    }

    @Test
    void threeViewsAskingInOneGoArePaintedInThreeDifferentPulses() throws Exception {
        // each work notes the pulse it ran in, as counted by a timer that runs at every pulse
        long[] pulse = {0};
        AnimationTimer counter = new AnimationTimer() {
            @Override
            public void handle(long now) {
                pulse[0]++;
            }
        };
        ConcurrentHashMap<String, Long> ranIn = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(3);
        Platform.runLater(() -> {
            counter.start();
            for (String view : List.of("timeline", "console", "events")) {
                PaintTurns.shared().request(view, () -> {
                    ranIn.put(view, pulse[0]);
                    done.countDown();
                });
            }
        });
        try {
            assertTrue(done.await(10, TimeUnit.SECONDS), "all three were served within 10 s");
        } finally {
            Platform.runLater(counter::stop);
        }
        assertEquals(3, ranIn.values().stream().distinct().count(), "one per pulse: " + ranIn);
    }

    @Test
    void aDelayedRequestIsServedOnTheFxThread() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        boolean[] onFx = {false};
        PaintTurns.shared().requestAfter(20_000_000L, new Object(), () -> {
            onFx[0] = Platform.isFxApplicationThread();
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "served within 10 s");
        assertTrue(onFx[0]);
    }
}
