package dev.freezeframe.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter((text, complete) -> lines.add((complete ? "" : "~") + text));

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        splitter.feed(b, 0, b.length);
    }

    @Test
    void splitsOnNewlineAndDropsTheSerialCarriageReturns() {
        feed("Linux version 7.2\r\nsecond\n\r\n");
        assertEquals(List.of("Linux version 7.2", "second", ""), lines);
    }

    @Test
    void joinsLinesSplitAcrossReadsAndKeepsThePartialLastLineAtTheEnd() {
        feed("FFAGENT bo");
        feed("ot cpus=2\r");
        feed("\nreboot: Power do");
        splitter.finish();
        assertEquals(List.of("FFAGENT boot cpus=2", "~reboot: Power do"), lines);
    }

    @Test
    void aLineThatNeverEndsIsCutAtTheLimit() {
        feed("x".repeat(ConsoleLine.MAX_CHARS + 5) + "\n");
        assertEquals(2, lines.size());
        assertEquals("~" + "x".repeat(ConsoleLine.MAX_CHARS), lines.get(0));
        assertEquals("xxxxx", lines.get(1));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        splitter.feed(new byte[] {'a', (byte) 0xff, 'b', '\n'}, 0, 4);
        assertEquals(List.of("a\uFFFDb"), lines);
    }

    @Test
    void finishWithoutPendingBytesAddsNothing() {
        feed("done\n");
        splitter.finish();
        assertEquals(List.of("done"), lines);
    }
}
