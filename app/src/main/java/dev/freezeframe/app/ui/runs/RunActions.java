package dev.freezeframe.app.ui.runs;

import dev.freezeframe.app.UserMessages;
import dev.freezeframe.app.run.ForkableFolders;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchiveException;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.ImportReport;
import dev.freezeframe.persistence.RunExporter;
import dev.freezeframe.persistence.RunImporter;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs browser's archive actions — export, import, delete — run off the FX thread. Each ends with one sentence in
 * {@link #messageProperty()} (what was done, or why not) and tells the browser which run changed, so it can reload.
 */
public final class RunActions {
    private static final Logger LOG = LoggerFactory.getLogger(RunActions.class);

    /** What an action changed: the archive's runs (and which run to select afterwards, if any). */
    public interface Changed {
        void runsChanged(OptionalLong select);
    }

    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper failed = new ReadOnlyBooleanWrapper(this, "failed");
    private final Executor background;
    private final Consumer<Runnable> fxThread;
    private final Supplier<Path> archivePath;
    private final Path logFile;
    private final Changed changed;

    public RunActions(Executor background, Consumer<Runnable> fxThread, Supplier<Path> archivePath, Path logFile,
                      Changed changed) {
        this.background = background;
        this.fxThread = fxThread;
        this.archivePath = archivePath;
        this.logFile = logFile;
        this.changed = changed;
    }

    public void export(long runId, Path file) {
        run("export run " + runId, archive -> {
            RunExporter.Summary s = new RunExporter(archive).export(runId, file);
            return new Done(String.format("Exported run %d (%d events, %d snapshots) to %s.", s.runId(), s.events(),
                    s.snapshots(), s.file()), false, OptionalLong.empty());
        });
    }

    public void importFile(Path file) {
        run("import " + file, archive -> {
            ImportReport report = new RunImporter(archive).importFile(file);
            return new Done(report.message(), true, OptionalLong.of(report.runId()));
        });
    }

    public void delete(ArchivedRun run) {
        if (run.recording()) {
            fail("Run " + run.id() + " is still being recorded; stop it before deleting it.");
            return;
        }
        run("delete run " + run.id(), archive -> {
            if (!ForkableFolders.deleteRun(archive, run.id())) {
                throw new ArchiveException("There is no run " + run.id() + " in " + archive.path()
                        + " any more; the list is reloaded.");
            }
            return new Done("Deleted run " + run.id() + ".", true, OptionalLong.empty());
        });
    }

    /** Shows a sentence as the outcome of an action that did not get to run (called on the FX thread). */
    public void fail(String sentence) {
        failed.set(true);
        message.set(sentence);
    }

    private record Done(String message, boolean changedRuns, OptionalLong select) {
    }

    private interface Work {
        Done on(Archive archive);
    }

    private void run(String what, Work work) {
        Path path = archivePath.get();
        if (path == null) return;
        busy.set(true);
        failed.set(false);
        message.set("");
        background.execute(() -> {
            Done done;
            String error = null;
            try (Archive archive = Archive.open(path)) {
                done = work.on(archive);
            } catch (RuntimeException e) {
                LOG.error("cannot {} in {}", what, path, e);
                error = UserMessages.describe(e, logFile);
                // a failed delete or import may still have changed the list (e.g. a run deleted meanwhile)
                done = new Done(error, true, OptionalLong.empty());
            }
            Done result = done;
            boolean isError = error != null;
            fxThread.accept(() -> {
                failed.set(isError); // before the message: views style the message by it
                message.set(result.message());
                busy.set(false);
                if (result.changedRuns()) changed.runsChanged(result.select());
            });
        });
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The last action's outcome as a sentence; empty before the first action. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True when {@link #messageProperty()} says why an action failed. */
    public ReadOnlyBooleanProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }
}
