package dev.freezeframe.app.ui.fork;

import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.coordinator.run.ForkableSnapshots;
import dev.freezeframe.persistence.SnapshotInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a run can be forked from a snapshot, and if not, why — in words, for a disabled action's tooltip and the
 * palette. Looks at the snapshot's kept VM state next to the archive (a few file checks, cheap enough for the FX
 * thread); {@code freezeframe fork} checks the same again when it starts.
 */
public final class ForkAvailability {
    /** The marker a complete forkable state ends with (written last). */
    static final String COMPLETE = "complete";

    private ForkAvailability() {
    }

    /**
     * @param archive   the archive file the run is in
     * @param runId     the parent run
     * @param snapshot  the snapshot to fork from, or null when none is selected
     * @param runEnded  whether the parent has ended (a live run's kept state may still be being written)
     * @return empty when a fork can start, else the reason (lower case, no full stop)
     */
    public static String reason(Path archive, long runId, SnapshotInfo snapshot, boolean runEnded) {
        if (!runEnded) return "run " + runId + " is still going: fork from its snapshots once it has ended";
        if (snapshot == null) return "select a snapshot to fork from first";
        if (snapshot.placeholder()) return "snapshot " + snapshot.tag() + " could not be captured, so it has no state";
        Path runFolder = dev.freezeframe.app.run.ForkableFolders.of(archive, runId);
        if (!Files.isDirectory(runFolder)) {
            return "run " + runId + " kept no VM state: only a run started with forkable snapshots (--forkable, or"
                    + " \"Forkable snapshots\" in New run) can be forked";
        }
        Path folder = ForkableSnapshots.folderOf(runFolder, snapshot.tag());
        if (!Files.isRegularFile(folder.resolve(COMPLETE))) {
            return "the VM state of snapshot " + snapshot.tag() + " was not kept (its 'forkable' event on the"
                    + " snapshots lane says why)";
        }
        if (bootedCold(folder)) {
            return "run " + runId + " booted cold (its own kernel or scheduler binary): its snapshots cannot be"
                    + " forked";
        }
        return "";
    }

    /** A cold-booted run keeps an empty base RAM image: its fork could not be launched as the parent was. */
    private static boolean bootedCold(Path folder) {
        try {
            Path ram = folder.resolve("ram.img");
            return Files.isRegularFile(ram) && Files.size(ram) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
