package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.Prerequisites;
import dev.freezeframe.vmm.kit.KitBuilder;
import dev.freezeframe.vmm.kit.KitCache;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/** The real workbench for UI tests that run real guests: a fresh archive and settings, the user's guest kit. */
final class RealKitWorkbench {
    private RealKitWorkbench() {
    }

    /** Shows the workbench in {@code stage}, its files under {@code dir}; fails (under CI) or skips without a kit. */
    static Workbench show(Stage stage, Path dir, double width, double height) {
        AppDirs user = AppDirs.fromEnvironment();
        Prerequisites.require(new KitCache(user.cacheDir().resolve("kit")).current()
                .filter(k -> KitBuilder.problems(k).isEmpty()).isPresent(), "no complete, current guest kit in "
                + user.cacheDir().resolve("kit"), "run `./freezeframe kit build`");
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), user.cacheDir());
        Workbench workbench = new Workbench(dirs, "hint");
        workbench.show(stage, dirs.defaultArchive());
        stage.setWidth(width);
        stage.setHeight(height);
        return workbench;
    }

    /** Waits until {@code condition} holds (at most {@code seconds}), then for the FX events it caused. */
    static void await(long seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
