package dev.freezeframe.coordinator.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.capture.CaptureRequest;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.run.RunCaptures;
import dev.freezeframe.coordinator.run.RunInput;
import dev.freezeframe.coordinator.run.RunLoop;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.coordinator.run.RunStatus;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.Watchpoint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a run's {@link WatchSlots} up: once the guest's symbol table has arrived <em>and</em> the scheduler is
 * enabled, it makes the slots, routes the user's watch hits from {@link RunCaptures} to them, and arms the watches the
 * run was configured with (a refusal is a {@code refused} event; the others are still armed).
 *
 * <p>Why wait for the scheduler: the snapshots a watch takes (only its first few hits get one) and its hot-rate budget
 * should be spent on the workload under the scheduler being debugged, not on the agent starting the scheduler (its
 * forks and execs would use up {@code total_forks}' snapshots before the first step); and every snapshot then holds
 * the scheduler's maps. Slot 0 is armed at the same point. The price: writes during the scheduler's attach itself
 * cannot be watched.
 */
public final class RunWatches {
    private static final Logger LOG = LoggerFactory.getLogger(RunWatches.class);
    private static final long POLL_MS = 20;

    private RunWatches() {
    }

    /**
     * Starts bringing the slots up on a thread of its own.
     *
     * @param initial watch specs to arm at once ({@code SYMBOL[+OFF][:SIZE][:KIND]}), in slot order
     * @return completes with the slots once armed, or exceptionally with a {@link CoordinatorException} when the run
     *         ended before they could exist
     */
    public static CompletableFuture<WatchSlots> start(RunLoop loop, RunCaptures captures, List<String> initial,
                                                      WatchPolicy policy) {
        CompletableFuture<WatchSlots> ready = new CompletableFuture<>();
        Thread.ofPlatform().name("run-watches").daemon(true).start(() -> {
            try {
                RunStatus status = awaitReady(loop);
                RunningVm vm = captures.vm().orElseThrow(() -> new CoordinatorException(
                        "Watchpoints are unavailable: the run's VM is not up."));
                WatchSlots slots = new WatchSlots(WatchSlots.Target.of(vm), host(loop, captures), status.symbols(),
                        policy, System::nanoTime);
                captures.setUserWatchListener(slots);
                for (String spec : initial) {
                    try {
                        slots.arm(spec);
                    } catch (CoordinatorException refused) {
                        LOG.info("watch {} refused: {}", spec, refused.getMessage());
                    }
                }
                ready.complete(slots);
            } catch (CoordinatorException e) {
                ready.completeExceptionally(e);
            } catch (InterruptedException e) {
                ready.completeExceptionally(new CoordinatorException("Interrupted before watchpoints could be armed.",
                        e));
            } catch (RuntimeException e) {
                LOG.error("bringing the watch slots up failed", e);
                ready.completeExceptionally(new CoordinatorException("Watchpoints are unavailable for this run: "
                        + e.getMessage(), e));
            }
        });
        return ready;
    }

    private static RunStatus awaitReady(RunLoop loop) throws InterruptedException {
        while (true) {
            RunStatus s = loop.status();
            if (s.ended() || s.phase().atLeast(RunPhase.SCHEDULER_STOPPING)) {
                throw new CoordinatorException("The run ended before watchpoints could be armed (they are armed once"
                        + " the guest's symbol table has arrived and the scheduler is enabled).");
            }
            if (s.phase().atLeast(RunPhase.SCHEDULER_ENABLED) && s.symbols().size() > 0) return s;
            Thread.sleep(POLL_MS);
        }
    }

    /** The run as the slots see it: events on the loop, captures through the run's capture engine. */
    static WatchSlots.Host host(RunLoop loop, RunCaptures captures) {
        return new WatchSlots.Host() {
            @Override
            public void event(String kind, String text, ObjectNode detail) {
                loop.submit(new RunInput.HarnessNote(Lane.WATCHPOINTS, kind, text,
                        detail == null ? null : detail.toString()));
            }

            @Override
            public SnapshotRecord capture(FrozenVm frozen, String tag, ObjectNode trigger) {
                return captures.capture(frozen, new CaptureRequest(tag, SnapshotKind.WATCH, loop.elapsedNanos(),
                        loop.status().currentStep(), trigger));
            }

            @Override
            public Optional<Watchpoint> errorTrigger() {
                return captures.errorTriggerWatch();
            }

            @Override
            public void holdAfterHit(FrozenVm frozen, String tag) {
                captures.userHold().holdAfterHit(tag);
            }
        };
    }
}
