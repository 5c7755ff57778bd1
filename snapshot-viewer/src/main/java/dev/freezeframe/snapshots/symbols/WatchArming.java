package dev.freezeframe.snapshots.symbols;

import dev.freezeframe.coordinator.live.WatchSlotState;
import java.util.concurrent.CompletableFuture;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ObservableList;

/**
 * What the symbol browser arms watches through: the run tab's live run. Answers complete on the FX thread.
 */
public interface WatchArming {
    /**
     * Arms {@code spec} (a symbol name) in the next free user slot; completes with the engine's "armed slot N: ..." or
     * exceptionally with its refusal sentence.
     */
    CompletableFuture<String> arm(String spec);

    /** Why nothing can be armed now ("the run has ended", "the guest has not reached SYS_RDY yet"); empty when it can. */
    ObservableStringValue unavailable();

    /** Watch slots 0..3 as the engine reports them. */
    ObservableList<WatchSlotState> slots();
}
