package dev.freezeframe.coordinator.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The snapshot bridge's store semantics (ktstr), ported: caps, FIFO eviction, overwrites, events, periodic tags. */
class SnapshotStoreTest {
    private final SnapshotStore store = new SnapshotStore();

    private static SnapshotRecord snapshot(String tag, String json) {
        return new SnapshotRecord(tag, SnapshotKind.REQUESTED, 0, Optional.of(1), false, Optional.empty(), json);
    }

    private static SnapshotRecord snapshot(String tag) {
        return snapshot(tag, "{}");
    }

    @Test
    void periodicTagsAreExactlyPeriodicAndThreeDigits() {
        for (String good : List.of("periodic_000", "periodic_007", "periodic_999")) {
            assertTrue(SnapshotRecord.isPeriodicTag(good), good);
        }
        for (String bad : List.of("periodic_", "periodic_1", "periodic_01", "periodic_0001", "periodic_abc",
                "periodic_12a", "Periodic_001", "xperiodic_001", "periodic-001", "periodic_１２３", "")) {
            assertFalse(SnapshotRecord.isPeriodicTag(bad), bad);
        }
    }

    @Test
    void periodicRealCountIgnoresUserTagsWithThePeriodicPrefixAndPlaceholders() {
        store.store(snapshot("periodic_000"));
        store.store(snapshot("periodic_001"));
        store.store(snapshot("periodic_user_tag"));
        store.store(snapshot("periodic_0002"));
        store.storeUnavailable(SnapshotRecord.placeholder("periodic_002", SnapshotKind.PERIODIC, 0, Optional.empty(),
                "the guest did not stop in time"));
        assertEquals(2, store.periodicRealCount());
        assertEquals(5, store.size());
    }

    @Test
    void pastTheCapTheOldestIsEvictedAndEveryEvictionIsAnEvent() {
        IntStream.range(0, SnapshotStore.MAX_STORED_SNAPSHOTS + 3).forEach(i -> store.store(snapshot("s" + i)));
        assertEquals(SnapshotStore.MAX_STORED_SNAPSHOTS, store.size());
        assertEquals("s3", store.ordered().getFirst().tag());
        assertFalse(store.get("s0").isPresent());
        assertEquals(List.of(
                new StoreEvent.Eviction("s0", "s64", 64),
                new StoreEvent.Eviction("s1", "s65", 64),
                new StoreEvent.Eviction("s2", "s66", 64)), store.drainEvents());
    }

    @Test
    void storingATagAgainOverwritesItRefreshesItsPlaceAndSaysSo() {
        store.store(snapshot("a", "{\"v\":1}"));
        store.store(snapshot("b"));
        store.store(snapshot("a", "{\"v\":2}"));
        assertEquals(List.of("b", "a"), store.ordered().stream().map(SnapshotRecord::tag).toList());
        assertEquals("{\"v\":2}", store.get("a").orElseThrow().reportJson());
        assertEquals(List.of(new StoreEvent.Overwrite("a")), store.drainEvents());

        // the refreshed tag is now the newest, so it survives the next eviction
        IntStream.range(0, SnapshotStore.MAX_STORED_SNAPSHOTS - 1).forEach(i -> store.store(snapshot("n" + i)));
        assertTrue(store.get("a").isPresent());
        assertFalse(store.get("b").isPresent());
    }

    @Test
    void aFailedCaptureLeavesAPlaceholderAndAnEvent() {
        store.storeUnavailable(SnapshotRecord.placeholder("mid", SnapshotKind.REQUESTED, 5, Optional.of(1),
                "scx_root is NULL: no scheduler loaded"));
        SnapshotRecord kept = store.get("mid").orElseThrow();
        assertTrue(kept.placeholder());
        assertEquals(List.of(new StoreEvent.CaptureUnavailable("mid", "scx_root is NULL: no scheduler loaded")),
                store.drainEvents());
        assertThrows(IllegalArgumentException.class, () -> store.storeUnavailable(snapshot("x")));
    }

    @Test
    void theEventLogIsCappedAndItsTruncationIsReportedOnceAtTheTail() {
        int overflow = 10;
        IntStream.range(0, SnapshotStore.MAX_STORED_EVENTS + overflow).forEach(i -> store.store(snapshot("same")));
        List<StoreEvent> events = store.drainEvents();
        assertEquals(SnapshotStore.MAX_STORED_EVENTS + 1, events.size());
        // the first store is not an overwrite, so there were CAP + overflow - 1 overwrites
        assertEquals(new StoreEvent.EventLogTruncated(overflow - 1), events.getLast());
        assertTrue(store.drainEvents().isEmpty(), "the marker resets after a drain");
    }
}
