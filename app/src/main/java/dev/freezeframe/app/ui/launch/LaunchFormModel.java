package dev.freezeframe.app.ui.launch;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
import dev.freezeframe.app.run.IncludedFiles;
import dev.freezeframe.app.run.RunCommandLine;
import dev.freezeframe.app.run.RunOption;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.vmm.kit.KitCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The launch form's state: every field as typed, each field's problem (the sentence {@link RunOptions} says, so the
 * form and {@code freezeframe run} refuse the same things alike), the checked {@link RunConfig}, the scenario preview
 * and the equivalent command line. Fields change through the setters (intents); everything is published as read-only
 * properties and recomputed on every change. FX thread only.
 */
public final class LaunchFormModel {
    /** Which kernel the guest boots. */
    public enum KernelSource { KIT, CUSTOM }

    private final KitModel kit;
    private final Consumer<LaunchChoices> remember;
    private final Path defaultArchive;
    private final List<Consumer<LaunchRequest>> startListeners = new ArrayList<>();

    private final ReadOnlyObjectWrapper<KernelSource> kernelSource = new ReadOnlyObjectWrapper<>(this, "kernelSource",
            KernelSource.KIT);
    private final ReadOnlyStringWrapper kernelPath = new ReadOnlyStringWrapper(this, "kernelPath", "");
    private final ReadOnlyStringWrapper scheduler = new ReadOnlyStringWrapper(this, "scheduler", "");
    private final ReadOnlyStringWrapper schedulerArgs = new ReadOnlyStringWrapper(this, "schedulerArgs", "");
    private final ReadOnlyStringWrapper scenario = new ReadOnlyStringWrapper(this, "scenario", "");
    private final ReadOnlyStringWrapper vcpus = new ReadOnlyStringWrapper(this, "vcpus", "");
    private final ReadOnlyStringWrapper memory = new ReadOnlyStringWrapper(this, "memory", "");
    private final ReadOnlyStringWrapper snapshots = new ReadOnlyStringWrapper(this, "snapshots", "");
    private final ObservableList<String> watches = FXCollections.observableArrayList();
    private final ObservableList<String> watchesView = FXCollections.unmodifiableObservableList(watches);
    private final ReadOnlyStringWrapper watchEntry = new ReadOnlyStringWrapper(this, "watchEntry", "");
    private final ReadOnlyStringWrapper watchEntryProblem = new ReadOnlyStringWrapper(this, "watchEntryProblem", "");
    private final ObservableList<String> includes = FXCollections.observableArrayList();
    private final ObservableList<String> includesView = FXCollections.unmodifiableObservableList(includes);
    private final ReadOnlyStringWrapper includeEntry = new ReadOnlyStringWrapper(this, "includeEntry", "");
    private final ReadOnlyStringWrapper includeEntryProblem = new ReadOnlyStringWrapper(this, "includeEntryProblem",
            "");
    private final ReadOnlyBooleanWrapper freezeOnEnable = new ReadOnlyBooleanWrapper(this, "freezeOnEnable");
    /** Not part of {@link RunConfig}: what the engine keeps of each snapshot, not what the run does. */
    private final ReadOnlyBooleanWrapper forkable = new ReadOnlyBooleanWrapper(this, "forkable");
    private final ReadOnlyObjectWrapper<Path> archive = new ReadOnlyObjectWrapper<>(this, "archive");

    private final Map<RunOption, ReadOnlyStringWrapper> problems = new EnumMap<>(RunOption.class);
    private final ReadOnlyObjectWrapper<RunConfig> config = new ReadOnlyObjectWrapper<>(this, "config");
    private final ReadOnlyObjectWrapper<ScenarioPreview> preview = new ReadOnlyObjectWrapper<>(this, "preview");
    private final ReadOnlyStringWrapper commandLine = new ReadOnlyStringWrapper(this, "commandLine", "");
    private final ReadOnlyStringWrapper startBlockedBy = new ReadOnlyStringWrapper(this, "startBlockedBy", "");
    private final ReadOnlyBooleanWrapper canStart = new ReadOnlyBooleanWrapper(this, "canStart");
    private final ObservableList<String> schedulerChoices = FXCollections.observableArrayList();
    private final ObservableList<String> schedulerChoicesView =
            FXCollections.unmodifiableObservableList(schedulerChoices);

