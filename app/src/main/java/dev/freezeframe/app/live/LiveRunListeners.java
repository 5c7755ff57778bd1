package dev.freezeframe.app.live;

import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A live run's subscribers; a listener that throws is logged and kept, so one bad view cannot silence the others. */
public final class LiveRunListeners {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRunListeners.class);

    private final List<Consumer<LiveRunState>> state = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<RunEvent>>> events = new CopyOnWriteArrayList<>();

    public LiveRun.Subscription onState(Consumer<LiveRunState> listener) {
        state.add(listener);
        return () -> state.remove(listener);
    }

    public LiveRun.Subscription onEvents(Consumer<List<RunEvent>> listener) {
        events.add(listener);
        return () -> events.remove(listener);
    }

    public void state(LiveRunState value) {
        for (Consumer<LiveRunState> l : state) {
            try {
                l.accept(value);
            } catch (RuntimeException e) {
                LOG.warn("a live-run state listener failed", e);
            }
        }
    }

    public void events(List<RunEvent> batch) {
        if (batch.isEmpty()) return;
        List<RunEvent> copy = List.copyOf(batch);
        for (Consumer<List<RunEvent>> l : events) {
            try {
                l.accept(copy);
            } catch (RuntimeException e) {
                LOG.warn("a live-run event listener failed", e);
            }
        }
    }
}
