package dev.freezeframe.app.ui;

import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.shell.CommandPalette;
import dev.freezeframe.app.ui.shell.FuzzyMatch;
import dev.freezeframe.app.ui.shell.PaletteItem;
import dev.freezeframe.app.ui.shell.PaletteMode;
import dev.freezeframe.app.ui.shell.TimeQuery;
import dev.freezeframe.app.ui.shell.TimeText;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.model.FieldRef;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The palette's modes over the workbench: {@code >} commands, {@code t } go to a run time, {@code run } open a run,
 * {@code @} show a snapshot of the run, {@code #} plot a map field, {@code $} find a kernel symbol in the run tab's Symbols panel,
 * {@code /} find words in the console or filter the events by them.
 */
final class PaletteModes {
    private PaletteModes() {
    }

    static List<PaletteMode> of(Supplier<CommandPalette> palette, Supplier<RunTabView> currentRun, Workbench workbench) {
        return List.of(
                new PaletteMode(">", "Commands only: type part of a command's name.",
                        q -> palette.get().commands(q.strip())),
                new PaletteMode("t ", "Go to a run time: 12.5, 450ms, +12.480 s; from the cursor: c+200ms, c-1s.",
                        q -> goToTime(q, currentRun.get())),
                new PaletteMode("run ", "Open a run of the archive by its number: run 55.",
                        q -> openRun(q, workbench)),
                new PaletteMode("@", "Snapshots of this run: type part of a tag (periodic_003, error, watch:total_forks).",
                        q -> snapshots(q, currentRun.get())),
                new PaletteMode("#", "Fields of the run's maps: type part of a name (nr_enq, stats cnt); Enter plots it"
                        + " above the timeline, Shift+Enter pins it under the snapshot.", q -> fields(q, currentRun.get(), () -> palette.get().refresh())),
                new PaletteMode("$", "Kernel symbols: type a name to find it in the Symbols panel, where Enter arms a"
                        + " watch.", q -> findSymbol(q, currentRun.get())),
                new PaletteMode("/", "Text search: type words to find them in the console or to filter the events.",
                        q -> findText(q, currentRun.get())));
    }

    static List<PaletteItem> goToTime(String query, RunTabView run) {
        if (query.isBlank()) return List.of();
        if (run == null) return List.of(PaletteItem.refusal("ff.goto.time", "Go to " + query.strip(),
                "open a run first"));
        try {
            long ns = TimeQuery.parse(query, run.context().cursor());
            return List.of(new PaletteItem("ff.goto.time", "Go to " + TimeText.relative(ns), "moves the cursor",
                    null, () -> run.context().setCursor(ns)));
        } catch (TimeQuery.Problem p) {
            return List.of(PaletteItem.refusal("ff.goto.time", "Go to " + query.strip(), p.getMessage()));
        }
    }

    /** The run's snapshots whose tag matches, best first (ties in time order); Enter shows one and moves the cursor. */
    static List<PaletteItem> snapshots(String query, RunTabView run) {
        String q = query.strip();
        if (run == null) return List.of(PaletteItem.refusal("ff.snapshot.show", "Snapshot " + q, "open a run first"));
        List<SnapshotInfo> rows = run.snapshots().rows();
        if (rows.isEmpty()) {
            return List.of(PaletteItem.refusal("ff.snapshot.show", "Snapshot " + q, "this run has no snapshot yet"));
        }
        record Scored(SnapshotInfo s, int score) {
        }
        return rows.stream()
                .map(s -> new Scored(s, FuzzyMatch.score(q, s.tag())))
                .filter(x -> x.score() >= 0)
                .sorted(Comparator.comparingInt((Scored x) -> -x.score()).thenComparingLong(x -> x.s().atNanos()))
                .limit(50)
                .map(x -> new PaletteItem("ff.snapshot.show", "Snapshot " + x.s().tag(),
                        TimeText.relative(x.s().atNanos()) + "  " + x.s().kind().name().toLowerCase(Locale.ROOT)
                                + (x.s().placeholder() ? "  (not captured)" : ""), null,
                        () -> {
                            run.context().setCursor(x.s().atNanos());
                            run.showSnapshotTagged(x.s().tag());
                        }))
                .toList();
    }

    /** The run's numeric map fields matching {@code query}, best first; Enter plots one. */
    static List<PaletteItem> fields(String query, RunTabView run, Runnable refresh) {
        String q = query.strip();
        if (run == null) return List.of(PaletteItem.refusal("ff.field.plot", "Plot " + q, "open a run first"));
        List<FieldRef> all = run.plottableFields(refresh);
        if (all.isEmpty()) {
            return List.of(PaletteItem.refusal("ff.field.plot", "Plot " + q, run.fieldsLoading()
                    ? "reading the run's fields" : "this run has no snapshot with numeric map fields yet"));
        }
        record Scored(FieldRef f, int score) {
        }
        return all.stream()
                .map(f -> new Scored(f, FuzzyMatch.score(q, f.label())))
                .filter(x -> x.score() >= 0)
                .sorted(Comparator.comparingInt((Scored x) -> -x.score()))
                .limit(50)
                .map(x -> new PaletteItem("ff.field.plot", "Plot " + x.f().label(), (x.f().perCpu()
                        ? "Σ over " + x.f().cpus() + " CPUs, above the timeline" : "above the timeline")
                        + " · Shift+Enter pins", null, () -> run.plot(x.f()), () -> run.pin(x.f())))
                .toList();
    }

    static List<PaletteItem> findSymbol(String query, RunTabView run) {
        String q = query.strip();
        if (q.isEmpty()) return List.of();
        if (run == null) return List.of(PaletteItem.refusal("ff.symbols.find", "Find " + q, "open a run first"));
        return List.of(new PaletteItem("ff.symbols.find", "Find " + q + " in Symbols", "ranked search", null,
                () -> run.findSymbol(q)));
    }

    /** Two ways to look for words: the console's find (stepping through matches) and the events filtered by them. */
    static List<PaletteItem> findText(String query, RunTabView run) {
        String q = query.strip();
        if (q.isEmpty()) return List.of();
        if (run == null) return List.of(PaletteItem.refusal("ff.console.find", "Find " + q, "open a run first"));
        return List.of(
                new PaletteItem("ff.console.find", "Find “" + q + "” in the console",
                        "Enter in the find bar steps to the next match", null, () -> run.findInConsole(q)),
                new PaletteItem("ff.events.filter", "Show events holding “" + q + "”", "filters the Events panel",
                        null, () -> run.filterEvents(q)));
    }

    static List<PaletteItem> openRun(String query, Workbench workbench) {
        String q = query.strip().replaceFirst("^#", "");
        if (q.isEmpty()) return List.of();
        if (!q.matches("\\d{1,18}")) {
            return List.of(PaletteItem.refusal("ff.run.open", "Open run " + q, "a run is named by its number, e.g."
                    + " run 55"));
        }
        long id = Long.parseLong(q);
        return List.of(new PaletteItem("ff.run.open", "Open run #" + id, "in a tab", null,
                () -> workbench.openRun(id, Optional.empty())));
    }
}
