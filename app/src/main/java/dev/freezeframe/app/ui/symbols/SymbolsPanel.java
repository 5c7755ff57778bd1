package dev.freezeframe.app.ui.symbols;

import dev.freezeframe.app.ui.run.RunTabModel;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.snapshots.symbols.BtfTypeNames;
import dev.freezeframe.snapshots.symbols.SymbolBrowserModel;
import dev.freezeframe.snapshots.symbols.SymbolBrowserView;
import dev.freezeframe.snapshots.symbols.SymbolCatalog;
import dev.freezeframe.snapshots.symbols.WatchArming;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run tab's Symbols panel: the symbol browser fed with the run's kernel symbols — a live guest's own table once it
 * has sent it, before that (or for an archived run) the kallsyms cached for that kernel — and arming through the tab's
 * model, so the engine's answers and refusals are the ones the toolbar and palette get. Loading and searching happen on
 * one background thread per tab, closed with it.
 */
public final class SymbolsPanel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SymbolsPanel.class);

    private final SymbolBrowserView view;
    private final ExecutorService background;
    private final AtomicBoolean liveShown = new AtomicBoolean();

    /**
     * @param model   the run tab's model (arming, slots, whether the run is live)
     * @param release the kernel release the archive recorded (archived runs), empty for a live run
     * @param sources cached symbols and BTF of the kit kernel
     */
    public SymbolsPanel(RunTabModel model, Optional<String> release, KernelSymbolSources sources) {
        background = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon(true)
                .name("symbols-" + model.runId()).factory());
        SymbolBrowserModel browser = new SymbolBrowserModel(arming(model), background, Platform::runLater);
        view = new SymbolBrowserView(browser);
        boolean kitKernel = model.liveRun().map(r -> r.config().kernel().equals("kit")).orElse(true);
        browser.setWaiting(model.isLive() ? "Waiting for the guest's symbol table (it arrives shortly after SYS_RDY)."
                : "No cached symbols for this run's kernel" + release.map(r -> " (" + r + ")").orElse("")
                + ": a live run of that kernel caches them.");
        if (kitKernel) {
            background.execute(() -> {
                sources.cached(release).ifPresent(c -> {
                    SymbolCatalog catalog = new SymbolCatalog(c.table(), "cached kallsyms of " + c.kernel(), false);
                    Platform.runLater(() -> {
                        if (!liveShown.get()) browser.setCatalog(catalog);
                    });
                });
                sources.btf(release).map(BtfTypeNames::new).ifPresent(t -> Platform.runLater(() -> view.setTypes(t)));
            });
        }
        model.liveRun().ifPresent(run -> run.kernelSymbols().thenAccept(table -> showLive(browser, table)));
    }

    private void showLive(SymbolBrowserModel browser, KernelSymbolTable table) {
        try {
            background.execute(() -> {
                SymbolCatalog catalog = new SymbolCatalog(table, "the live guest's kallsyms", true);
                Platform.runLater(() -> {
                    liveShown.set(true);
                    browser.setCatalog(catalog);
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("symbols panel closed before the guest's symbols arrived");
        }
    }

    private static WatchArming arming(RunTabModel model) {
        ObservableStringValue unavailable = Bindings.createStringBinding(() -> model.controlsProperty().get().arm(),
                model.controlsProperty());
        return new WatchArming() {
            @Override
            public CompletableFuture<String> arm(String spec) {
                return model.arm(spec);
            }

            @Override
            public ObservableStringValue unavailable() {
                return unavailable;
            }

            @Override
            public ObservableList<WatchSlotState> slots() {
                return model.slots();
            }
        };
    }

    public SymbolBrowserView view() {
        return view;
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
