package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.Console;
import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.WatchHitListener;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "no lost error": a watch hit whose registers cannot be read must not lose slot 0's error snapshot. A real
 * run of scx_qmap erroring on the real kit, where every watch hit reaches the coordinator the way the gdbstub backend
 * delivers one whose 'g' read failed ({@code WatchHit.registersProblem}; the vmm side of that is
 * GdbVmControlUnreadableRegistersTest). The coordinator must record it as a run event, archive the error snapshot
 * marked with the reason, and keep the verdict {@code scheduler_failed}. Needs the kit (skipped without one, failed
 * under CI).
 */
class UnreadableRegistersErrorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "the gdbstub did not answer 'g' in time";
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    @Test
    void slotZerosErrorSnapshotIsKeptAndMarkedWhenTheHitsRegistersCannotBeRead() throws Exception {
        List<RunEvent> events = new ArrayList<>();
        AtomicInteger strippedHits = new AtomicInteger();
        RunConfig config = new RunConfig("scx_qmap", List.of("-e", "50"), "cpu-pingpong", 2, 1024, "kit", 0,
                List.of());
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = new RunLauncher(new UnreadableRegisters(new QemuBackend(), strippedHits),
                    RunFold.Limits.DEFAULT).run(config, kit, ScenarioLoader.load("cpu-pingpong"), archive, e -> {
                        synchronized (events) {
                            events.add(e);
                        }
                    });
            List<RunEvent> seen;
            synchronized (events) {
                seen = List.copyOf(events);
            }
            List<String> trigger = seen.stream().filter(e -> e.kind().equals("error_trigger")).map(RunEvent::text)
                    .toList();
            assertTrue(strippedHits.get() > 0, "no watch hit reached the coordinator: " + trigger);

            assertEquals(Verdict.SCHEDULER_FAILED, result.outcome().decision().verdict(),
                    result.outcome().decision().reason());
            assertTrue(result.outcome().decision().reason().contains("test triggering error"),
                    result.outcome().decision().reason());

            RunEvent unreadable = seen.stream().filter(e -> e.kind().equals("error_trigger"))
                    .filter(e -> e.text().contains("registers could not be read")).findFirst()
                    .orElseThrow(() -> new AssertionError("no run event for the unreadable registers: " + trigger));
            assertTrue(unreadable.text().contains(PROBLEM), unreadable.text());
            assertEquals("registers_unreadable", JSON.readTree(unreadable.detailJson()).path("state").asText());

            SnapshotInfo error = archive.runs().snapshots(result.runId()).stream()
                    .filter(s -> s.kind() == SnapshotKind.ERROR).findFirst()
                    .orElseThrow(() -> new AssertionError("no error snapshot archived: " + trigger));
            assertFalse(error.placeholder(), error.placeholderReason().orElse(""));
            JsonNode report = JSON.readTree(archive.runs().snapshotReport(error.id()));
            JsonNode t = report.path("trigger");
            assertEquals("scheduler error", t.path("trigger").asText(), t.toString());
            assertTrue(t.has("rip") && t.get("rip").isNull(), "no made-up RIP: " + t);
            assertTrue(t.path("caveat").asText().contains(PROBLEM), "the snapshot says why: " + t);
            assertTrue(report.path("sched_ext").path("exitInfo").path("message").asText()
                    .contains("test triggering error"), report.path("sched_ext").toString());
        }
    }

    /** The real QEMU backend, except that each watch hit arrives as one whose registers could not be read. */
    private record UnreadableRegisters(VmBackend real, AtomicInteger stripped) implements VmBackend {
        @Override
        public String name() {
            return real.name();
        }

        @Override
        public RunningVm start(VmSpec spec) {
            return new StrippedHits(real.start(spec), stripped);
        }
    }

    private record StrippedHits(RunningVm vm, AtomicInteger stripped) implements RunningVm {
        @Override
        public void setWatchHitListener(WatchHitListener listener) {
            vm.setWatchHitListener(hit -> {
                stripped.incrementAndGet();
                // the hit as GdbVmControl delivers it when reading the vCPU's registers failed at the stop
                listener.onHit(new WatchHit(hit.watchpoint(), hit.hitNumber(), hit.vcpu(), hit.reportedAddress(), null,
                        hit.previousValue(), hit.value(), hit.frozen(), PROBLEM));
            });
        }

        @Override
        public VmSpec spec() {
            return vm.spec();
        }

        @Override
        public AcceleratorDetector.Decision accelerator() {
            return vm.accelerator();
        }

        @Override
        public Console console() {
            return vm.console();
        }

        @Override
        public GuestMemory memory() {
            return vm.memory();
        }

        @Override
        public Optional<DataChannel> dataChannel() {
            return vm.dataChannel();
        }

        @Override
        public VmRunState runState() {
            return vm.runState();
        }

        @Override
        public FrozenVm freeze() {
            return vm.freeze();
        }

        @Override
        public Set<WatchKind> supportedWatchKinds() {
            return vm.supportedWatchKinds();
        }

        @Override
        public void arm(Watchpoint watchpoint) {
            vm.arm(watchpoint);
        }

        @Override
        public boolean disarm(Watchpoint watchpoint) {
            return vm.disarm(watchpoint);
        }

        @Override
        public List<Watchpoint> armedWatchpoints() {
            return vm.armedWatchpoints();
        }

        @Override
        public VmExit shutdown() {
            return vm.shutdown();
        }

        @Override
        public VmExit kill() {
            return vm.kill();
        }

        @Override
        public CompletableFuture<VmExit> exit() {
            return vm.exit();
        }

        @Override
        public Optional<VmExit> awaitExit(Duration timeout) throws InterruptedException {
            return vm.awaitExit(timeout);
        }

        @Override
        public void close() {
            vm.close();
        }
    }
}
