package dev.freezeframe.app.ui.launch;

import dev.freezeframe.app.UserMessages;
import dev.freezeframe.vmm.kit.KitProgress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest kit as the launch form sees it: whether it is ready (and which kernel and schedulers it has), and a build
 * with its steps when it is not. Checks and builds run off the FX thread; properties change on the FX thread, the
 * summary before the state, so a listener to the state reads the new summary.
 */
public final class KitModel {
    public enum State { CHECKING, READY, MISSING, BUILDING, FAILED }

    /** Build log lines kept for the progress area. */
    static final int MAX_LOG_LINES = 200;
    private static final Logger LOG = LoggerFactory.getLogger(KitModel.class);

    private final KitAccess access;
    private final Executor background;
    private final Consumer<Runnable> fxThread;
    private final Path logFile;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.CHECKING);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Checking the guest kit…");
    private final ReadOnlyObjectWrapper<KitAccess.KitInfo> kit = new ReadOnlyObjectWrapper<>(this, "kit");
    private final ReadOnlyStringWrapper step = new ReadOnlyStringWrapper(this, "step", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObservableList<String> logView = FXCollections.unmodifiableObservableList(log);
    private final AtomicLong generation = new AtomicLong();
    private Thread builder;
    private volatile boolean cancelled;

    /**
     * @param access     the kit cache
     * @param background where checks run
     * @param fxThread   how results get back to the FX thread ({@code Platform::runLater})
     * @param logFile    named in messages about unexpected failures
     */
    public KitModel(KitAccess access, Executor background, Consumer<Runnable> fxThread, Path logFile) {
        this.access = access;
        this.background = background;
        this.fxThread = fxThread;
        this.logFile = logFile;
    }

    /** Looks at the kit again (unless a build is under way). */
    public void refresh() {
        if (state.get() == State.BUILDING) return;
        long mine = generation.incrementAndGet();
        summary.set("Checking the guest kit…");
        state.set(State.CHECKING);
        background.execute(() -> {
            KitAccess.Check check;
            try {
                check = access.check();
            } catch (RuntimeException e) {
                LOG.warn("cannot check the guest kit", e);
                check = new KitAccess.Missing(UserMessages.describe(e, logFile));
            }
            KitAccess.Check found = check;
            fxThread.accept(() -> {
                if (mine == generation.get() && state.get() == State.CHECKING) apply(found);
            });
        });
    }

    /** Starts building the kit on its own thread; {@link #cancelBuild()} interrupts it. */
    public void build() {
        if (state.get() == State.BUILDING) return;
        generation.incrementAndGet();
        cancelled = false;
        log.clear();
        step.set("Starting");
        progress.set(-1);
        summary.set("Building the guest kit…");
        state.set(State.BUILDING);
        builder = Thread.ofPlatform().name("kit-build").daemon(true).start(() -> {
            try {
                KitAccess.KitInfo built = access.build(new FxProgress());
                fxThread.accept(() -> {
                    builder = null;
                    line("Kit " + built.kernelVersion() + " ready.");
                    apply(new KitAccess.Ready(built));
                });
            } catch (RuntimeException e) {
                boolean wasCancelled = cancelled;
                if (!wasCancelled) LOG.error("guest kit build failed", e);
                String message = wasCancelled ? "The kit build was cancelled; what was downloaded is kept for the"
                        + " next try." : UserMessages.describe(e, logFile);
                fxThread.accept(() -> {
                    builder = null;
                    line(message);
                    kit.set(null);
                    progress.set(0);
                    summary.set(message);
                    state.set(wasCancelled ? State.MISSING : State.FAILED);
                });
            }
        });
    }

    /** Interrupts a build under way: downloads and build tools stop at the next check. */
    public void cancelBuild() {
        Thread running = builder;
        if (running == null) return;
        cancelled = true;
        step.set("Cancelling");
        running.interrupt();
    }

    private void apply(KitAccess.Check check) {
        switch (check) {
            case KitAccess.Ready ready -> {
                kit.set(ready.kit());
                progress.set(1);
                summary.set(ready.kit().kernelVersion());
                state.set(State.READY);
            }
            case KitAccess.Missing missing -> {
                kit.set(null);
                summary.set(missing.reason());
                state.set(State.MISSING);
            }
        }
    }

    private void line(String text) {
        log.add(text);
        if (log.size() > MAX_LOG_LINES) log.remove(0, log.size() - MAX_LOG_LINES);
    }

    /** Posts the builder's reports to the FX thread; byte counts at most once per percent. */
    private final class FxProgress implements KitProgress {
        private String bytesName = "";
        private int lastPercent = -1;

        @Override
        public void step(String name, String detail) {
            fxThread.accept(() -> {
                step.set(name);
                progress.set(-1);
                line(name + (detail.isEmpty() ? "" : ": " + detail));
            });
        }

        @Override
        public void done(String name, String detail) {
            fxThread.accept(() -> line("✔ " + name + (detail.isEmpty() ? "" : ": " + detail)));
        }

        @Override
        public void bytes(String name, long done, long total) {
            if (total <= 0) return;
            int percent = (int) Math.min(100, done * 100 / total);
            if (name.equals(bytesName) && percent == lastPercent) return;
            bytesName = name;
            lastPercent = percent;
            String text = name + " " + KitProgress.size(done) + " / " + KitProgress.size(total);
            fxThread.accept(() -> {
                step.set(text);
                progress.set(percent / 100.0);
            });
        }

        @Override
        public void note(String text) {
            fxThread.accept(() -> line(text));
        }
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** The kernel version when ready, else a sentence saying what is going on or wrong. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The ready kit, or null. */
    public ReadOnlyObjectProperty<KitAccess.KitInfo> kitProperty() {
        return kit.getReadOnlyProperty();
    }

    /** What the build is doing now. */
    public ReadOnlyStringProperty stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** Fraction of the current download, or -1 when a step has no measurable progress. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The build's steps so far, oldest first. */
    public ObservableList<String> log() {
        return logView;
    }

    /** The schedulers a run can name now: the kit's, or the kit recipe's while there is no kit. */
    public List<String> schedulers() {
        KitAccess.KitInfo info = kit.get();
        return info == null ? dev.freezeframe.vmm.kit.KitBuilder.SCHEDULERS : info.schedulers();
    }
}
