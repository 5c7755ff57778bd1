package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
import dev.freezeframe.app.ui.run.LiveRunStarter;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.run.RunViewFactory;
import java.util.List;
import javafx.scene.control.Label;

/** What the real workbench is made of: the engine that starts runs, the run tab's views, the launch form. */
final class ProductWiring {
    private ProductWiring() {
    }

    static LiveRunStarter starter(AppDirs dirs) {
        return (config, archive) -> {
            throw new AppException("Starting runs from the window is being wired up.");
        };
    }

    static RunViewFactory views() {
        return (archive, model, context) -> new RunTabView.Parts(new Label("timeline"), new Label("console"),
                new Label("events"), List.of());
    }

}
