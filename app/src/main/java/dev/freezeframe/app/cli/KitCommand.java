package dev.freezeframe.app.cli;

import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitBuilder;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.kit.KitLock;
import dev.freezeframe.vmm.kit.KitOptions;
import dev.freezeframe.vmm.kit.KitProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code freezeframe kit ...}: the guest kit (Debian kernel with sched_ext, schedulers, busybox, guest agent). */
@Command(name = "kit",
        description = {"Build and inspect the guest kit: a Debian kernel with sched_ext, the scx_simple, scx_qmap and"
                + " scx_central schedulers, busybox and the guest agent, cached under the user's cache directory."},
        mixinStandardHelpOptions = true,
        subcommands = {KitCommand.Build.class, KitCommand.Status.class, KitCommand.PathCommand.class,
                KitCommand.Clean.class})
public final class KitCommand {
    @ParentCommand
    FreezeframeCommand root;

    KitCache cache() {
        return new KitCache(root.dirs().cacheDir().resolve("kit"));
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build the kit, or verify and reuse the cached one (under a second when complete).",
                    "With --kernel or --scheduler, build a kit around your own kernel or schedulers; it becomes the"
                            + " current kit."})
    static final class Build implements Callable<Integer> {
        @ParentCommand
        KitCommand kit;

        @Spec
        CommandSpec spec;

        @Option(names = "--kernel", paramLabel = "BZIMAGE", description = "Boot this kernel (a bzImage with sched_ext)"
                + " instead of Debian's.")
        Path kernel;

        @Option(names = "--vmlinux", paramLabel = "FILE", description = "The vmlinux (with .BTF) of --kernel; extracted"
                + " from the bzImage when omitted.")
        Path vmlinux;

        @Option(names = "--scheduler", paramLabel = "PATH", description = "Add this scheduler binary to the guest"
                + " (static, or dynamic: its libraries are found via DT_NEEDED and copied in). Repeatable.")
        List<Path> schedulers = List.of();

        @Option(names = "--refresh", description = "Resolve the newest Debian packages again instead of keeping the"
                + " current kit's versions.")
        boolean refresh;

        @Override
        public Integer call() {
            if (vmlinux != null && kernel == null) {
                throw new VmmException("--vmlinux describes the kernel given with --kernel; pass both.");
            }
            PrintWriter out = spec.commandLine().getOut();
            KitOptions options = new KitOptions(Optional.ofNullable(kernel).map(Path::toAbsolutePath),
                    Optional.ofNullable(vmlinux).map(Path::toAbsolutePath),
                    schedulers.stream().map(Path::toAbsolutePath).toList(), refresh);
            Kit built = new KitBuilder(kit.cache(), KitProgress.printingTo(out)).build(options);
            out.println("kit " + built.kernelVersion() + " ready: " + built.dir());
            out.flush();
            return FreezeframeCommand.EXIT_OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the current kit: kernel, package versions, files and whether they verify.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        KitCommand kit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            KitCache cache = kit.cache();
            Optional<Kit> current = cache.current();
            if (current.isEmpty()) {
                out.println("No kit in " + cache.root() + " yet; run `freezeframe kit build`.");
                out.flush();
                return FreezeframeCommand.EXIT_FAILURE;
            }
            Kit k = current.get();
            KitLock lock = k.lock();
            List<String> problems = KitBuilder.problems(k);
            out.printf("kit:        %s (%s)%n", k.dir(), problems.isEmpty() ? "complete, verified" : "NEEDS REBUILD");
            problems.forEach(p -> out.println("            - " + p));
            out.printf("kernel:     %s (%s)%n", lock.kernelVersion(), lock.kernelOrigin());
            out.printf("recipe:     kit %d, agent %s%n", lock.kitVersion(), lock.agentSourceSha256().substring(0, 12));
            out.printf("built:      %s%n", lock.createdAt());
            out.printf("schedulers: %s%n", String.join(", ", lock.schedulers().keySet()));
            out.println("packages:");
            int name = lock.packages().stream().mapToInt(p -> p.name().length()).max().orElse(0);
            int version = lock.packages().stream().mapToInt(p -> p.version().length()).max().orElse(0);
            String row = "  %-14s %-" + name + "s  %-" + version + "s  %-16s %s%n";
            for (KitLock.LockedPackage p : lock.packages()) {
                out.printf(row, p.role(), p.name(), p.version(), p.suite(), "sha256:" + p.sha256().substring(0, 16));
            }
            out.println("host packages:");
            for (Map.Entry<String, String> e : lock.hostPackages().entrySet()) {
                out.printf("  %-20s %s%n", e.getKey(), e.getValue());
            }
            out.println("files:");
            for (Map.Entry<String, KitLock.LockedArtifact> e : lock.artifacts().entrySet()) {
                out.printf("  %-28s %10s  %s%n", e.getKey(), KitProgress.size(e.getValue().size()),
                        e.getValue().sha256().substring(0, 16));
            }
            List<Kit> others = cache.kits().stream().filter(o -> !o.dir().equals(k.dir())).toList();
            if (!others.isEmpty()) {
                out.println("other kits in the cache:");
                others.forEach(o -> out.println("  " + o.dir().getFileName()));
            }
            out.flush();
            return problems.isEmpty() ? FreezeframeCommand.EXIT_OK : FreezeframeCommand.EXIT_FAILURE;
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true,
            description = "Print the path of the current kit, or of one of its files.")
    static final class PathCommand implements Callable<Integer> {
        @ParentCommand
        KitCommand kit;

        @Spec
        CommandSpec spec;

        @Option(names = "--file", paramLabel = "WHAT",
                description = "One of: dir, bzImage, vmlinux, config, initramfs, lock (default: dir).")
        String file = "dir";

        @Override
        public Integer call() {
            Kit k = kit.cache().current().orElseThrow(() -> new VmmException("No kit has been built yet; run"
                    + " `freezeframe kit build`."));
            Path path = switch (file) {
                case "dir" -> k.dir();
                case "bzImage" -> k.bzImage();
                case "vmlinux" -> k.vmlinux();
                case "config" -> k.config().orElseThrow(() -> new VmmException("The current kit's kernel came without a"
                        + " config file."));
                case "initramfs" -> k.baseInitramfs();
                case "lock" -> k.lockFile();
                default -> throw new VmmException("Unknown kit file '" + file + "'; use dir, bzImage, vmlinux, config,"
                        + " initramfs or lock.");
            };
            spec.commandLine().getOut().println(path);
            spec.commandLine().getOut().flush();
            return FreezeframeCommand.EXIT_OK;
        }
    }

    @Command(name = "clean", mixinStandardHelpOptions = true,
            description = "Remove the built kits; downloaded packages are kept unless --all.")
    static final class Clean implements Callable<Integer> {
        @ParentCommand
        KitCommand kit;

        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "Also remove the downloaded Debian packages.")
        boolean all;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            KitCache cache = kit.cache();
            long freed = cache.clean(all, KitProgress.printingTo(out));
            out.println("Removed " + KitProgress.size(freed) + " from " + cache.root()
                    + (all ? "." : " (downloads kept; --all removes them too)."));
            out.flush();
            return FreezeframeCommand.EXIT_OK;
        }
    }
}