    /**
     * @param initial        the choices to start from (the settings' last ones)
     * @param kit            the guest kit's state; the form cannot start while it is not ready
     * @param archive        where runs go (shown, and named in the command line when not the default)
     * @param defaultArchive the archive {@code freezeframe run} uses without {@code --db}
     * @param remember       called with the choices when a run starts, to keep them in the settings
     */
    public LaunchFormModel(LaunchChoices initial, KitModel kit, Path archive, Path defaultArchive,
                           Consumer<LaunchChoices> remember) {
        this.kit = Objects.requireNonNull(kit, "kit");
        this.remember = Objects.requireNonNull(remember, "remember");
        this.defaultArchive = defaultArchive;
        for (RunOption option : RunOption.values()) {
            problems.put(option, new ReadOnlyStringWrapper(this, option.name().toLowerCase() + "Problem", ""));
        }
        this.archive.set(Objects.requireNonNull(archive, "archive"));
        kit.stateProperty().addListener((obs, was, now) -> revalidate());
        kit.kitProperty().addListener((obs, was, now) -> revalidate());
        kit.summaryProperty().addListener((obs, was, now) -> revalidate());
        restore(initial);
    }

    /**
     * The form as the workbench mounts it: the kit in the user's cache (checked now, on its own thread), runs going
     * to {@code archive}. Call on the FX thread.
     *
     * @param dirs     the user's directories (kit cache, default archive, log)
     * @param archive  the archive the workbench has open
     * @param initial  the settings' last choices ({@code Settings.launch()})
     * @param remember keeps the choices when a run starts (e.g. {@code c -> save(settings.withLaunch(c))})
     */
    public static LaunchFormModel forWorkbench(AppDirs dirs, Path archive, LaunchChoices initial,
                                               Consumer<LaunchChoices> remember) {
        KitModel kit = new KitModel(KitAccess.of(new KitCache(dirs.cacheDir().resolve("kit"))),
                task -> Thread.ofPlatform().name("kit-check").daemon(true).start(task), Platform::runLater,
                dirs.logFile());
        LaunchFormModel model = new LaunchFormModel(initial, kit, archive, dirs.defaultArchive(), remember);
        kit.refresh();
        return model;
    }

    // ---- intents -------------------------------------------------------------------------------------------------

    /** Sets every field from saved choices. */
    public void restore(LaunchChoices choices) {
        kernelSource.set(choices.customKernel() ? KernelSource.CUSTOM : KernelSource.KIT);
        kernelPath.set(choices.kernelPath());
        scheduler.set(choices.scheduler());
        schedulerArgs.set(choices.schedulerArgs());
        scenario.set(choices.scenario());
        vcpus.set(Integer.toString(choices.vcpus()));
        memory.set(choices.memory());
        snapshots.set(Integer.toString(choices.snapshots()));
        watches.setAll(choices.watches());
        watchEntry.set("");
        watchEntryProblem.set("");
        freezeOnEnable.set(choices.freezeOnEnable());
        includes.setAll(choices.includes());
        includeEntry.set("");
        includeEntryProblem.set("");
        revalidate();
    }

    /** The fields as they are now, as the settings keep them. */
    public LaunchChoices choices() {
        return new LaunchChoices(kernelSource.get() == KernelSource.CUSTOM, kernelPath.get(), scheduler.get(),
                schedulerArgs.get(), scenario.get(), parseInt(vcpus.get()).orElse(RunOptions.DEFAULT_VCPUS),
                memory.get(), parseInt(snapshots.get()).orElse(0), List.copyOf(watches), freezeOnEnable.get(),
                List.copyOf(includes));
    }

    public void setKernelSource(KernelSource source) {
        set(kernelSource, Objects.requireNonNull(source));
    }

    /** A custom bzImage; choosing one switches the kernel to it. */
    public void setKernelPath(String path) {
        kernelPath.set(path == null ? "" : path);
        kernelSource.set(KernelSource.CUSTOM);
        revalidate();
    }

    public void setScheduler(String text) {
        set(scheduler, text);
    }

    public void setSchedulerArgs(String text) {
        set(schedulerArgs, text);
    }

    public void setScenario(String nameOrFile) {
        set(scenario, nameOrFile);
    }

    /** vCPUs as typed; anything but a number in range is a problem shown under the field. */
    public void setVcpus(String text) {
        set(vcpus, text);
    }

    public void setVcpus(int count) {
        setVcpus(Integer.toString(count));
    }

    public void setMemory(String text) {
        set(memory, text);
    }

    public void setSnapshots(String text) {
        set(snapshots, text);
    }

    public void setSnapshots(int count) {
        setSnapshots(Integer.toString(count));
    }

    /** Every snapshot also keeps the whole VM state, so a run can be forked from it ({@code --forkable}). */
    public void setForkable(boolean keep) {
        forkable.set(keep);
        revalidate();
    }

    public ReadOnlyBooleanProperty forkableProperty() {
        return forkable.getReadOnlyProperty();
    }

