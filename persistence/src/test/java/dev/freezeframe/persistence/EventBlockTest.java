package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventBlockTest {
    private static List<RunEvent> mixed(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RunEvent> events = new ArrayList<>();
        long at = 5_000_000_000L;
        for (int i = 0; i < n; i++) {
            at += random.nextInt(-2_000, 50_000); // some events earlier than the one before
            String kind = "kind" + random.nextInt(6);
            String text = switch (random.nextInt(4)) {
                case 0 -> "";
                case 1 -> "sched_ext: enabled «qmap» ✓ " + i;
                case 2 -> "x".repeat(random.nextInt(300));
                default -> "line " + i;
            };
            Double value = switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> Double.NaN;
                case 2 -> -0.5 * i;
                default -> Double.MAX_VALUE;
            };
            String detail = random.nextInt(5) == 0 ? "{\"i\":" + i + "}" : null;
            events.add(new RunEvent(1_000_000L + 3L * i, at, Lane.SCHEDULER, kind, text, value, detail));
        }
        return events;
    }

    @Test
    void aBlockDecodesToExactlyTheEventsItWasMadeOf() {
        EventBlock.Sink sink = new EventBlock.Sink();
        for (long seed = 1; seed <= 20; seed++) {
            List<RunEvent> events = mixed(1 + (int) (seed * 97 % EventBlock.MAX_EVENTS), seed);
            assertEquals(events, EventBlock.decode(EventBlock.encode(events, sink), Lane.SCHEDULER));
        }
    }

    @Test
    void aScanSeesTheTimingAndValuesOfEveryEventWithoutItsTexts() {
        List<RunEvent> events = mixed(3_000, 5);
        List<String> scanned = new ArrayList<>();
        EventBlock.scan(EventBlock.encode(events, new EventBlock.Sink()), (seq, at, kind, hasValue, value) ->
                scanned.add(seq + "@" + at + " " + kind + " " + (hasValue ? Double.toString(value) : "-")));
        List<String> expected = events.stream().map(e -> e.seq() + "@" + e.atNanos() + " " + e.kind() + " "
                + (e.value() != null ? Double.toString(e.value()) : "-")).toList();
        assertEquals(expected, scanned);
    }

    @Test
    void aDamagedBlockIsAnArchiveErrorWithAMessageNeverAnotherException() {
        EventBlock.Sink sink = new EventBlock.Sink();
        byte[] good = EventBlock.encode(mixed(200, 7), sink);
        SplittableRandom random = new SplittableRandom(99);
        int refused = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] bad = random.nextBoolean() ? good.clone() : Arrays.copyOf(good, random.nextInt(good.length));
            if (bad.length > 0 && random.nextBoolean()) {
                bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                EventBlock.decode(bad, Lane.SCHEDULER);
            } catch (ArchiveException e) {
                assertTrue(e.getMessage().startsWith("A block of stored events is damaged"), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 500, "most damaged blocks are noticed: " + refused);
        ArchiveException e = assertThrows(ArchiveException.class, () -> EventBlock.decode(new byte[] {9}, Lane.STATS));
        assertTrue(e.getMessage().contains("unknown block format"), e.getMessage());
    }
}
