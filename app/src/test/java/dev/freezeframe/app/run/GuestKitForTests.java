package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitBuilder;
import dev.freezeframe.vmm.kit.KitCache;
import java.util.Optional;

/**
 * The guest kit the integration tests boot: the user's current, verified kit. Without one the tests are skipped on a
 * developer's machine and fail under CI, where `freezeframe kit build` must have run first.
 */
final class GuestKitForTests {
    static final AppDirs USER_DIRS = AppDirs.fromEnvironment();

    private GuestKitForTests() {
    }

    static Kit require() {
        Optional<Kit> current = new KitCache(USER_DIRS.cacheDir().resolve("kit")).current()
                .filter(k -> KitBuilder.problems(k).isEmpty());
        if (current.isEmpty() && System.getenv("CI") != null) {
            throw new IllegalStateException("the guest kit is missing or stale: CI must run `freezeframe kit build`");
        }
        assumeTrue(current.isPresent(), "no guest kit built (run `./freezeframe kit build`)");
        return current.get();
    }
}
