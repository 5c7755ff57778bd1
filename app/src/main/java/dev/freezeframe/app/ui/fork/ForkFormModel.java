package dev.freezeframe.app.ui.fork;

import dev.freezeframe.app.AppException;
import dev.freezeframe.app.run.ForkScenario;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.app.ui.shell.TimeText;
import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The "Fork from here" form: a new run from the forkable snapshot {@code tag} of run {@code parentRunId}, with its own
 * watches, periodic snapshots and whether its snapshots are forkable too — prefilled from the parent. Checks as the
 * user types with the engine's own sentences and shows the equivalent {@code freezeframe fork …} command. FX thread.
 */
public final class ForkFormModel {
    private final long parentRunId;
    private final String tag;
    private final long atNs;
    private final RunConfig parent;
    private final Path archive;
    private final ReadOnlyStringWrapper watches = new ReadOnlyStringWrapper(this, "watches", "");
    /** Another scenario to run from the fork instant; empty: the parent's goes on. */
    private final ReadOnlyStringWrapper scenario = new ReadOnlyStringWrapper(this, "scenario", "");
    private final ReadOnlyStringWrapper snapshots = new ReadOnlyStringWrapper(this, "snapshots", "0");
    private final ReadOnlyBooleanWrapper forkable = new ReadOnlyBooleanWrapper(this, "forkable", true);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper commandLine = new ReadOnlyStringWrapper(this, "commandLine", "");
    private Optional<ForkRequest> request = Optional.empty();

    /**
     * @param parent  the parent run's configuration (scheduler, scenario, machine: the fork keeps them)
     * @param atNs    the snapshot's time on the parent's clock
     * @param archive the archive both runs are in, for the command's {@code --db}; null when it is the default one
     */
    public ForkFormModel(long parentRunId, String tag, long atNs, RunConfig parent, Path archive) {
        this.parentRunId = parentRunId;
        this.tag = tag;
        this.atNs = atNs;
        this.parent = parent;
        this.archive = archive;
        watches.set(String.join(" ", parent.watches()));
        snapshots.set(Integer.toString(parent.snapshots()));
        check();
    }

    public void setWatches(String text) {
        watches.set(text == null ? "" : text);
        check();
    }

    /** A built-in's name or a scenario file to run from the fork instant; blank: the parent's scenario goes on. */
    public void setScenario(String nameOrFile) {
        scenario.set(nameOrFile == null ? "" : nameOrFile);
        check();
    }

    public void setSnapshots(String text) {
        snapshots.set(text == null ? "" : text);
        check();
    }

    public void setForkable(boolean keep) {
        forkable.set(keep);
        check();
    }

    /** The fork to start, when the form is valid. */
    public Optional<ForkRequest> request() {
        return request;
    }

    private void check() {
        request = Optional.empty();
        String text = snapshots.get().strip();
        int count;
        try {
            count = text.isEmpty() ? 0 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            fail("Periodic snapshots: '" + text + "' is not a whole number.");
            return;
        }
        Optional<String> bad = RunOptions.snapshotsProblem(count);
        if (bad.isPresent()) {
            fail("Periodic snapshots: " + bad.get());
            return;
        }
        List<String> specs = Arrays.stream(watches.get().split("[\\s,]+")).filter(w -> !w.isBlank()).toList();
        List<String> checked;
        try {
            checked = RunOptions.checkedWatches(specs);
        } catch (AppException e) {
            fail("Watches: " + e.getMessage());
            return;
        }
        RunConfig config = new RunConfig(parent.scheduler(), parent.schedulerArgs(), parent.scenario(),
                parent.vcpus(), parent.memoryMib(), parent.kernel(), count, checked, false);
        boolean newScenario = !scenario.get().isBlank();
        if (newScenario) {
            try {
                config = ForkScenario.check(parentRunId, parent, scenario.get(),
                        RunOptions.kitSchedulers(Optional.empty()), config).config();
            } catch (AppException e) {
                fail("Scenario: " + e.getMessage());
                return;
            }
        }
        ForkRequest r = new ForkRequest(parentRunId, tag, config, forkable.get(), newScenario);
        request = Optional.of(r);
        problem.set("");
        commandLine.set(r.commandLine(archive));
    }

    /** The command line stays the last valid one (the form opens valid: the parent's own choices). */
    private void fail(String why) {
        problem.set(why);
    }

    /** "Fork run #3 from periodic_001 (+4.333 s)". */
    public String title() {
        return "Fork run #" + parentRunId + " from " + tag + " (" + TimeText.relative(atNs) + ")";
    }

    /** What stays the parent's. */
    public String keeps() {
        String args = String.join(" ", parent.schedulerArgs());
        return "The new run goes on from this snapshot's exact state: the same guest, " + (parent.scheduler() + " "
                + args).strip() + " already attached, the same tasks mid-flight, and scenario " + parent.scenario()
                + " from where it was — or another scenario from this instant. Choose what the fork runs, watches and"
                + " captures:";
    }

    public long parentRunId() {
        return parentRunId;
    }

    public String tag() {
        return tag;
    }

    public ReadOnlyStringProperty watchesProperty() {
        return watches.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty scenarioProperty() {
        return scenario.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty snapshotsProperty() {
        return snapshots.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty forkableProperty() {
        return forkable.getReadOnlyProperty();
    }

    /** Why the form cannot start yet, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The equivalent {@code freezeframe fork …} command. */
    public ReadOnlyStringProperty commandLineProperty() {
        return commandLine.getReadOnlyProperty();
    }
}
