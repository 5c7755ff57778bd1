package dev.freezeframe.app.ui.runs;

import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.RunDetail;
import dev.freezeframe.persistence.RunFilter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the runs browser's preview shows for the selected run: its detail (verdict, reason, configuration, counts) and,
 * when the filter searches text, the run's first line that matches.
 *
 * @param detail        the run with its configuration and counts
 * @param searchText    the filter's text search, if any
 * @param firstMatch    the first event whose text matches {@code searchText}
 * @param reasonMatches true when the verdict reason holds {@code searchText} (the list matches on it too)
 */
public record RunPreview(RunDetail detail, Optional<String> searchText, Optional<RunEvent> firstMatch,
                         boolean reasonMatches) {

    /** Loads the preview of {@code runId} under {@code filter}; empty when the run is gone. Call off the FX thread. */
    public static Optional<RunPreview> load(Archive archive, long runId, RunFilter filter) {
        Optional<RunDetail> detail = archive.runs().detail(runId);
        if (detail.isEmpty()) return Optional.empty();
        Optional<String> text = filter.text().filter(t -> !t.isBlank());
        Optional<RunEvent> first = text.flatMap(t -> archive.runs().search(runId, t, 1).stream().findFirst());
        boolean reason = text.isPresent() && detail.get().run().reason()
                .map(r -> r.toLowerCase(Locale.ROOT).contains(text.get().strip().toLowerCase(Locale.ROOT)))
                .orElse(false);
        return Optional.of(new RunPreview(detail.get(), text, first, reason));
    }

    /** The search words, lower case, for highlighting. */
    public List<String> searchWords() {
        return searchText.map(t -> List.of(t.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).stream()
                .filter(w -> !w.isEmpty()).toList()).orElse(List.of());
    }
}
