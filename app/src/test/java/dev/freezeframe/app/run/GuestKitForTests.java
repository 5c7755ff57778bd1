package dev.freezeframe.app.run;


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
        dev.freezeframe.app.Prerequisites.require(current.isPresent(), "no complete, current guest kit in "
                + USER_DIRS.cacheDir().resolve("kit"), "run `./freezeframe kit build`");
        return current.get();
    }
}
