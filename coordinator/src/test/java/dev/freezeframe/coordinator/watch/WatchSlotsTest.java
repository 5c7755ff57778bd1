package dev.freezeframe.coordinator.watch;

import static dev.freezeframe.coordinator.watch.WatchFixture.COPY_PROCESS;
import static dev.freezeframe.coordinator.watch.WatchFixture.JIFFIES_64;
import static dev.freezeframe.coordinator.watch.WatchFixture.TOTAL_FORKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchSlotsTest {
    private final WatchFixture f = new WatchFixture();

    private String refusal(WatchSlots slots, String spec) {
        int before = f.events("refused").size();
        CoordinatorException e = assertThrows(CoordinatorException.class, () -> slots.arm(spec), spec);
        List<WatchFixture.Event> refused = f.events("refused");
        assertEquals(before + 1, refused.size(), "one refused event for " + spec);
        assertEquals(e.getMessage(), refused.getLast().text(), "the event's text is the reason");
        return e.getMessage();
    }

    @Test
    void armsInTheLowestFreeSlotWithTheDefaultSizeFromAlignmentAndExtent() {
        WatchSlots slots = f.slots();
        ArmedWatch forks = slots.arm("total_forks");
        ArmedWatch features = slots.arm("sysctl_sched_features");
        ArmedWatch small = slots.arm("small_int");
        assertEquals(List.of(1, 2, 3), List.of(forks.slot(), features.slot(), small.slot()));
        assertEquals(Watchpoint.write(TOTAL_FORKS, 8), forks.watchpoint(), "8-byte aligned, 8 bytes to nr_threads");
        assertEquals(4, features.watchpoint().length(), "8-byte aligned but only 4 bytes up to the next symbol");
        assertEquals(4, small.watchpoint().length(), "only 4-byte aligned");
        assertEquals(List.of(forks.watchpoint(), features.watchpoint(), small.watchpoint()), f.armed);
        assertEquals("watch:total_forks", forks.tag());

        List<WatchFixture.Event> armed = f.events("armed");
        assertEquals(3, armed.size());
        assertTrue(armed.getFirst().text().contains("slot 1: total_forks (write, 8 bytes at 0xffffffff83a00010)"),
                armed.getFirst().text());
        ObjectNode detail = armed.getFirst().detail();
        assertEquals("0xffffffff83a00010", detail.get("address").asText());
        assertEquals("B", detail.get("symbol_type").asText());
    }

    @Test
    void offsetsSizesAndKindsAreHonoured() {
        WatchSlots slots = f.slots();
        ArmedWatch upper = slots.arm("total_forks+0x4");
        assertEquals(Watchpoint.write(TOTAL_FORKS + 4, 4), upper.watchpoint(), "not 8-byte aligned: 4 bytes");
        assertEquals("total_forks+0x4", upper.label());
        ArmedWatch one = slots.arm("big_struct+3:1:read");
        assertEquals(new Watchpoint(0xffffffff83a00043L, 1, WatchKind.READ), one.watchpoint());
        ArmedWatch access = slots.arm("jiffies_64:4:access");
        assertEquals(new Watchpoint(JIFFIES_64, 4, WatchKind.ACCESS), access.watchpoint());
    }

    @Test
    void aMisalignedWatchIsRefusedSayingTheAlignment() {
        WatchSlots slots = f.slots();
        String reason = refusal(slots, "total_forks+1");
        assertTrue(reason.contains("4-byte watch must be 4-byte aligned"), reason);
        assertTrue(reason.contains("0xffffffff83a00011"), reason);
        assertTrue(reason.contains(":1"), "suggests the size that fits: " + reason);
        assertTrue(refusal(slots, "total_forks+4:8").contains("must be 8-byte aligned"));
        assertTrue(f.armed.isEmpty());
        assertEquals(1, slots.arm("total_forks+1:1").watchpoint().length(), "1 byte fits anywhere");
    }

    @Test
    void anUnknownSymbolIsRefusedWithCloseNamesWhenThereAreAny() {
        WatchSlots slots = f.slots();
        String none = refusal(slots, "no_such_symbol_xyz");
        assertTrue(none.contains("no_such_symbol_xyz is not in the guest kernel's symbol table"), none);
        String close = refusal(slots, "forks");
        assertTrue(close.contains("names containing it: total_forks"), close);
        assertEquals("watch forks", f.events("refused").getLast().detail().get("request").asText());
    }

    @Test
    void functionsPerCpuVariablesAndOffsetsPastTheSymbolAreRefused() {
        WatchSlots slots = f.slots();
        assertTrue(refusal(slots, "copy_process").contains("copy_process is a function (0xffffffff81100000 lies in the "
                + "kernel's code)"));
        assertTrue(refusal(slots, "runqueues").contains("per-CPU variable"));
        assertTrue(refusal(slots, "total_forks+0x8").contains("lies past the end of total_forks, which spans 8 bytes"));
        assertTrue(f.armed.isEmpty());
        assertEquals(8, slots.arm("jiffies_64").watchpoint().length(), "typed T but outside the text: a variable");
    }

    @Test
    void aKindTheVmCannotWatchIsRefusedNamingTheKindsItCan() {
        f.kinds = EnumSet.of(WatchKind.WRITE, WatchKind.ACCESS);
        WatchSlots slots = f.slots();
        String reason = refusal(slots, "jiffies_64:read");
        assertTrue(reason.contains("cannot watch reads") && reason.contains("it can watch write, access (:access stops"
                + " on reads and writes)"), reason);
        f.kinds = EnumSet.noneOf(WatchKind.class);
        assertTrue(refusal(slots, "jiffies_64").contains("no watchpoints at all"));
    }

    @Test
    void aFourthWatchIsRefusedSayingWhatEachSlotHolds() {
        WatchSlots slots = f.slots();
        slots.arm("total_forks");
        slots.arm("jiffies_64+0");
        slots.arm("small_int");
        String reason = refusal(slots, "nr_threads");
        assertTrue(reason.contains("All 3 user watch slots are in use (1: total_forks, 2: jiffies_64+0x0, 3: "
                + "small_int)"), reason);
        assertTrue(reason.contains("slot 0 is reserved for the scheduler-error trigger"), reason);
        assertTrue(reason.contains("disarm one first"), reason);
        assertEquals(3, f.armed.size(), "nothing more armed in the VM");
    }

    @Test
    void anAddressAlreadyWatchedOrOverlappingSlotZeroIsRefused() {
        WatchSlots slots = f.slots();
        slots.arm("total_forks");
        assertTrue(refusal(slots, "total_forks:4").contains("already watched in slot 1"));
        assertTrue(refusal(slots, "total_forks+4:4").contains("is already watched in part by slot 1 (total_forks"));
        assertEquals(2, slots.arm("nr_threads:4").slot(), "the next 4 bytes are free");
        f.errorTrigger = Optional.of(Watchpoint.write(0xffffffff83a0001cL, 4));
        assertTrue(refusal(slots, "after_threads").contains("overlaps slot 0, the scheduler-error trigger"));
    }

    @Test
    void theVmsOwnRefusalIsPassedOnAndLeavesTheSlotFree() {
        WatchSlots slots = f.slots();
        f.armFailure = new VmmException(VmmException.Kind.WATCHPOINT_REFUSED, "QEMU refused to arm it.");
        assertTrue(refusal(slots, "total_forks").contains("QEMU refused to arm it."));
        f.armFailure = new VmmException(VmmException.Kind.VM_GONE, "gone");
        assertTrue(refusal(slots, "total_forks").contains("The run has ended"));
        f.armFailure = null;
        assertEquals(1, slots.arm("total_forks").slot());
    }

    @Test
    void disarmBySlotLabelOrSymbolFreesTheSlotForTheNextArm() {
        WatchSlots slots = f.slots();
        slots.arm("total_forks");
        slots.arm("jiffies_64+0x4");
        slots.arm("small_int");
        assertEquals(2, slots.disarm("jiffies_64").slot(), "by symbol when only one slot watches it");
        assertEquals(1, slots.disarm("1").slot());
        assertEquals(3, slots.disarm("small_int").slot());
        assertTrue(f.armed.isEmpty(), "disarmed in the VM");
        assertEquals(3, f.events("disarmed").size());
        assertTrue(f.events("disarmed").getFirst().text().contains("slot 2: jiffies_64+0x4 disarmed after 0 hits"));
        assertEquals(1, slots.arm("nr_threads").slot(), "the lowest free slot again");
    }

    @Test
    void disarmingNothingIsRefusedWithAReason() {
        WatchSlots slots = f.slots();
        slots.arm("jiffies_64+0x0:4");
        slots.arm("jiffies_64+0x4:4");
        assertTrue(assertThrows(CoordinatorException.class, () -> slots.disarm("0")).getMessage()
                .contains("Slot 0 is the scheduler-error trigger"));
        assertTrue(assertThrows(CoordinatorException.class, () -> slots.disarm("3")).getMessage()
                .contains("Slot 3 is free"));
        assertTrue(assertThrows(CoordinatorException.class, () -> slots.disarm("7")).getMessage()
                .contains("There is no slot 7"));
        assertTrue(assertThrows(CoordinatorException.class, () -> slots.disarm("total_forks")).getMessage()
                .contains("Nothing watches total_forks"));
        assertTrue(assertThrows(CoordinatorException.class, () -> slots.disarm("jiffies_64")).getMessage()
                .contains("watched in slots 1 and 2; give the slot number"));
        assertEquals(2, slots.disarm("jiffies_64+0x4").slot(), "the exact label picks one");
        assertEquals(5, f.events("refused").size());
    }

    @Test
    void describeReportsSlotZeroAsTheErrorTriggerAndEveryUserSlot() {
        WatchSlots slots = f.slots();
        slots.arm("total_forks");
        String line = slots.describe();
        assertTrue(line.startsWith("0: reserved for the scheduler-error trigger (not armed now); 1: total_forks (write,"
                + " 8 bytes at 0xffffffff83a00010), 0 hits (0 with a snapshot); 2: free; 3: free"), line);
        f.errorTrigger = Optional.of(Watchpoint.write(0xffff888004a1c010L, 4));
        assertTrue(slots.describe().startsWith("0: scheduler-error trigger on scx_root->exit_kind (write "
                + "4@0xffff888004a1c010)"), slots.describe());
        assertFalse(line.contains("\n"));
    }

    @Test
    void aHitCapturesASnapshotTaggedWithTheSymbolCarryingTheHitsFactsThenResumes() {
        WatchSlots slots = f.slots();
        Watchpoint w = slots.arm("total_forks").watchpoint();
        WatchFixture.Stop stop = new WatchFixture.Stop();
        slots.onHit(WatchFixture.hit(w, 1, 1, COPY_PROCESS + 0x5c3, 0x1f4, 0x1f5, stop));

        assertFalse(stop.open, "the guest is resumed after the capture");
        assertEquals(1, f.captures.size());
        WatchFixture.Capture capture = f.captures.getFirst();
        assertEquals("watch:total_forks", capture.tag());
        ObjectNode t = capture.trigger();
        assertEquals("watchpoint", t.get("trigger").asText());
        assertEquals(1, t.get("slot").asInt());
        assertEquals(1, t.get("hit").asLong());
        assertEquals(1, t.get("vcpu").asInt());
        assertEquals("0x1f4", t.get("old").asText());
        assertEquals("0x1f5", t.get("new").asText());
        assertEquals("0xffffffff811005c3", t.get("rip").asText());
        assertEquals("copy_process+0x5c3/0x1c40", t.get("rip_symbol").asText());
        assertEquals("0xffffffff83a00010", t.get("address").asText());

        WatchFixture.Event hit = f.events("hit").getFirst();
        assertTrue(hit.text().startsWith("total_forks hit 1 on vCPU 1: 0x1f4 → 0x1f5 at copy_process+0x5c3/0x1c40; "
                + "snapshot watch:total_forks"), hit.text());
        assertTrue(hit.detail().get("snapshot").asBoolean());
        assertEquals(30_000, hit.detail().get("hit_to_archived_us").asLong(), "timed on the slots' clock");
        assertEquals(1, slots.armed().getFirst().hits());
        assertEquals(1, slots.armed().getFirst().snapshots());
    }

    /** The gdbstub could not give the writing vCPU's registers: the hit still counts and still gets its snapshot. */
    @Test
    void aHitWhoseRegistersCouldNotBeReadStillCapturesAndSaysWhatIsMissing() {
        WatchSlots slots = f.slots();
        Watchpoint w = slots.arm("total_forks").watchpoint();
        WatchFixture.Stop stop = new WatchFixture.Stop();
        slots.onHit(new dev.freezeframe.vmm.WatchHit(w, 1, 1, w.address(), null, java.util.OptionalLong.of(1),
                java.util.OptionalLong.of(2), stop, "the gdbstub did not answer 'g' in time"));

        assertFalse(stop.open, "the guest is resumed");
        assertEquals(1, f.captures.size(), "the snapshot is taken all the same");
        ObjectNode t = f.captures.getFirst().trigger();
        assertTrue(t.get("rip").isNull());
        assertEquals("the gdbstub did not answer 'g' in time", t.get("registers_unreadable").asText());
        assertTrue(f.events("hit").getFirst().text().contains(" at an unknown RIP (registers unreadable); snapshot"),
                f.events("hit").getFirst().text());
    }

    /** Issue 12, "no lost error": a hit whose handling fails is a run event, the guest resumes, later hits still count. */
    @Test
    void aHitWhoseHandlingFailsIsAHitFailedEventAndTheGuestResumes() {
        WatchSlots slots = f.slots();
        Watchpoint w = slots.arm("total_forks").watchpoint();
        f.captureFailure = new IllegalStateException("BTF of the map value is truncated");
        WatchFixture.Stop stop = new WatchFixture.Stop();
        slots.onHit(WatchFixture.hit(w, 1, 1, COPY_PROCESS, 1, 2, stop));

        assertFalse(stop.open, "the guest is resumed even though the hit could not be handled");
        List<WatchFixture.Event> failed = f.events("hit_failed");
        assertEquals(1, failed.size(), f.events.toString());
        assertEquals("total_forks hit 1 could not be handled: BTF of the map value is truncated", failed.getFirst().text());
        assertEquals(1, failed.getFirst().detail().get("hit").asLong());
        assertEquals("BTF of the map value is truncated", failed.getFirst().detail().get("reason").asText());
        assertTrue(f.events("hit").isEmpty(), "no hit event claims a snapshot that was never taken");

        f.captureFailure = null;
        slots.onHit(WatchFixture.hit(w, 2, 1, COPY_PROCESS, 2, 3, new WatchFixture.Stop()));
        assertEquals(1, f.events("hit").size(), "the next hit is handled as usual");
        assertEquals(2, slots.armed().getFirst().hits());
    }

    @Test
    void valuesAreMaskedToTheWatchedSize() {
        WatchSlots slots = f.slots();
        Watchpoint w = slots.arm("small_int:2").watchpoint();
        slots.onHit(WatchFixture.hit(w, 1, 0, COPY_PROCESS, -1L, 0x12345L, new WatchFixture.Stop()));
        ObjectNode t = f.captures.getFirst().trigger();
        assertEquals("0xffff", t.get("old").asText());
        assertEquals("0x2345", t.get("new").asText());
    }

    @Test
    void onlyTheFirstHitsOfAWatchGetSnapshotsLaterOnesAreCounted() {
        WatchSlots slots = f.slots(new WatchPolicy(1000, Duration.ofSeconds(1), 2));
        Watchpoint w = slots.arm("total_forks").watchpoint();
        for (int i = 1; i <= 4; i++) {
            WatchFixture.Stop stop = new WatchFixture.Stop();
            slots.onHit(WatchFixture.hit(w, i, 0, COPY_PROCESS, i - 1, i, stop));
            assertFalse(stop.open, "hit " + i + " resumed");
        }
        assertEquals(2, f.captures.size());
        List<WatchFixture.Event> hits = f.events("hit");
        assertEquals(4, hits.size(), "every hit is on the timeline");
        assertFalse(hits.get(2).detail().get("snapshot").asBoolean());
        assertTrue(hits.get(3).text().contains("counted only (the first 2 hits of a watch get a snapshot)"));
        assertEquals(4, slots.armed().getFirst().hits());
        assertEquals(2, slots.armed().getFirst().snapshots());
    }

    @Test
    void aWatchHitMoreOftenThanTheLimitIsDisarmedWithAnEventAndItsSlotFreed() {
        WatchSlots slots = f.slots(new WatchPolicy(3, Duration.ofSeconds(1), 0));
        Watchpoint w = slots.arm("jiffies_64").watchpoint();
        for (int i = 1; i <= 4; i++) {
            f.clock.addAndGet(100_000_000L);
            slots.onHit(WatchFixture.hit(w, i, 0, COPY_PROCESS, i - 1, i, new WatchFixture.Stop()));
        }
        List<WatchFixture.Event> auto = f.events("auto_disarmed");
        assertEquals(1, auto.size());
        assertTrue(auto.getFirst().text().startsWith("jiffies_64 was hit 4 times in 1 s; disarmed so the guest is not "
                + "drowned (limit: 3 hits per 1 s"), auto.getFirst().text());
        assertEquals(4, auto.getFirst().detail().get("hits_in_window").asInt());
        assertTrue(f.armed.isEmpty(), "disarmed in the VM");
        assertTrue(slots.armed().isEmpty());
        assertEquals("hit", f.events.get(f.events.size() - 2).kind(), "the hot hit is on the timeline before");

        // a hit delivered after the disarm (it was queued) is resumed and ignored
        WatchFixture.Stop late = new WatchFixture.Stop();
        slots.onHit(WatchFixture.hit(w, 5, 0, COPY_PROCESS, 4, 5, late));
        assertFalse(late.open);
        assertEquals(4, f.events("hit").size());
    }

    @Test
    void hitsSpreadWiderThanTheWindowNeverDisarm() {
        WatchSlots slots = f.slots(new WatchPolicy(3, Duration.ofSeconds(1), 0));
        Watchpoint w = slots.arm("jiffies_64").watchpoint();
        for (int i = 1; i <= 20; i++) {
            f.clock.addAndGet(400_000_000L);
            slots.onHit(WatchFixture.hit(w, i, 0, COPY_PROCESS, i - 1, i, new WatchFixture.Stop()));
        }
        assertTrue(f.events("auto_disarmed").isEmpty());
        assertEquals(20, slots.armed().getFirst().hits());
    }

    @Test
    void theDefaultPolicyAllowsTwentyHitsPerSecondAndTenSnapshots() {
        assertEquals(20, WatchPolicy.DEFAULT.hotHits());
        assertEquals(Duration.ofSeconds(1), WatchPolicy.DEFAULT.hotWindow());
        assertEquals(10, WatchPolicy.DEFAULT.snapshotsPerWatch());
        WatchSlots slots = f.slots();
        Watchpoint w = slots.arm("jiffies_64").watchpoint();
        for (int i = 1; i <= 21; i++) {
            f.clock.addAndGet(1_000_000L);
            slots.onHit(WatchFixture.hit(w, i, 0, COPY_PROCESS, i - 1, i, new WatchFixture.Stop()));
        }
        // the 10 snapshots take 30 ms each on the fixture's clock: 21 hits still fall within 1 s
        assertEquals(10, f.captures.size());
        assertEquals(1, f.events("auto_disarmed").size());
        assertTrue(f.events("auto_disarmed").getFirst().text().startsWith("jiffies_64 was hit 21 times in 1 s"));
    }

    @Test
    void anAddressWatchArmsUnderItsLabelWithTheSameRules() {
        WatchSlots slots = f.slots();
        ArmedWatch field = slots.arm("0xffffc90000a01008:8@scx_qmap.bss:nr_enqueued");
        assertEquals(Watchpoint.write(0xffffc90000a01008L, 8), field.watchpoint());
        assertEquals("scx_qmap.bss:nr_enqueued", field.label());
        assertEquals("watch:scx_qmap.bss:nr_enqueued", field.tag());
        ArmedWatch inImage = slots.arm("0xffffffff83a00018:4");
        assertEquals("0xffffffff83a00018", inImage.label(), "without a label the address names it");
        assertEquals("nr_threads", inImage.symbol().name(), "an address in the image resolves to its symbol");

        assertTrue(refusal(slots, "0x" + Long.toHexString(COPY_PROCESS + 0x40) + "@oops").contains(
                "lies in the kernel's code (copy_process+0x40/0x1c40)"));
        assertTrue(refusal(slots, "0x12340@pcpu").startsWith("0x0000000000012340 is not a kernel address"));
        assertTrue(refusal(slots, "0xffffc90000a01004:8@x").contains("a 8-byte watch must be 8-byte aligned"));
        assertTrue(refusal(slots, "0xffffc90000a01008:4@again").contains("is already watched in slot 1"));
        slots.arm("0xffffc90000a02000@third");
        assertTrue(refusal(slots, "0xffffc90000a03000@fourth").startsWith("All 3 user watch slots are in use (1: "
                + "scx_qmap.bss:nr_enqueued, 2: 0xffffffff83a00018, 3: third)"));
        assertEquals("scx_qmap.bss:nr_enqueued", slots.disarm("scx_qmap.bss:nr_enqueued").label(),
                "disarmed by its label");
    }

    @Test
    void aStayFrozenSlotHoldsTheGuestOnEveryHitsSnapshot() {
        WatchSlots slots = f.slots(new WatchPolicy(1000, Duration.ofSeconds(1), 1));
        Watchpoint w = slots.arm("total_forks").watchpoint();
        ArmedWatch set = slots.setStayFrozen(1, true);
        assertTrue(set.stayFrozen());
        assertEquals("slot 1: total_forks stays frozen on a hit until resumed", WatchControl.onHitAnswer(set));
        WatchFixture.Event onHit = f.events("on_hit").getFirst();
        assertTrue(onHit.detail().get("stay_frozen").asBoolean());
        for (int i = 1; i <= 2; i++) {
            slots.onHit(WatchFixture.hit(w, i, 0, COPY_PROCESS, i - 1, i, new WatchFixture.Stop()));
        }
        assertEquals(List.of("watch:total_forks", "watch:total_forks"), f.holds, "each hit held the guest");
        assertEquals(2, f.captures.size(), "a held hit gets its snapshot past the per-watch budget of 1");
        assertTrue(f.events("hit").getLast().text().endsWith("the guest stays frozen until resumed"));
        assertTrue(f.events("hit").getLast().detail().get("stayed_frozen").asBoolean());

        slots.setStayFrozen(1, false);
        slots.onHit(WatchFixture.hit(w, 3, 0, COPY_PROCESS, 2, 3, new WatchFixture.Stop()));
        assertEquals(2, f.holds.size(), "back to capture and continue");
        CoordinatorException free = assertThrows(CoordinatorException.class, () -> slots.setStayFrozen(2, true));
        assertTrue(free.getMessage().startsWith("Slot 2 is free"), free.getMessage());
        assertEquals(free.getMessage(), f.events("refused").getLast().text());
    }

    @Test
    void runToTheNextHitHoldsTheGuestOnceOnWhicheverSlotIsHitFirst() {
        WatchSlots slots = f.slots(new WatchPolicy(1000, Duration.ofSeconds(1), 5));
        CoordinatorException none = assertThrows(CoordinatorException.class, slots::holdOnNextHit);
        assertTrue(none.getMessage().startsWith("No watch is armed"), none.getMessage());
        slots.arm("total_forks");
        Watchpoint second = slots.arm("0xffffc90000a01008@second").watchpoint();
        assertEquals("Running until the next hit of slot 1 (total_forks), slot 2 (second); the guest stays frozen"
                + " there.", WatchControl.runToHitAnswer(slots.holdOnNextHit()));
        var waiting = f.events("run_to_hit").getLast().detail().get("slots");
        assertEquals(List.of(1, 2), List.of(waiting.get(0).asInt(), waiting.get(1).asInt()));
        slots.onHit(WatchFixture.hit(second, 1, 0, COPY_PROCESS, 0, 1, new WatchFixture.Stop()));
        assertEquals(List.of("watch:second"), f.holds, "the first hit of any slot held the guest");
        slots.onHit(WatchFixture.hit(second, 2, 0, COPY_PROCESS, 1, 2, new WatchFixture.Stop()));
        assertEquals(1, f.holds.size(), "once: the next hit runs on");

        slots.holdOnNextHit();
        slots.disarm(1);
        slots.disarm(2);
        Watchpoint later = slots.arm("total_forks").watchpoint();
        slots.onHit(WatchFixture.hit(later, 1, 0, COPY_PROCESS, 0, 1, new WatchFixture.Stop()));
        assertEquals(1, f.holds.size(), "a request left when every watch was disarmed is forgotten");
    }
}