    public void setFreezeOnEnable(boolean freeze) {
        freezeOnEnable.set(freeze);
        revalidate();
    }

    /** What the user is typing in the watch field. */
    public void setWatchEntry(String text) {
        watchEntry.set(text == null ? "" : text);
        watchEntryProblem.set("");
    }

    /**
     * Adds the watch being typed. A spec that does not read is refused with the engine's sentence and stays in the
     * field; a fourth watch is added, and the form says (with the engine's sentence) why it cannot start.
     *
     * @return whether it was added
     */
    public boolean addWatch() {
        String text = watchEntry.get().strip();
        if (text.isEmpty()) return false;
        List<String> normalised;
        try {
            normalised = RunOptions.checkedWatches(List.of(text));
        } catch (AppException e) {
            watchEntryProblem.set(e.getMessage());
            return false;
        }
        watches.add(normalised.getFirst());
        watchEntry.set("");
        watchEntryProblem.set("");
        revalidate();
        return true;
    }

    public void removeWatch(int index) {
        if (index < 0 || index >= watches.size()) return;
        watches.remove(index);
        revalidate();
    }

    /** What the user is typing (or chose with Browse) in the include field: {@code PATH[:NAME]}. */
    public void setIncludeEntry(String text) {
        includeEntry.set(text == null ? "" : text);
        includeEntryProblem.set("");
    }

    /**
     * Adds the file being typed. One that the engine refuses (no such file, a dynamic binary, a bad name) stays in the
     * field with the engine's sentence; a name shipped twice or a ninth file is added, and the form says (with the
     * engine's sentence) why it cannot start.
     *
     * @return whether it was added
     */
    public boolean addInclude() {
        String text = includeEntry.get().strip();
        if (text.isEmpty()) return false;
        List<RunConfig.IncludedFile> checked;
        try {
            checked = IncludedFiles.check(List.of(text));
        } catch (AppException e) {
            includeEntryProblem.set(e.getMessage());
            return false;
        }
        includes.add(IncludedFiles.spec(checked.getFirst()));
        includeEntry.set("");
        includeEntryProblem.set("");
        revalidate();
        return true;
    }

    public void removeInclude(int index) {
        if (index < 0 || index >= includes.size()) return;
        includes.remove(index);
        revalidate();
    }

    public void setArchive(Path path) {
        archive.set(Objects.requireNonNull(path));
        revalidate();
    }

