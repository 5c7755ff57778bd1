package dev.freezeframe.snapshots.symbols;

import dev.freezeframe.coordinator.live.WatchSlotState;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The symbol browser's state: the catalog shown, the query and filter, the ranked rows, and the engine's answer per
 * symbol after an arm. Searches run on a background executor, newest query wins (an older result arriving late is
 * dropped); rows are a view over the result's symbol numbers, made on demand, so 250 k matches cost one int array.
 * FX thread only, except the search itself.
 */
public final class SymbolBrowserModel {
    /** The engine's answer to arming a symbol: its sentence, and whether it refused. */
    public record Answer(String text, boolean refused) {
    }

    private final WatchArming arming;
    private final Executor searches;
    private final Consumer<Runnable> fxThread;
    private final ReadOnlyObjectWrapper<SymbolCatalog> catalog = new ReadOnlyObjectWrapper<>(this, "catalog");
    private final StringProperty query = new SimpleStringProperty(this, "query", "");
    private final BooleanProperty dataOnly = new SimpleBooleanProperty(this, "dataOnly", false);
    private final ReadOnlyObjectWrapper<ObservableList<SymbolRow>> rows = new ReadOnlyObjectWrapper<>(this, "rows",
            FXCollections.emptyObservableList());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyObjectWrapper<Answer> lastAnswer = new ReadOnlyObjectWrapper<>(this, "lastAnswer");
    private final ReadOnlyLongWrapper answersVersion = new ReadOnlyLongWrapper(this, "answersVersion", 0);
    private final Map<String, Answer> answers = new HashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private String waitingFor = "No kernel symbols yet.";

    /**
     * @param arming   the run's arming (its answers complete on the FX thread)
     * @param searches where searches run (one background thread)
     * @param fxThread posts a result to the FX thread
     */
    public SymbolBrowserModel(WatchArming arming, Executor searches, Consumer<Runnable> fxThread) {
        this.arming = Objects.requireNonNull(arming, "arming");
        this.searches = Objects.requireNonNull(searches, "searches");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
        query.addListener((obs, was, now) -> search());
        dataOnly.addListener((obs, was, now) -> search());
        status.set(waitingFor);
    }

    /** Shows {@code next} (a live guest's table replaces a cached one); the query is searched again. */
    public void setCatalog(SymbolCatalog next) {
        catalog.set(Objects.requireNonNull(next, "next"));
        search();
    }

    /** What the status line says while no catalog is there (why not, or what it waits for). */
    public void setWaiting(String sentence) {
        waitingFor = sentence;
        if (catalog.get() == null) status.set(sentence);
    }

    private void search() {
        SymbolCatalog c = catalog.get();
        if (c == null) return;
        String q = query.get() == null ? "" : query.get();
        boolean onlyData = dataOnly.get();
        long mine = generation.incrementAndGet();
        searches.execute(() -> {
            if (generation.get() != mine) return; // a newer keystroke came in meanwhile
            SymbolIndex.Result result = c.index().search(q, i -> !onlyData || c.kind(i).watchable()
                    && c.kind(i) != SymbolKind.READ_ONLY);
            fxThread.accept(() -> {
                if (generation.get() != mine || catalog.get() != c) return;
                rows.set(FXCollections.observableList(new Rows(c, result)));
                status.set(describe(c, result, q));
            });
        });
    }

    private static String describe(SymbolCatalog c, SymbolIndex.Result r, String q) {
        String count = q.isBlank() ? group(c.size()) + " symbols"
                : group(r.size()) + " of " + group(c.size()) + " match";
        return count + " · exact > prefix > word start > substring · " + c.origin();
    }

    static String group(long n) {
        return String.format("%,d", n).replace(',', '\u2009');
    }

    /**
     * Arms a write watch on the row's symbol in the next free user slot, or says why it cannot be armed here; the
     * answer (the engine's sentence, verbatim) is kept for the row.
     */
    public void arm(SymbolRow row) {
        String why = arming.unavailable().get();
        if (why != null && !why.isEmpty()) {
            answer(row.name(), new Answer("Browse only: " + why + ".", true));
            return;
        }
        answer(row.name(), new Answer("arming…", false));
        arming.arm(row.name()).whenComplete((text, failure) -> fxThread.accept(() -> answer(row.name(),
                failure == null ? new Answer(text, false) : new Answer(message(failure), true))));
    }

    private void answer(String name, Answer a) {
        answers.put(name, a);
        answersVersion.set(answersVersion.get() + 1);
        lastAnswer.set(a);
    }

    /** The engine's last answer for the symbol named {@code name}. */
    public Optional<Answer> answerFor(String name) {
        return Optional.ofNullable(answers.get(name));
    }

    /** The user slot (1..3) watching {@code name} now, if any. */
    public Optional<Integer> slotWatching(String name) {
        for (WatchSlotState s : arming.slots()) {
            if (s.slot() > 0 && s.state() == WatchSlotState.State.ARMED && s.label().equals(name)) {
                return Optional.of(s.slot());
            }
        }
        return Optional.empty();
    }

    private static String message(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    public WatchArming arming() {
        return arming;
    }

    public ReadOnlyObjectProperty<SymbolCatalog> catalogProperty() {
        return catalog.getReadOnlyProperty();
    }

    public StringProperty queryProperty() {
        return query;
    }

    /** Only symbols a watch can be armed on (variables, not functions, per-CPU or read-only data). */
    public BooleanProperty dataOnlyProperty() {
        return dataOnly;
    }

    public ReadOnlyObjectProperty<ObservableList<SymbolRow>> rowsProperty() {
        return rows.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The answer recorded last, whichever symbol it was for. */
    public ReadOnlyObjectProperty<Answer> lastAnswerProperty() {
        return lastAnswer.getReadOnlyProperty();
    }

    /** Changes whenever an answer is recorded (the table redraws its watch cells). */
    public ReadOnlyLongProperty answersVersionProperty() {
        return answersVersion.getReadOnlyProperty();
    }

    /** A result as a list of rows, each made when the table asks for it. */
    private static final class Rows extends AbstractList<SymbolRow> {
        private final SymbolCatalog catalog;
        private final SymbolIndex.Result result;
        private final int[] rankEnds = new int[4];

        Rows(SymbolCatalog catalog, SymbolIndex.Result result) {
            this.catalog = catalog;
            this.result = result;
            int end = 0;
            for (int r = 0; r < 4; r++) {
                end += result.counts()[r];
                rankEnds[r] = end;
            }
        }

        @Override
        public SymbolRow get(int i) {
            int number = result.symbols()[i];
            int r = 0;
            while (i >= rankEnds[r]) r++;
            return SymbolRow.of(catalog, number, SymbolIndex.Rank.values()[r]);
        }

        @Override
        public int size() {
            return result.size();
        }
    }
}
