package dev.freezeframe.app.ui.launch;

import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitBuilder;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.kit.KitLock;
import dev.freezeframe.vmm.kit.KitOptions;
import dev.freezeframe.vmm.kit.KitProgress;
import java.util.List;
import java.util.Optional;

/** How the launch form looks at and builds the guest kit. Both calls block: run them off the FX thread. */
public interface KitAccess {
    /**
     * A kit ready to run.
     *
     * @param kernelVersion {@code uname -r} of its kernel
     * @param origin        where the kernel came from (e.g. Debian's package)
     * @param schedulers    the scheduler names it carries
     */
    record KitInfo(String kernelVersion, String origin, List<String> schedulers) {
        public KitInfo {
            schedulers = List.copyOf(schedulers);
        }
    }

    /** What {@link #check} found. */
    sealed interface Check permits Ready, Missing {
    }

    /** The current kit is complete and verifies. */
    record Ready(KitInfo kit) implements Check {
    }

    /** There is no usable kit; {@code reason} says why in a sentence. */
    record Missing(String reason) implements Check {
    }

    /** Looks at the current kit (hashing its files when they changed since the last check). */
    Check check();

    /** Builds (or repairs) the kit, reporting steps to {@code progress}; honours thread interruption. */
    KitInfo build(KitProgress progress);

    /** The kit in the user's cache, verified and built with {@link KitBuilder}. */
    static KitAccess of(KitCache cache) {
        return new KitAccess() {
            @Override
            public Check check() {
                Optional<Kit> kit = cache.current();
                if (kit.isEmpty()) {
                    return new Missing("The guest kit is not built yet; building it takes a few minutes once.");
                }
                if (!KitBuilder.isComplete(kit.get())) {
                    List<String> problems = KitBuilder.problems(kit.get());
                    if (!problems.isEmpty()) {
                        return new Missing("The guest kit needs a rebuild: " + String.join("; ", problems) + ".");
                    }
                }
                return new Ready(info(kit.get()));
            }

            @Override
            public KitInfo build(KitProgress progress) {
                return info(new KitBuilder(cache, progress).build(KitOptions.defaults()));
            }
        };
    }

    private static KitInfo info(Kit kit) {
        KitLock lock = kit.lock();
        return new KitInfo(kit.kernelVersion(), lock.kernelOrigin(), List.copyOf(lock.schedulers().keySet()));
    }
}
