package dev.freezeframe.app.ui.launch;

import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.kit.KitProgress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** A guest kit for tests: ready or missing as told; a build reports a few steps and, if asked, waits to be cancelled. */
final class FakeKit implements KitAccess {
    static final KitInfo READY = new KitInfo("7.3.4+deb13-cloud-amd64", "debian", List.of("scx_simple", "scx_qmap",
            "scx_central"));

    volatile boolean ready;
    volatile boolean buildWaitsForCancel;
    final CountDownLatch buildStarted = new CountDownLatch(1);

    FakeKit(boolean ready) {
        this.ready = ready;
    }

    @Override
    public Check check() {
        return ready ? new Ready(READY) : new Missing("The guest kit is not built yet; building it takes a few minutes"
                + " once.");
    }

    @Override
    public KitInfo build(KitProgress progress) {
        progress.step("resolve", "Debian's newest cloud kernel with sched_ext");
        progress.done("resolve", "linux-image 7.3.4");
        progress.step("download", "3 packages");
        progress.bytes("linux-image.deb", 50, 100);
        buildStarted.countDown();
        if (buildWaitsForCancel) {
            try {
                new CountDownLatch(1).await(10, java.util.concurrent.TimeUnit.MINUTES); // until cancelled
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VmmException("The kit build was interrupted; the partial download is kept for the next"
                        + " try.", e);
            }
        }
        progress.done("download", "3 packages, 80 MB");
        ready = true;
        return READY;
    }

    /** A kit model over this fake whose checks and FX hand-offs run at once, on the caller's thread. */
    KitModel model(Consumer<Runnable> fxThread) {
        KitModel model = new KitModel(this, Runnable::run, fxThread, Path.of("freezeframe.log"));
        model.refresh();
        return model;
    }
}
