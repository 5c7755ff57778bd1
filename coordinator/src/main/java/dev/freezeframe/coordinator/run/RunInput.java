package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.monitor.MonitorPoints;
import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.VerdictEntry;
import java.util.List;
import java.util.Objects;

/**
 * Everything that can happen to a run, as one ordered stream into {@link RunLoop}: guest reports, console lines, the VM
 * ending, clock ticks for the watchdog, and harness notes. Sources only enqueue; the loop alone folds.
 */
public sealed interface RunInput {

    /** A guest report that passed the dispatch gates. */
    record GuestReport(VerdictEntry entry) implements RunInput {
        public GuestReport {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** A control signal raised by the dispatcher (readiness, snapshot request, scheduler exit promotion). */
    record GuestControl(ControlSignal signal) implements RunInput {
        public GuestControl {
            Objects.requireNonNull(signal, "signal");
        }
    }

    /**
     * A forked run's start: what the parent's guest had sent up to the snapshot the fork starts from, folded silently
     * (the parent's archive has those events) so the fork knows the guest's symbols, kernel, phase and step.
     *
     * @param parentInputs the parent's guest inputs, in order
     * @param from         what the fork starts from, for its first event ("run 12, snapshot periodic_002")
     */
    record ForkReplay(java.util.List<RunInput> parentInputs, String from) implements RunInput {
        public ForkReplay {
            parentInputs = java.util.List.copyOf(parentInputs);
            Objects.requireNonNull(from, "from");
        }
    }

    /**
     * The host sent a fork's guest its plan update (the host's wall clock and fresh randomness), with a new plan when
     * {@code newScenario} is not null: the guest is to confirm it (LIFECYCLE plan_replaced) before the run can pass.
     */
    record ForkPlanSent(String newScenario) implements RunInput {
    }

    /** One line of the guest's COM1 console. */
    record ConsoleLine(String line) implements RunInput {
        public ConsoleLine {
            Objects.requireNonNull(line, "line");
        }
    }

    /**
     * What the host itself read from the guest kernel's {@code scx_root} (watch slot 0): the exit kind written to
     * {@code exit_kind} and, once the teardown began, {@code exit_info}'s reason and message (null until read). It
     * outranks the guest's own report of the scheduler's end (docs/live-run.md, "Verdicts").
     */
    record HostSchedulerExit(long exitKind, String kindName, String reason, String message) implements RunInput {
        public boolean isError() {
            return exitKind >= RunFold.SCX_EXIT_ERROR;
        }
    }

    /**
     * The guest's data channel carries garbage: bytes that are no frame, CRC failures, frames dropped at dispatch. Sent
     * when first seen and with the final counts when the VM ended; a run that then falls silent says so in its reason.
     *
     * @param broken why the channel itself stopped (the guest broke the ring's rules), or null while it works
     */
    record ChannelCorrupt(long garbageBytes, long crcFailures, long droppedFrames, String broken)
            implements RunInput {

        public String describe() {
            return garbageBytes + " garbage bytes, " + crcFailures + " CRC failures, " + droppedFrames
                    + " frames dropped" + (broken == null ? "" : "; " + broken);
        }
    }

    /** The VM process ended. */
    record VmEnded(VmEnd end) implements RunInput {
        public VmEnded {
            Objects.requireNonNull(end, "end");
        }
    }

    /** Time passes: drives the watchdog and the grace period after the agent's exit. */
    record Tick() implements RunInput {
    }

    /**
     * Samples of the live monitor (read from the running guest), usually a second's worth: each point becomes an event
     * of its series on the stats lane, at the time it was read.
     */
    record MonitorSamples(MonitorPoints points) implements RunInput {
        public MonitorSamples {
            Objects.requireNonNull(points, "points");
        }
    }

    /** Something the harness itself did or noticed (a capture, dropped frames, a failed step), kept on the timeline. */
    record HarnessNote(Lane lane, String kind, String text, String detailJson) implements RunInput {
        public HarnessNote {
            Objects.requireNonNull(lane, "lane");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(text, "text");
        }
    }

    /** The harness cannot go on (the VM failed to start, the channel broke): end the run with an error. */
    record HarnessFailure(String reason) implements RunInput {
        public HarnessFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The user stopped the run. */
    record Cancel(String reason) implements RunInput {
        public Cancel {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The user froze the guest and holds it (a live run's freeze). While held the guest cannot show progress, so the
     * watchdog waits.
     *
     * @param atNs run time the vCPUs stopped
     * @param tag  the snapshot the freeze captures ({@code freeze_000})
     */
    record UserFrozen(long atNs, String tag) implements RunInput {
        public UserFrozen {
            Objects.requireNonNull(tag, "tag");
        }
    }

    /**
     * The user's hold ended and the guest runs again.
     *
     * @param frozenAtNs run time the hold began
     * @param atNs       run time the guest was let go
     * @param tag        the hold's snapshot tag
     */
    record UserResumed(long frozenAtNs, long atNs, String tag) implements RunInput {
        public UserResumed {
            Objects.requireNonNull(tag, "tag");
            if (atNs < frozenAtNs) {
                throw new IllegalArgumentException("resumed before frozen: " + atNs + " < " + frozenAtNs);
            }
        }
    }
}
