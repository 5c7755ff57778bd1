package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
import dev.freezeframe.app.live.LocalLiveRun;
import dev.freezeframe.app.ui.console.ConsoleView;
import dev.freezeframe.app.ui.events.EventsTableView;
import dev.freezeframe.app.ui.source.RunEventSource;
import dev.freezeframe.app.ui.symbols.KernelSymbolSources;
import dev.freezeframe.app.ui.timeline.ArchiveTimelineSource;
import dev.freezeframe.timeline.TimelineView;
import dev.freezeframe.app.ui.fork.ForkRequest;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Path;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitBuilder;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.qemu.QemuBackend;
import dev.freezeframe.app.ui.run.LiveRunStarter;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.run.RunViewFactory;
import java.util.List;

/** What the real workbench is made of: the engine that starts runs, the run tab's views, the launch form. */
public final class ProductWiring {
    private ProductWiring() {
    }

    /** Runs boot the guest kit (or the user's kernel) under QEMU, recorded into the window's archive. */
    static LiveRunStarter starter(AppDirs dirs) {
        return new LiveRunStarter() {
            @Override
            public LiveRun start(RunConfig config, Path archive) {
                return start(config, false, archive);
            }

            @Override
            public LiveRun start(RunConfig config, boolean forkable, Path archive) {
                return LocalLiveRun.start(config, readyKit(dirs), ScenarioLoader.load(config.scenario()), archive,
                        new QemuBackend(), LocalLiveRun.Options.defaults(dirs).withForkable(forkable));
            }

            @Override
            public LiveRun fork(ForkRequest request, Path archive) {
                RunConfig config = request.config();
                return LocalLiveRun.startFork(request.parentRunId(), request.tag(), config, readyKit(dirs),
                        ScenarioLoader.load(config.scenario()), request.newScenario(), archive, new QemuBackend(),
                        LocalLiveRun.Options.defaults(dirs).withForkable(request.forkable()));
            }
        };
    }

    private static Kit readyKit(AppDirs dirs) {
        return new KitCache(dirs.cacheDir().resolve("kit")).current()
                .filter(k -> KitBuilder.problems(k).isEmpty())
                .orElseThrow(() -> new AppException("The guest kit is not built yet (or needs a rebuild): use Build"
                        + " kit in the New run form, or run 'freezeframe kit build'."));
    }

    /** The run tab's views without cached kernel symbols (see {@link #views(AppDirs)}). */
    public static RunViewFactory views() {
        return views(KernelSymbolSources.NONE);
    }

    /** The run tab's views; the symbol browser reads the user's cached kernel symbols and the kit's BTF. */
    public static RunViewFactory views(AppDirs dirs) {
        return views(KernelSymbolSources.of(dirs));
    }

    /** The timeline reads the run from the archive (a live run's too: its ingest commits within milliseconds). */
    static RunViewFactory views(KernelSymbolSources symbols) {
        return (archive, model, context) -> {
            ArchiveTimelineSource source = new ArchiveTimelineSource(archive, model.runId());
            TimelineView timeline = new TimelineView(context, source);
            RunEventSource events = model.isLive()
                    ? RunEventSource.live(archive, model.runId(), model.committedSeqProperty()::get)
                    : RunEventSource.archived(archive, model.runId());
            ConsoleView console = new ConsoleView(context, events);
            EventsTableView table = new EventsTableView(context, events);
            return new RunTabView.Parts(timeline, console, table, symbols,
                    List.of(timeline::dispose, source::close, console::close, table::close));
        };
    }

}
