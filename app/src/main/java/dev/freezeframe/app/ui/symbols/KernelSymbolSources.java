package dev.freezeframe.app.ui.symbols;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.live.KallsymsCache;
import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run tab's symbol browser finds the guest kernel's symbols when no live guest has sent them (an archived run,
 * or a live one still booting): the kallsyms an earlier run cached for that kernel ({@link KallsymsCache}), and the
 * kit's vmlinux BTF for types. Everything here reads files: call it off the FX thread.
 */
public final class KernelSymbolSources {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSymbolSources.class);
    /** No cache and no kit (tests, or a machine without the kit). */
    public static final KernelSymbolSources NONE = new KernelSymbolSources(Optional.empty(), Optional::empty);

    /** Cached symbols and the kernel release they belong to. */
    public record Cached(KernelSymbolTable table, String kernel) {
    }

    private final Optional<KallsymsCache> cache;
    private final Supplier<Optional<Kit>> kit;

    public KernelSymbolSources(Optional<KallsymsCache> cache, Supplier<Optional<Kit>> kit) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.kit = Objects.requireNonNull(kit, "kit");
    }

    /** The user's symbol cache and current kit. */
    public static KernelSymbolSources of(AppDirs dirs) {
        return new KernelSymbolSources(Optional.of(KallsymsCache.in(dirs)),
                () -> new KitCache(dirs.cacheDir().resolve("kit")).current());
    }

    /**
     * Cached symbols of a run's kernel.
     *
     * @param release the kernel release the archive recorded, or empty for a live run of the kit's kernel
     */
    public Optional<Cached> cached(Optional<String> release) {
        if (cache.isEmpty()) return Optional.empty();
        try {
            Optional<Kit> k = kitFor(release);
            if (k.isPresent()) {
                Optional<KernelSymbolTable> t = cache.get().load(k.get());
                if (t.isPresent()) return Optional.of(new Cached(t.get(), k.get().kernelVersion()));
            }
            return release.flatMap(r -> cache.get().loadRelease(r).map(t -> new Cached(t, r)));
        } catch (RuntimeException e) {
            LOG.info("no cached kernel symbols: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** The kernel's BTF when it is the kit's kernel (its vmlinux is at hand); about a second to parse. */
    public Optional<Btf> btf(Optional<String> release) {
        try {
            Optional<Kit> k = kitFor(release);
            if (k.isEmpty()) return Optional.empty();
            return Optional.of(Btf.fromElf(k.get().vmlinux()));
        } catch (BtfException | RuntimeException e) {
            LOG.info("no kernel BTF for the symbol browser: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** The kit, when the run's kernel is the kit's (any release for a live run; the same release for an archived). */
    private Optional<Kit> kitFor(Optional<String> release) {
        Optional<Kit> k = kit.get();
        if (k.isEmpty()) return k;
        if (release.isEmpty()) return k;
        String r = release.get();
        return r.equals(k.get().kernelVersion()) || r.startsWith(k.get().kernelVersion() + " ") ? k : Optional.empty();
    }
}