    /** Runs {@code listener} with the request each time the user starts a valid form. */
    public void onStart(Consumer<LaunchRequest> listener) {
        startListeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Starts the run if the form is valid and the kit ready: remembers the choices, then hands the request to the
     * {@link #onStart} listeners.
     *
     * @return whether a request went out
     */
    public boolean start() {
        RunConfig checked = config.get();
        if (!canStart.get() || checked == null) return false;
        remember.accept(choices());
        LaunchRequest request = new LaunchRequest(checked, archive.get(), commandLine.get(), forkable.get());
        for (Consumer<LaunchRequest> listener : List.copyOf(startListeners)) listener.accept(request);
        return true;
    }

    // ---- checking ------------------------------------------------------------------------------------------------

    private void set(ReadOnlyStringWrapper field, String text) {
        field.set(text == null ? "" : text);
        revalidate();
    }

    private <T> void set(ReadOnlyObjectWrapper<T> field, T value) {
        field.set(value);
        revalidate();
    }

    private void revalidate() {
        List<String> kitSchedulers = kit.schedulers();
        if (!schedulerChoices.equals(kitSchedulers)) schedulerChoices.setAll(kitSchedulers);
        OptionalInt vcpuCount = parseInt(vcpus.get());
        OptionalInt snapshotCount = parseInt(snapshots.get());
        RunOptions options = new RunOptions(scheduler.get(), schedulerArgs.get(), scenario.get(),
                vcpuCount.orElse(0), memory.get(), kernelSource.get() == KernelSource.CUSTOM ? kernelPath.get() : null,
                snapshotCount.orElse(-1), watches, freezeOnEnable.get(), includes);
        Map<RunOption, String> found = new EnumMap<>(RunOption.class);
        RunConfig checked = null;
        switch (options.check(kitSchedulers)) {
            case RunOptions.Valid valid -> {
                checked = valid.config();
                preview.set(ScenarioPreview.of(valid.scenario()));
            }
            case RunOptions.Invalid invalid -> {
                invalid.problems().forEach(p -> found.putIfAbsent(p.option(), p.sentence()));
                preview.set(found.containsKey(RunOption.SCENARIO) ? null : previewOf(scenario.get()));
            }
        }
        // a count that is not a number is said as typed, not as the 0 it was checked as
        if (vcpuCount.isEmpty()) found.put(RunOption.VCPUS, notANumber(RunOptions.vcpusProblem(0).orElseThrow(),
                vcpus.get()));
        if (snapshotCount.isEmpty()) found.put(RunOption.SNAPSHOTS, notANumber(RunOptions.snapshotsProblem(-1)
                .orElseThrow(), snapshots.get()));
        for (RunOption option : RunOption.values()) problems.get(option).set(found.getOrDefault(option, ""));
        config.set(checked);
        Path db = archive.get().equals(defaultArchive) ? null : archive.get();
        commandLine.set((checked != null ? RunCommandLine.toCommandLine(checked, db)
                : RunCommandLine.asTyped(options, db)) + (forkable.get() ? " --forkable" : ""));
        String blocked = found.values().stream().findFirst().orElseGet(this::kitBlocker);
        startBlockedBy.set(blocked);
        canStart.set(blocked.isEmpty());
    }

    private String kitBlocker() {
        return switch (kit.stateProperty().get()) {
            case READY -> "";
            case CHECKING -> "Checking the guest kit…";
            case BUILDING -> "The guest kit is being built.";
            case MISSING, FAILED -> kit.summaryProperty().get();
        };
    }

    private static ScenarioPreview previewOf(String scenario) {
        try {
            return ScenarioPreview.of(ScenarioLoader.load(scenario.strip()));
        } catch (CoordinatorException e) {
            return null;
        }
    }

    /** "… got 0." becomes "… got 'two'." */
    private static String notANumber(String sentence, String typed) {
        return sentence.replaceFirst("got -?\\d+\\.$", java.util.regex.Matcher.quoteReplacement("got '" + typed.strip()
                + "'."));
    }

    private static OptionalInt parseInt(String text) {
        String t = text.strip();
        if (!t.matches("-?\\d{1,9}")) return OptionalInt.empty();
        return OptionalInt.of(Integer.parseInt(t));
    }

    // ---- properties ----------------------------------------------------------------------------------------------

    public KitModel kit() {
        return kit;
    }

    public ReadOnlyObjectProperty<KernelSource> kernelSourceProperty() {
        return kernelSource.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty kernelPathProperty() {
        return kernelPath.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty schedulerProperty() {
        return scheduler.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty schedulerArgsProperty() {
        return schedulerArgs.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty scenarioProperty() {
        return scenario.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty vcpusProperty() {
        return vcpus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty memoryProperty() {
        return memory.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty snapshotsProperty() {
        return snapshots.getReadOnlyProperty();
    }

    public ObservableList<String> watches() {
        return watchesView;
    }

    public ReadOnlyStringProperty watchEntryProperty() {
        return watchEntry.getReadOnlyProperty();
    }

    /** Why the watch being typed was not added ("" when it was, or nothing was tried). */
    public ReadOnlyStringProperty watchEntryProblemProperty() {
        return watchEntryProblem.getReadOnlyProperty();
    }

    /** The files shipped into the guest, {@code PATH[:NAME]} each. */
    public ObservableList<String> includes() {
        return includesView;
    }

    public ReadOnlyStringProperty includeEntryProperty() {
        return includeEntry.getReadOnlyProperty();
    }

    /** Why the file being typed was not added ("" when it was, or nothing was tried). */
    public ReadOnlyStringProperty includeEntryProblemProperty() {
        return includeEntryProblem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty freezeOnEnableProperty() {
        return freezeOnEnable.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> archiveProperty() {
        return archive.getReadOnlyProperty();
    }

    /** The field's problem in one sentence, "" when it is fine. */
    public ReadOnlyStringProperty problemProperty(RunOption option) {
        return problems.get(option).getReadOnlyProperty();
    }

    /** The checked configuration, null while a field has a problem. */
    public ReadOnlyObjectProperty<RunConfig> configProperty() {
        return config.getReadOnlyProperty();
    }

    /** The chosen scenario's steps, null while it cannot be read. */
    public ReadOnlyObjectProperty<ScenarioPreview> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** The equivalent {@code freezeframe run ...} command, always filled. */
    public ReadOnlyStringProperty commandLineProperty() {
        return commandLine.getReadOnlyProperty();
    }

    /** The first reason Start is disabled (the first field problem, else the kit's state), "" when it is enabled. */
    public ReadOnlyStringProperty startBlockedByProperty() {
        return startBlockedBy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStartProperty() {
        return canStart.getReadOnlyProperty();
    }

    /** The scheduler names the kit offers. */
    public ObservableList<String> schedulerChoices() {
        return schedulerChoicesView;
    }

    /** The built-in scenarios. */
    public static List<String> builtInScenarios() {
        return ScenarioLoader.BUILT_INS;
    }
}
