package dev.freezeframe.app.ui.source;

import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimelineSelection;

/**
 * Where a run tab's context points (its selection and cursor), as a drawer view last followed it: a view that
 * remembers the position it showed ignores the echo of its own selection coming back through the context.
 */
public record ContextPosition(TimelineSelection selection, long cursor) {
    public static ContextPosition of(RunContext context) {
        return new ContextPosition(context.selection(), context.cursor());
    }
}
