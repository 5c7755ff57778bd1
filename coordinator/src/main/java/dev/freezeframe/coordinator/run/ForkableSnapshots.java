package dev.freezeframe.coordinator.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.template.ForkableCapture;
import dev.freezeframe.vmm.template.PageDelta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the whole VM state of every snapshot of a run ({@code --forkable}; docs/fork-and-templates.md): one folder per
 * snapshot, {@code <run folder>/<tag>}. The state is taken inside the snapshot's freeze (device state, changed RAM
 * pages copied out); compressing and writing them happens on a thread of its own after the guest runs again, and ends
 * with a {@code forkable} event on the snapshots lane saying what it cost, or why it failed.
 */
public final class ForkableSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(ForkableSnapshots.class);
    /** The kind of the snapshots-lane event that says a snapshot's VM state was kept. */
    public static final String EVENT_KIND = "forkable";

    private final Path runFolder;
    private final Supplier<Optional<Path>> baseImage;
    /** The channel bytes a fork replays, next to a snapshot's state. */
    public static final String CHANNEL_LOG = "channel.log";
    /** How long a freeze waits for the host to have read what the guest sent before it stopped. */
    private static final long DRAIN_NANOS = 500_000_000L;
    private volatile PageDelta.BaseImage base;
    private volatile ChannelLog log;
    private volatile DataChannel channel;
    private volatile long consumedBeforeLog;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("forkable-writer")
            .daemon(true).factory());

    /**
     * @param runFolder where this run's forkable snapshots go
     * @param baseImage the RAM image of the boot template the run's guest started from (asked at the first capture);
     *                  empty: the pages are kept against an all-zero base
     */
    public ForkableSnapshots(Path runFolder, Supplier<Optional<Path>> baseImage) {
        this.runFolder = runFolder;
        this.baseImage = baseImage;
    }

    /**
     * Opens the run's base image once, before the first capture (it is read through once, so comparing against it in a
     * freeze costs no page faults). Call it with the guest up: a run that made its template has it by then.
     */
    synchronized void prepare(RunningVm vm) {
        if (base != null) return;
        long ramBytes = vm.spec().memoryBytes();
        Optional<Path> image = baseImage.get();
        try {
            base = image.isPresent() ? PageDelta.BaseImage.open(image.get()) : PageDelta.BaseImage.empty(ramBytes);
        } catch (IOException e) {
            LOG.warn("the boot template's RAM image {} cannot be read; forkable snapshots keep every page", image, e);
            base = PageDelta.BaseImage.empty(ramBytes);
        }
    }

    /**
     * Records the guest's channel from now on (before the reader starts), for forks to replay.
     *
     * @param earlier what this guest sent before (a fork's parent's log), so a fork of a fork replays it all
     */
    ChannelLog recordChannel(DataChannel dataChannel, byte[] earlier) {
        channel = dataChannel;
        ChannelLog started = new ChannelLog();
        started.append(earlier, 0, earlier.length);
        // a restored ring's count goes on from its template's (or its parent's)
        consumedBeforeLog = dataChannel.bytesFromGuest() - earlier.length;
        log = started;
        return started;
    }

    /** The folder of one snapshot's state. */
    public static Path folderOf(Path runFolder, String tag) {
        return runFolder.resolve(tag.replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    /** Takes the frozen guest's state for snapshot {@code tag}; empty (and said) when it could not. */
    Optional<Taken> take(RunningVm vm, String tag, Consumer<RunInput> notes) {
        try {
            Path folder = folderOf(runFolder, tag);
            if (Files.exists(folder)) { // a repeated tag (watch hits of one symbol): the first one keeps its name
                int n = 2;
                while (Files.exists(folderOf(runFolder, tag + "-" + n))) n++;
                folder = folderOf(runFolder, tag + "-" + n);
            }
            long logged = drainedLogSize(tag);
            Files.createDirectories(folder);
            prepare(vm); // normally done already, off the freeze
            return Optional.of(new Taken(vm.captureForkable(folder, base), folder, logged));
        } catch (IOException | VmmException | IllegalStateException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            LOG.warn("forkable state of {} not taken", tag, e);
            notes.accept(new RunInput.HarnessNote(Lane.SNAPSHOTS, EVENT_KIND, "snapshot " + tag + " is not forkable: "
                    + e.getMessage(), null));
            return Optional.empty();
        }
    }

    /** A snapshot's state taken in its freeze, with how much of the channel log belongs to it. */
    record Taken(ForkableCapture capture, Path folder, long channelBytes) {
    }

    /**
     * With the guest frozen, waits until the host has read and logged everything the guest sent before it stopped, so
     * the fork's replay ends exactly where its restored ring goes on.
     */
    private long drainedLogSize(String tag) throws InterruptedException {
        ChannelLog recorded = log;
        DataChannel dataChannel = channel;
        if (recorded == null || dataChannel == null) throw new IllegalStateException("the run has no data channel");
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (true) {
            long size = recorded.size();
            if (size < 0) throw new IllegalStateException("the run's channel log passed " + (ChannelLog.CAP >> 20)
                    + " MiB");
            boolean drained;
            try {
                drained = dataChannel.fromGuest().available() == 0
                        && size + consumedBeforeLog == dataChannel.bytesFromGuest();
            } catch (IOException e) {
                throw new IllegalStateException("the data channel is closed", e);
            }
            if (drained) return size;
            if (System.nanoTime() > deadline) throw new IllegalStateException("the host did not catch up with the "
                    + "guest's data channel during the freeze");
            Thread.sleep(1);
        }
    }

    /** Writes a taken state after the guest resumed, on the writer thread; the event says what it cost. */
    void finishLater(Taken taken, String tag, Consumer<RunInput> notes) {
        writer.execute(() -> {
            try (ForkableCapture capture = taken.capture()) {
                Files.write(taken.folder().resolve(CHANNEL_LOG), log.prefix(taken.channelBytes()));
                ForkableCapture.Stats stats = capture.finish();
                ObjectNode detail = JsonNodeFactory.instance.objectNode();
                detail.put("tag", tag);
                detail.put("freeze_ms", stats.freezeMillis());
                detail.put("device_state_ms", stats.devicesMillis());
                detail.put("ram_copy_ms", stats.ramCopyMillis());
                detail.put("write_ms", stats.writeMillis());
                detail.put("bytes", stats.folderBytes());
                detail.put("pages_stored", stats.pages().storedPages());
                detail.put("pages_zeroed", stats.pages().zeroedPages());
                detail.put("pages_from_base", stats.pages().basePages());
                notes.accept(new RunInput.HarnessNote(Lane.SNAPSHOTS, EVENT_KIND, "snapshot " + tag + " is forkable ("
                        + String.format("%.1f MiB", stats.folderBytes() / 1048576.0) + ", the freeze grew by "
                        + stats.freezeMillis() + " ms)", detail.toString()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("forkable state of {} not written", tag, e);
                notes.accept(new RunInput.HarnessNote(Lane.SNAPSHOTS, EVENT_KIND, "snapshot " + tag + " is not "
                        + "forkable: its state could not be written (" + e.getMessage() + ")", null));
            }
        });
    }

    /** Lets pending writes finish (a run's end), then stops the writer. */
    void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)) writer.shutdownNow();
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (base != null) base.close();
        }
    }
}
