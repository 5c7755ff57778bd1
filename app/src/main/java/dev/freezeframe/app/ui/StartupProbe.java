package dev.freezeframe.app.ui;

import java.lang.management.ManagementFactory;
import javafx.animation.AnimationTimer;
import javafx.beans.value.ChangeListener;

/**
 * For the start-up benchmark: with {@code -Dfreezeframe.bench.exitWhenUsable=true}, prints how long the JVM took to a
 * usable window — shown, the runs list loaded, and one frame rendered after that — as one JSON line, then exits.
 * Does nothing otherwise.
 */
final class StartupProbe {
    static final String PROPERTY = "freezeframe.bench.exitWhenUsable";

    private StartupProbe() {
    }

    static void reportWhenUsable(ArchiveBrowserModel archive) {
        if (!Boolean.getBoolean(PROPERTY)) return;
        ChangeListener<ArchiveBrowserModel.Status> loaded = (obs, was, now) -> {
            if (now == ArchiveBrowserModel.Status.LOADING) return;
            new AnimationTimer() {
                private int frames;

                @Override
                public void handle(long now) {
                    if (++frames < 2) return; // the frame that showed the list has been rendered
                    stop();
                    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                    System.out.println("{\"usable_ms\":" + ms + ",\"runs_status\":\"" + archive.statusProperty().get()
                            + "\"}");
                    System.out.flush();
                    System.exit(0); // not halt: the class-data sharing archive is written at a normal exit
                }
            }.start();
        };
        if (archive.statusProperty().get() != ArchiveBrowserModel.Status.LOADING) {
            loaded.changed(null, null, archive.statusProperty().get());
        } else {
            archive.statusProperty().addListener(loaded);
        }
    }
}
