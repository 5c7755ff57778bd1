package dev.freezeframe.app.ui.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.ui.source.TestRunArchives;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The console's canvas on its own: it paints only the rows in view, scrolls within bounds, copies line ranges. */
@ExtendWith(ApplicationExtension.class)
class ConsoleCanvasTest {
    private final List<RunEvent> lines = new ArrayList<>();
    private int band = -1;
    private ConsoleCanvas canvas;

    @Start
    void start(Stage stage) {
        for (long seq = 0; seq < 5_000; seq++) lines.add(TestRunArchives.consoleLine(seq));
        canvas = new ConsoleCanvas(new ConsoleCanvas.Lines() {
            @Override
            public int size() {
                return lines.size();
            }

            @Override
            public RunEvent line(int i) {
                return lines.get(i);
            }

            @Override
            public int bandIndex() {
                return band;
            }
        });
        canvas.contentChanged();
        stage.setScene(new Scene(canvas, 800, 300));
        stage.show();
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private void awaitPainted(int top) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> canvas.lastFrameTop() == top
                && !canvas.lastFrame().isEmpty()));
    }

    @Test
    void paintsOnlyTheRowsInViewAndScrollsWithinBounds(FxRobot robot) throws Exception {
        awaitPainted(0);
        int rows = onFx(canvas::rows);
        // Bounds, not an exact count: the headless platform's font metrics differ between JVMs (40-42 rows seen with
        // its fallback font, 15 with a desktop one); what matters is a screenful, not one row or thousands.
        assertTrue(rows > 5 && rows <= 60, "a 300 px view holds a screenful of rows: " + rows);
        assertTrue(onFx(() -> canvas.lastFrame().size()) <= rows + 1, "only the rows in view are painted");
        assertEquals(ConsoleFormat.paragraph(lines.get(0)), onFx(() -> canvas.lastFrame().getFirst().text()));
        long frames = onFx(canvas::frames);
        for (int pulse = 0; pulse < 10; pulse++) WaitForAsyncUtils.waitForFxEvents();
        assertEquals(frames, (long) onFx(canvas::frames), "nothing changed, nothing redrawn");

        robot.interact(() -> canvas.showAtTop(1_000_000));
        int lastTop = lines.size() - rows;
        awaitPainted(lastTop);
        assertEquals(lines.size() - 1, (int) onFx(canvas::lastVisible), "the end is the bottom row, not beyond");
        assertEquals(ConsoleFormat.paragraph(lines.getLast()), onFx(() -> canvas.lastFrame().get(rows - 1).text()));

        AtomicInteger scrolledBack = new AtomicInteger();
        robot.interact(() -> canvas.setOnScrollBack(scrolledBack::incrementAndGet));
        robot.clickOn(canvas).type(KeyCode.PAGE_UP);
        awaitPainted(lastTop - (rows - 1));
        assertEquals(1, scrolledBack.get(), "Page Up lets a followed tail go");
        robot.type(KeyCode.PAGE_DOWN);
        awaitPainted(lastTop);
    }

    @Test
    void copiesTheBandedLineOrTheShiftClickedRange() throws Exception {
        band = 10;
        assertEquals(ConsoleFormat.paragraph(lines.get(10)) + "\n", onFx(canvas::selectedText));
        WaitForAsyncUtils.asyncFx(() -> canvas.extendTo(lines.get(7).seq())).get();
        String range = onFx(canvas::selectedText);
        assertEquals(4, range.lines().count(), "lines 7 to 10");
        assertTrue(range.startsWith(ConsoleFormat.paragraph(lines.get(7))));
        band = -1;
        assertEquals("", onFx(canvas::selectedText), "nothing banded, nothing to copy");
    }
}
