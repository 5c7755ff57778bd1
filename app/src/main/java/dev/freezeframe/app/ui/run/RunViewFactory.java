package dev.freezeframe.app.ui.run;

import dev.freezeframe.timeline.RunContext;
import java.nio.file.Path;

/** Makes the archive-backed views of one run tab (timeline, console, events) for a run and its shared context. */
@FunctionalInterface
public interface RunViewFactory {
    RunTabView.Parts create(Path archive, RunTabModel model, RunContext context);
}
