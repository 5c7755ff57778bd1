package dev.freezeframe.app.ui.runs;

import atlantafx.base.theme.Styles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunDetail;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The preview under the runs table: the selected run's verdict and reason, configuration, counts and first match. */
public final class RunPreviewPane extends VBox {
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private final Label title = new Label();
    private final Label verdict = new Label();
    private final Label config = new Label();
    private final Label settings = new Label();
    private final Label counts = new Label();
    private final Label note = new Label();
    private final TextFlow match = new TextFlow();
    private final Label empty = new Label("Select a run to see its verdict, configuration and counts. "
            + "Enter opens it; select two runs to compare them, or mark groups with the A and B keys (or a right-click) "
            + "and Compare A vs B.");

    public RunPreviewPane(ObservableValue<Optional<RunPreview>> preview) {
        setId("runPreview");
        getStyleClass().add("run-preview");
        setSpacing(6);
        setPadding(new Insets(10, 12, 10, 12));
        title.setId("previewTitle");
        title.getStyleClass().add(Styles.TITLE_4);
        verdict.setId("previewVerdict");
        verdict.setWrapText(true);
        config.setId("previewConfig");
        settings.setId("previewSettings");
        settings.setWrapText(true);
        settings.setStyle("-fx-font-family: monospace;");
        settings.getStyleClass().add(Styles.TEXT_SMALL);
        counts.setId("previewCounts");
        counts.getStyleClass().add(Styles.TEXT_MUTED);
        note.setId("previewNote");
        note.setWrapText(true);
        FontIcon sign = new FontIcon(Feather.ALERT_TRIANGLE);
        sign.getStyleClass().add(Styles.WARNING);
        note.setGraphic(sign);
        match.setId("previewMatch");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.setWrapText(true);
        preview.addListener((obs, old, now) -> show(now));
        show(preview.getValue());
    }

    private void show(Optional<RunPreview> preview) {
        if (preview == null || preview.isEmpty()) {
            getChildren().setAll(empty);
            return;
        }
        RunPreview p = preview.get();
        RunDetail d = p.detail();
        ArchivedRun r = d.run();
        title.setText("Run #" + r.id() + " · " + (r.scheduler() + " " + r.schedulerArgs()).strip() + " · "
                + r.scenario());
        String label = r.verdictLabel();
        verdict.setText(label.replace('_', ' ') + r.reason().map(reason -> " — " + reason).orElse(""));
        verdict.setStyle("-fx-font-weight: bold; -fx-text-fill: " + verdictColour(label) + ";");
        config.setText("kernel " + r.kernelVersion().orElse(r.kernel()) + " · " + r.vcpus() + " vCPU"
                + (r.vcpus() == 1 ? "" : "s") + " · " + r.memoryMib() + " MiB · started "
                + STARTED.format(r.startedAt()) + " · "
                + r.durationMs().map(ms -> String.format(Locale.ROOT, "ran %.1f s", ms / 1000.0)).orElse("no end yet"));
        counts.setText(group(d.eventCount()) + " events · " + group(d.snapshotCount()) + " snapshot"
                + (d.snapshotCount() == 1 ? "" : "s")
                + (d.placeholderCount() > 0 ? " (" + d.placeholderCount() + " placeholder"
                + (d.placeholderCount() == 1 ? "" : "s") + ")" : "")
                + d.lastEventNs().map(ns -> String.format(Locale.ROOT, " · last event at +%.3f s", ns / 1e9))
                .orElse(""));
        settings.setText(settingsLine(d.configJson()));
        List<javafx.scene.Node> nodes = new ArrayList<>(List.of(title, verdict, config, settings, counts));
        r.archiveNote().ifPresent(n -> {
            note.setText(n);
            nodes.add(note);
        });
        if (p.searchText().isPresent()) {
            fillMatch(p);
            nodes.add(match);
        }
        getChildren().setAll(nodes);
    }

    private void fillMatch(RunPreview p) {
        List<Text> parts = new ArrayList<>();
        Text head = new Text("first match: ");
        head.getStyleClass().add("preview-match-label");
        parts.add(head);
        Optional<RunEvent> first = p.firstMatch();
        if (first.isPresent()) {
            RunEvent e = first.get();
            parts.add(new Text(String.format(Locale.ROOT, "+%.3f s %s  ", e.atNanos() / 1e9, e.lane().wireName())));
            parts.addAll(highlighted(e.text(), p.searchWords()));
        } else if (p.reasonMatches()) {
            parts.add(new Text("the verdict reason (no console line or event holds the words)"));
        } else {
            parts.add(new Text("none in this run's console or events"));
        }
        for (Text t : parts) t.getStyleClass().add("text");
        match.getChildren().setAll(parts);
    }

    /** The line with every word that starts with a search word in bold accent (the archive's match rule). */
    static List<Text> highlighted(String line, List<String> words) {
        List<Text> out = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        int at = 0;
        while (m.find()) {
            String w = m.group().toLowerCase(Locale.ROOT);
            if (words.stream().noneMatch(w::startsWith)) continue;
            if (m.start() > at) out.add(new Text(line.substring(at, m.start())));
            Text hit = new Text(m.group());
            hit.getStyleClass().add("match");
            hit.setStyle("-fx-font-weight: bold; -fx-fill: -color-accent-fg;");
            out.add(hit);
            at = m.end();
        }
        if (at < line.length()) out.add(new Text(line.substring(at)));
        return out;
    }

    /** The recorded configuration as {@code key value} pairs, so settings the table has no column for show too. */
    static String settingsLine(String configJson) {
        try {
            JsonNode config = JSON.readTree(configJson);
            List<String> parts = new ArrayList<>();
            config.properties().forEach(f -> {
                JsonNode v = f.getValue();
                String text;
                if (v.isArray()) {
                    List<String> items = new ArrayList<>();
                    v.elements().forEachRemaining(item -> items.add(item.asText()));
                    text = items.isEmpty() ? "—" : String.join(" ", items);
                } else {
                    text = v.isNull() ? "—" : v.asText();
                }
                parts.add(f.getKey() + " " + text);
            });
            return String.join(" · ", parts);
        } catch (JsonProcessingException e) {
            return configJson;
        }
    }

    static String verdictColour(String verdict) {
        return switch (verdict) {
            case "passed" -> "-color-success-fg";
            case "scheduler_failed", "failed_expectation", "error" -> "-color-danger-fg";
            case "running" -> "-color-accent-fg";
            default -> "-color-warning-fg";
        };
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n).replace(',', '\u2009');
    }
}
