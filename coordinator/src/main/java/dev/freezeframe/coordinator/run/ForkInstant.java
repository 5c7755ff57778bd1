package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.wire.Dispatcher;
import dev.freezeframe.coordinator.wire.FrameAssembler;
import dev.freezeframe.coordinator.wire.LifecyclePhase;
import dev.freezeframe.coordinator.wire.VerdictEntry;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a forkable snapshot's guest was in its plan: read from what the guest had sent up to the freeze (its
 * {@code channel.log}), so a fork can be refused before anything starts when it asks for what that guest cannot do.
 *
 * @param schedulerRunning a scheduler had been enabled and had not ended (nor was being swapped out)
 * @param scenarioOver     the agent had finished its steps (or was stopping the scheduler, powering off)
 * @param stepIndex        the step it was in, -1 before the first
 * @param stepName         that step's name, "" before the first
 */
public record ForkInstant(boolean schedulerRunning, boolean scenarioOver, int stepIndex, String stepName) {

    /** The instant of the forkable state in {@code folder}. */
    public static ForkInstant of(Path folder) throws IOException {
        return of(Files.readAllBytes(folder.resolve(ForkableSnapshots.CHANNEL_LOG)));
    }

    static ForkInstant of(byte[] channelBytes) {
        FrameAssembler assembler = new FrameAssembler();
        Dispatcher dispatcher = new Dispatcher();
        boolean running = false;
        boolean over = false;
        int step = -1;
        String name = "";
        for (VerdictEntry entry : dispatcher.dispatch(assembler.push(channelBytes, 0, channelBytes.length))
                .verdictEntries()) {
            switch (entry.report()) {
                case WireMessage.Lifecycle l when l.phase() == LifecyclePhase.SCHEDULER_ENABLED -> running = true;
                case WireMessage.Lifecycle l when l.phase() == LifecyclePhase.SCHEDULER_SWAPPING -> running = false;
                case WireMessage.Lifecycle l when l.phase() == LifecyclePhase.SCENARIO_FINISHED
                        || l.phase() == LifecyclePhase.SCHEDULER_STOPPING
                        || l.phase() == LifecyclePhase.POWERING_OFF -> over = true;
                case WireMessage.SchedulerExit exit -> running = false;
                case WireMessage.Exit exit -> over = true;
                case WireMessage.StepStarted s -> {
                    step = s.index();
                    name = s.name();
                }
                default -> {
                }
            }
        }
        return new ForkInstant(running, over, step, name);
    }

    /**
     * Why a new scenario cannot continue from this instant, if it cannot: the agent takes a new plan while it runs its
     * steps, and the scheduler already running is the one the new steps run under.
     *
     * @param what the snapshot, as a sentence names it ("snapshot periodic_000 of run 3")
     */
    public Optional<String> newScenarioProblem(String what) {
        if (scenarioOver) {
            return Optional.of("At " + what + " the parent's scenario had already finished (its agent was stopping the"
                    + " scheduler), so no other scenario can continue from there; fork an earlier snapshot.");
        }
        if (!schedulerRunning) {
            return Optional.of("At " + what + " no scheduler was running (not yet enabled, being swapped, or already"
                    + " ended), and a fork's new scenario runs under the scheduler that runs at the fork instant; fork"
                    + " a snapshot taken while it ran, or without --scenario.");
        }
        return Optional.empty();
    }
}
