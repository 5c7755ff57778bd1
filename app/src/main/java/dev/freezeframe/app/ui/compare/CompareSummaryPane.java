package dev.freezeframe.app.ui.compare;

import atlantafx.base.theme.Styles;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunComparison;
import dev.freezeframe.persistence.RunDetail;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The compare view's summary: outcome and counts of A and B side by side, and the configuration keys that differ. */
final class CompareSummaryPane extends HBox {
    private final GridPane outcome = new GridPane();
    private final GridPane config = new GridPane();
    private final Label sentence = new Label();

    CompareSummaryPane() {
        super(32);
        outcome.setId("compareSummary");
        config.setId("compareConfig");
        sentence.setId("compareSentence");
        sentence.getStyleClass().add(Styles.TEXT_BOLD);
        for (GridPane g : new GridPane[] {outcome, config}) {
            g.setHgap(16);
            g.setVgap(3);
        }
        VBox left = new VBox(8, heading("Outcome"), outcome, sentence);
        VBox right = new VBox(8, heading("Configuration differences"), config);
        HBox.setHgrow(right, Priority.ALWAYS);
        getChildren().setAll(left, right);
        setPadding(new Insets(8, 0, 12, 0));
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TITLE_4);
        return l;
    }

    void show(RunComparison.Result r) {
        ArchivedRun a = r.a().run();
        ArchivedRun b = r.b().run();
        outcome.getChildren().clear();
        outcome.getColumnConstraints().setAll(new ColumnConstraints(), new ColumnConstraints(), new ColumnConstraints());
        header(outcome, "", "A  #" + a.id(), "B  #" + b.id());
        row(outcome, 1, "verdict", a.verdictLabel().replace('_', ' '), b.verdictLabel().replace('_', ' '));
        row(outcome, 2, "reason", a.reason().orElse("—"), b.reason().orElse("—"));
        row(outcome, 3, "duration", a.durationMs().map(CompareSummaryPane::seconds).orElse("—"),
                b.durationMs().map(CompareSummaryPane::seconds).orElse("—"));
        row(outcome, 4, "events", Numbers.plain(r.a().eventCount()), Numbers.plain(r.b().eventCount()));
        row(outcome, 5, "snapshots", snapshots(r.a()), snapshots(r.b()));
        row(outcome, 6, "compared snapshot", r.snapshotA().map(s -> s.tag()).orElse("(none with data)"),
                r.snapshotB().map(s -> s.tag()).orElse("(none with data)"));
        StringBuilder s = new StringBuilder(r.sameVerdict() ? "Same verdict." : "Verdicts differ.");
        r.durationDeltaMs().ifPresent(d -> s.append(d == 0 ? " Same duration." : " B ran " + seconds(Math.abs(d))
                + (d > 0 ? " longer." : " shorter.")));
        sentence.setText(s.toString());

        config.getChildren().clear();
        if (r.config().isEmpty()) {
            Label same = new Label("Identical.");
            same.setId("compareConfigIdentical");
            same.getStyleClass().add(Styles.TEXT_MUTED);
            config.add(same, 0, 0);
            return;
        }
        config.getColumnConstraints().setAll(new ColumnConstraints(), new ColumnConstraints(), new ColumnConstraints());
        header(config, "key", "A", "B");
        int i = 1;
        for (RunComparison.ConfigDifference d : r.config()) {
            row(config, i++, d.key(), d.a().orElse("(absent)"), d.b().orElse("(absent)"));
        }
    }

    private static void header(GridPane g, String key, String a, String b) {
        Label[] labels = {new Label(key), new Label(a), new Label(b)};
        for (int c = 0; c < 3; c++) {
            labels[c].getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            g.add(labels[c], c, 0);
        }
    }

    private static void row(GridPane g, int r, String key, String a, String b) {
        Label k = new Label(key);
        k.getStyleClass().add(Styles.TEXT_MUTED);
        Label la = new Label(a);
        Label lb = new Label(b);
        if (!a.equals(b)) {
            // a differing value reads bold on both sides
            la.getStyleClass().add(Styles.TEXT_BOLD);
            lb.getStyleClass().add(Styles.TEXT_BOLD);
        }
        la.setMaxWidth(360);
        lb.setMaxWidth(360);
        g.addRow(r, k, la, lb);
    }

    private static String snapshots(RunDetail d) {
        return Numbers.plain(d.snapshotCount()) + (d.placeholderCount() > 0
                ? " (" + d.placeholderCount() + " placeholders)" : "");
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
