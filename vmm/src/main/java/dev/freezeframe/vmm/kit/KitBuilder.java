package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the guest kit from Debian packages: resolve the newest cloud kernel with sched_ext, download it with the
 * matching linux-source and a BPF compiler the verifier accepts, extract bzImage/config/vmlinux, build the schedulers
 * and the agent, assemble the base initramfs and write the lock file. Every step checks what is already in the cache,
 * so a complete kit costs only a hash check and a damaged one is repaired with the versions its lock file pins.
 */
public final class KitBuilder {
    /** Version of this recipe. Bump it when the kit's content changes for the same packages; old kits are rebuilt. */
    public static final int KIT_VERSION = 2;
    public static final List<String> SCHEDULERS = List.of("scx_simple", "scx_qmap", "scx_central");
    /**
     * The BPF compiler: scx_qmap keeps its queues in a BPF arena and only clang ≥ 22 emits the address-space casts the
     * verifier needs (bookworm's clang-19 builds it, but the kernel refuses to load it). trixie's clang-22 needs a newer
     * glibc, z3 and zstd than bookworm, so those come along and the compiler runs through trixie's own loader.
     */
    static final String TOOLCHAIN_SUITE = "trixie";
    static final List<String> TOOLCHAIN_PACKAGES = List.of("clang-22", "libclang-cpp22", "libllvm22",
            "libclang-common-22-dev", "libc6", "libstdc++6", "libgcc-s1", "libz3-4", "libzstd1", "libxml2", "libicu76",
            "liblzma5", "libffi8", "libedit2", "libbsd0", "libmd0", "libtinfo6", "zlib1g");
    /** Source subtrees enough for tools/sched_ext (176 MB instead of 1.8 GB); scripts/ has bpf_doc.py for libbpf. */
    static final List<String> SOURCE_SUBTREES = List.of("tools", "include", "kernel/bpf", "scripts", "arch/x86/include",
            "Makefile");
    /** Tried newest first; a run of kernels without sched_ext this long means the suites have none. */
    private static final int MAX_KERNEL_CANDIDATES = 6;
    private static final Pattern BINARY_UNSIGNED = Pattern.compile("^linux-binary-unsigned-(.+-cloud-amd64)$");
    private static final Pattern IMAGE_UNSIGNED = Pattern.compile("^linux-image-(.+-cloud-amd64)-unsigned$");
    private static final Logger LOG = LoggerFactory.getLogger(KitBuilder.class);

    private final KitCache cache;
    private final KitProgress progress;

    public KitBuilder(KitCache cache, KitProgress progress) {
        this.cache = cache;
        this.progress = progress;
    }

    /** A Debian package the kit downloads. */
    record Pkg(String name, String version, String role) {
    }

    /** Which Debian packages make a kit. {@code newLayout}: linux-binary-unsigned + linux-base (7.x packaging). */
    record Plan(String kernelVersion, boolean newLayout, List<Pkg> packages) {
        Pkg role(String role) {
            return packages.stream().filter(p -> p.role().equals(role)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("plan without " + role));
        }

        List<Pkg> roles(String role) {
            return packages.stream().filter(p -> p.role().equals(role)).toList();
        }

        static Plan fromLock(KitLock lock) {
            List<Pkg> pkgs = lock.packages().stream().map(p -> new Pkg(p.name(), p.version(), p.role())).toList();
            boolean newLayout = pkgs.stream().anyMatch(p -> p.name().startsWith("linux-binary-unsigned-"));
            return new Plan(lock.kernelVersion(), newLayout, pkgs);
        }
    }

    /**
     * Makes sure the kit asked for is complete and returns it; {@code current} then points at it.
     */
    public Kit build(KitOptions options) {
        KitCache.BuildLock lock = cache.lockForBuild(progress);
        try {
            Kit base = ensureDebianKit(options.refresh());
            Kit kit = options.hasOverrides() ? ensureVariant(base, options) : base;
            cache.setCurrent(kit.dir());
            return kit;
        } catch (IOException e) {
            throw new VmmException("Cannot write to the kit cache " + cache.root() + "; check free space and"
                    + " permissions.", e);
        } finally {
            lock.close();
        }
    }

    /**
     * True if the kit is of this recipe and agent and every artifact matches the lock. Files unchanged since their last
     * full verification (same inode, size and ctime) are not hashed again, so this takes milliseconds on a warm cache.
     */
    public static boolean isComplete(Kit kit) {
        return problems(kit, true).isEmpty();
    }

    /** What is wrong with a kit (empty if nothing), hashing every file. */
    public static List<String> problems(Kit kit) {
        return problems(kit, false);
    }

    private static List<String> problems(Kit kit, boolean trustStamps) {
        if (trustStamps) {
            Optional<Stamps.Summary> summary = Stamps.unchanged(kit.dir());
            if (summary.isPresent() && summary.get().kitVersion() == KIT_VERSION
                    && summary.get().agentSha256().equals(agentSourceSha256())) {
                return List.of();
            }
        }
        KitLock lock = kit.lock();
        List<String> problems = new ArrayList<>();
        if (lock.kitVersion() != KIT_VERSION) {
            problems.add("built by kit recipe " + lock.kitVersion() + ", this is " + KIT_VERSION);
        }
        if (!agentSourceSha256().equals(lock.agentSourceSha256())) {
            problems.add("the guest agent changed");
        }
        List<String> bad = lock.verify(kit.dir());
        for (String b : bad) {
            problems.add(b + " is missing or does not match its sha256");
        }
        if (bad.isEmpty()) {
            recordStamps(kit.dir(), lock);
        }
        return problems;
    }

    private static void recordStamps(Path dir, KitLock lock) {
        List<String> files = new ArrayList<>(lock.artifacts().keySet());
        files.add(Kit.LOCK_FILE);
        Stamps.record(dir, new Stamps.Summary(lock.kitVersion(), lock.agentSourceSha256(), lock.kernelVersion(),
                lock.kernelOrigin()), files);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The Debian kit

    private Kit ensureDebianKit(boolean refresh) throws IOException {
        if (!refresh) {
            // the warm path: a verified current Debian kit whose files are untouched; no JSON parsing, no hashing
            Optional<Path> current = cache.currentDir();
            Optional<Stamps.Summary> summary = current.flatMap(Stamps::unchanged);
            if (summary.isPresent() && summary.get().origin().equals("debian")
                    && summary.get().kitVersion() == KIT_VERSION
                    && summary.get().agentSha256().equals(agentSourceSha256())) {
                progress.note("kit " + summary.get().kernelVersion() + " is complete (unchanged since verified)");
                return Kit.lazy(current.get(), summary.get().kernelVersion());
            }
        }
        Optional<Kit> existing = newestDebianKit();
        if (existing.isPresent() && !refresh) {
            Kit kit = existing.get();
            List<String> problems = problems(kit);
            if (problems.isEmpty()) {
                progress.note("kit " + kit.kernelVersion() + " is complete (" + kit.lock().artifacts().size()
                        + " files verified, " + KitProgress.size(totalSize(kit.lock())) + ")");
                return kit;
            }
            progress.note("kit " + kit.kernelVersion() + " needs rebuilding: " + String.join("; ", problems));
            return buildDebianKit(Plan.fromLock(kit.lock()), kit.dir());
        }
        Plan plan = resolve();
        Path dir = cache.kitDir(plan.kernelVersion());
        if (Files.isRegularFile(dir.resolve(Kit.LOCK_FILE))) {
            Kit kit = Kit.load(dir);
            if (isComplete(kit) && Plan.fromLock(kit.lock()).packages().equals(plan.packages())) {
                progress.note("kit " + kit.kernelVersion() + " is already the newest and complete");
                return kit;
            }
        }
        return buildDebianKit(plan, dir);
    }

    private Optional<Kit> newestDebianKit() {
        Optional<Kit> current = cache.current();
        if (current.isPresent() && "debian".equals(current.get().lock().kernelOrigin())) {
            return current;
        }
        return cache.kits().stream().filter(k -> "debian".equals(k.lock().kernelOrigin()))
                .max(Comparator.comparing(Kit::kernelVersion, DebianVersion.ORDER));
    }

    private static long totalSize(KitLock lock) {
        return lock.artifacts().values().stream().mapToLong(KitLock.LockedArtifact::size).sum();
    }

    /** Resolves the newest cloud kernel with sched_ext, its source and the toolchain, from the private apt lists. */
    private Plan resolve() throws IOException {
        Path resolveDir = cache.root().resolve("resolve");
        Files.createDirectories(resolveDir);
        Tools tools = new Tools(resolveDir.resolve("resolve.log"));
        HostPackages.ensure(tools, progress);
        PrivateApt apt = new PrivateApt(cache.aptDir(), tools);
        progress.step("apt update", "private lists for " + String.join(", ", PrivateApt.SUITES));
        apt.update();

        record Candidate(String kernelVersion, String image, String config, boolean newLayout) {
        }
        Map<String, Candidate> byVersion = new TreeMap<>(DebianVersion.ORDER.reversed());
        for (String name : apt.packageNames("linux-binary-unsigned-")) {
            Matcher m = BINARY_UNSIGNED.matcher(name);
            if (m.matches()) {
                byVersion.put(m.group(1), new Candidate(m.group(1), name, "linux-base-" + m.group(1), true));
            }
        }
        for (String name : apt.packageNames("linux-image-")) {
            Matcher m = IMAGE_UNSIGNED.matcher(name);
            if (m.matches()) {
                byVersion.putIfAbsent(m.group(1), new Candidate(m.group(1), name, name, false));
            }
        }
        if (byVersion.isEmpty()) {
            throw new VmmException("Debian's " + String.join(", ", PrivateApt.SUITES) + " list no cloud-amd64 kernel"
                    + " packages; the archive layout may have changed — pass your own kernel with --kernel.");
        }
        progress.step("resolve kernel", byVersion.size() + " cloud-amd64 kernels listed; newest: "
                + byVersion.keySet().iterator().next());
        Downloader downloader = new Downloader(progress);
        List<Candidate> newest = byVersion.values().stream().limit(MAX_KERNEL_CANDIDATES).toList();
        Map<String, List<PrivateApt.Available>> imageVersions = apt.versions(newest.stream().map(Candidate::image).toList());
        for (Candidate c : newest) {
            Optional<PrivateApt.Available> image = imageVersions.getOrDefault(c.image(), List.of()).stream().findFirst();
            if (image.isEmpty()) {
                continue;
            }
            String version = image.get().version();
            PrivateApt.Uri uri = apt.printUri(c.config(), "=" + version);
            Path deb = cache.downloads().resolve(uri.file());
            Files.createDirectories(cache.downloads());
            downloader.fetch(uri, deb, c.config());
            String config = readFromDeb(tools, deb, resolveDir, configPaths(c.kernelVersion()));
            if (!BzImage.configHasSchedExt(config)) {
                progress.note("kernel " + c.kernelVersion() + " (" + image.get().suite() + ") has no sched_ext;"
                        + " trying the next");
                continue;
            }
            String source = "linux-source-" + majorMinor(c.kernelVersion());
            if (apt.versions(source).stream().noneMatch(a -> a.version().equals(version))) {
                throw new VmmException("Debian has the kernel " + c.kernelVersion() + " but not its source "
                        + source + " " + version + ", which the schedulers are built from; try again later.");
            }
            List<Pkg> pkgs = new ArrayList<>();
            pkgs.add(new Pkg(c.image(), version, "kernel-image"));
            if (c.newLayout()) {
                pkgs.add(new Pkg(c.config(), version, "kernel-config"));
            }
            pkgs.add(new Pkg(source, version, "kernel-source"));
            Map<String, List<PrivateApt.Available>> toolchain = apt.versions(TOOLCHAIN_PACKAGES);
            for (String name : TOOLCHAIN_PACKAGES) {
                String v = toolchain.getOrDefault(name, List.of()).stream()
                        .filter(a -> a.suite().equals(TOOLCHAIN_SUITE)).findFirst()
                        .map(PrivateApt.Available::version)
                        .orElseThrow(() -> new VmmException("The BPF toolchain package " + name + " is gone from Debian "
                                + TOOLCHAIN_SUITE + "; the kit recipe needs updating."));
                pkgs.add(new Pkg(name, v, "toolchain"));
            }
            progress.done("resolve kernel", c.kernelVersion() + " " + version + " from " + image.get().suite()
                    + " (CONFIG_SCHED_CLASS_EXT=y)");
            KitCache.deleteTree(resolveDir.resolve("deb"));
            return new Plan(c.kernelVersion(), c.newLayout(), pkgs);
        }
        throw new VmmException("None of the newest Debian cloud-amd64 kernels in " + String.join(", ", PrivateApt.SUITES)
                + " has sched_ext (CONFIG_SCHED_CLASS_EXT=y); pass a kernel with sched_ext with --kernel.");
    }

    private static List<String> configPaths(String kernelVersion) {
        return List.of("usr/lib/modules/" + kernelVersion + "/config", "boot/config-" + kernelVersion);
    }

    private static List<String> bzImagePaths(String kernelVersion) {
        return List.of("usr/lib/modules/" + kernelVersion + "/vmlinuz.unsigned",
                "usr/lib/modules/" + kernelVersion + "/vmlinuz", "boot/vmlinuz-" + kernelVersion);
    }

    static String majorMinor(String kernelVersion) {
        Matcher m = Pattern.compile("^(\\d+\\.\\d+)").matcher(kernelVersion);
        if (!m.find()) {
            throw new VmmException("Cannot tell the kernel series of " + kernelVersion + ".");
        }
        return m.group(1);
    }

    /** Unpacks a .deb and returns the text of the first of {@code paths} it contains. */
    private static String readFromDeb(Tools tools, Path deb, Path work, List<String> paths) throws IOException {
        Path dir = work.resolve("deb");
        KitCache.deleteTree(dir);
        tools.run("Cannot unpack " + deb.getFileName(), null, "dpkg-deb", "-x", deb.toString(), dir.toString());
        for (String p : paths) {
            if (Files.isRegularFile(dir.resolve(p))) {
                return Files.readString(dir.resolve(p), StandardCharsets.ISO_8859_1);
            }
        }
        throw new VmmException(deb.getFileName() + " does not contain " + paths.getFirst()
                + "; Debian's kernel packaging may have changed.");
    }

    private Kit buildDebianKit(Plan plan, Path dir) throws IOException {
        Files.createDirectories(dir);
        Tools tools = new Tools(dir.resolve("build.log"));
        tools.note("=== kit build " + plan.kernelVersion() + " (recipe " + KIT_VERSION + ")");
        progress.note("building kit " + plan.kernelVersion() + " in " + dir + " (log: " + tools.log() + ")");
        Map<String, String> hostVersions = HostPackages.ensure(tools, progress);
        KitLock old = Files.isRegularFile(dir.resolve(Kit.LOCK_FILE)) ? KitLock.read(dir.resolve(Kit.LOCK_FILE)) : null;
        List<String> bad = old == null ? null : old.verify(dir);
        boolean oldRecipe = old == null || old.kitVersion() != KIT_VERSION;
        Path work = dir.resolve("work");
        Files.createDirectories(work); // dpkg-deb -x creates only the last directory of its target

        List<KitLock.LockedPackage> locked = fetchPackages(plan, old, tools);
        Map<String, Path> debs = new LinkedHashMap<>();
        for (KitLock.LockedPackage p : locked) {
            debs.put(p.name(), cache.downloads().resolve(p.file()));
        }

        // kernel: bzImage, config, vmlinux with .BTF
        if (oldRecipe || bad.contains(Kit.BZIMAGE) || bad.contains(Kit.VMLINUX) || bad.contains(Kit.CONFIG)) {
            extractKernel(plan, debs, dir, work, tools);
        }

        // schedulers
        boolean schedulersBad = oldRecipe || SCHEDULERS.stream().anyMatch(s -> bad.contains("sbin/" + s));
        if (schedulersBad) {
            Path clang = ensureToolchain(plan, debs, tools);
            buildSchedulers(plan, debs.get(plan.role("kernel-source").name()), dir, work, clang, tools);
        }

        // agent
        String agentSha = agentSourceSha256();
        if (oldRecipe || bad.contains(Kit.AGENT) || !agentSha.equals(old.agentSourceSha256())) {
            buildAgent(dir.resolve(Kit.AGENT), work, tools);
        }

        Map<String, String> guestSchedulers = new TreeMap<>();
        Map<String, Path> guestFiles = new TreeMap<>();
        for (String s : SCHEDULERS) {
            guestSchedulers.put(s, "/usr/bin/" + s);
            guestFiles.put("usr/bin/" + s, dir.resolve("sbin").resolve(s));
        }
        Map<String, Path> dataFiles = Map.of("boot/config-" + plan.kernelVersion(), dir.resolve(Kit.CONFIG));
        hostVersions.putAll(writeBaseInitramfs(dir, dir.resolve(Kit.AGENT), guestFiles, dataFiles, tools));

        List<String> artifacts = new ArrayList<>(List.of(Kit.BZIMAGE, Kit.VMLINUX, Kit.CONFIG, Kit.BASE_INITRAMFS,
                Kit.AGENT));
        SCHEDULERS.forEach(s -> artifacts.add("sbin/" + s));
        KitLock lock = writeLock(dir, plan.kernelVersion(), "debian", locked, hostVersions, artifacts, guestSchedulers,
                agentSha);
        cache.discard(work);
        progress.done("kit " + plan.kernelVersion(), KitProgress.size(totalSize(lock)) + " in " + dir);
        return Kit.load(dir);
    }

    /** Downloads what is missing, verifying each .deb; works offline when every .deb is already in the cache. */
    private List<KitLock.LockedPackage> fetchPackages(Plan plan, KitLock old, Tools tools) throws IOException {
        Files.createDirectories(cache.downloads());
        Map<String, KitLock.LockedPackage> known = new TreeMap<>();
        if (old != null) {
            old.packages().forEach(p -> known.put(p.name() + "=" + p.version(), p));
        }
        PrivateApt apt = new PrivateApt(cache.aptDir(), tools);
        Downloader downloader = new Downloader(progress);
        List<KitLock.LockedPackage> locked = new ArrayList<>();
        long fetched = 0;
        progress.step("download", plan.packages().size() + " packages into " + cache.downloads());
        List<Pkg> missing = new ArrayList<>();
        Map<Pkg, KitLock.LockedPackage> cached = new LinkedHashMap<>();
        for (Pkg pkg : plan.packages()) {
            KitLock.LockedPackage prior = known.get(pkg.name() + "=" + pkg.version());
            Path deb = prior == null ? null : cache.downloads().resolve(prior.file());
            if (deb != null && Files.isRegularFile(deb) && Files.size(deb) == prior.size()
                    && Hashing.sha256(deb).equals(prior.sha256())) {
                cached.put(pkg, prior);
            } else {
                missing.add(pkg);
            }
        }
        Map<String, PrivateApt.Uri> uris = Map.of();
        Map<String, List<PrivateApt.Available>> suites = Map.of();
        if (!missing.isEmpty()) {
            if (!apt.hasLists()) {
                progress.step("apt update", "private lists for " + String.join(", ", PrivateApt.SUITES));
                apt.update();
            }
            Map<String, String> selectors = new LinkedHashMap<>();
            missing.forEach(p -> selectors.put(p.name(), "=" + p.version()));
            uris = apt.printUris(selectors);
            suites = apt.versions(selectors.keySet());
        }
        for (Pkg pkg : plan.packages()) {
            if (cached.containsKey(pkg)) {
                locked.add(cached.get(pkg));
                continue;
            }
            PrivateApt.Uri uri = uris.get(pkg.name());
            Path deb = cache.downloads().resolve(uri.file());
            if (downloader.fetch(uri, deb, pkg.name())) {
                fetched += uri.size();
            }
            String suite = suites.getOrDefault(pkg.name(), List.of()).stream()
                    .filter(a -> a.version().equals(pkg.version()))
                    .map(PrivateApt.Available::suite).findFirst().orElse("");
            locked.add(new KitLock.LockedPackage(pkg.name(), pkg.version(), suite, uri.file(), uri.size(), uri.sha256(),
                    pkg.role()));
        }
        progress.done("download", KitProgress.size(fetched) + " fetched, "
                + KitProgress.size(locked.stream().mapToLong(KitLock.LockedPackage::size).sum()) + " in cache");
        return locked;
    }

    private void extractKernel(Plan plan, Map<String, Path> debs, Path dir, Path work, Tools tools) throws IOException {
        String kver = plan.kernelVersion();
        progress.step("kernel", "extract bzImage, config and vmlinux of " + kver);
        Path image = work.resolve("kernel-image");
        KitCache.deleteTree(image);
        tools.run("Cannot unpack the kernel package", null, "dpkg-deb", "-x",
                debs.get(plan.role("kernel-image").name()).toString(), image.toString());
        if (plan.newLayout()) {
            tools.run("Cannot unpack the kernel's base package", null, "dpkg-deb", "-x",
                    debs.get(plan.role("kernel-config").name()).toString(), image.toString());
        }
        Path bzImage = firstExisting(image, bzImagePaths(kver), "the kernel image");
        Path config = firstExisting(image, configPaths(kver), "the kernel config");
        if (!BzImage.configHasSchedExt(Files.readString(config, StandardCharsets.ISO_8859_1))) {
            throw new VmmException("The kernel " + kver + " was built without sched_ext (CONFIG_SCHED_CLASS_EXT is not"
                    + " y); run `freezeframe kit build --refresh` or pass a kernel with --kernel.");
        }
        Files.copy(bzImage, dir.resolve(Kit.BZIMAGE), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(config, dir.resolve(Kit.CONFIG), StandardCopyOption.REPLACE_EXISTING);
        BzImage header = BzImage.read(dir.resolve(Kit.BZIMAGE));
        if (!header.version().equals(kver)) {
            LOG.warn("bzImage reports version {}, package says {}", header.version(), kver);
        }
        Path vmlinux = dir.resolve(Kit.VMLINUX);
        header.extractVmlinux(vmlinux, work, tools);
        ElfInfo elf = ElfInfo.read(vmlinux);
        if (!elf.sections().containsKey(".BTF")) {
            throw new VmmException("The vmlinux of " + kver + " has no .BTF section; this Debian kernel cannot be used"
                    + " for introspection — pass a kernel with --kernel.");
        }
        KitCache.deleteTree(image);
        progress.done("kernel", "bzImage " + KitProgress.size(Files.size(dir.resolve(Kit.BZIMAGE))) + ", vmlinux "
                + KitProgress.size(Files.size(vmlinux)) + " (.BTF " + KitProgress.size(elf.sections().get(".BTF").size())
                + "), config " + KitProgress.size(Files.size(dir.resolve(Kit.CONFIG))));
    }

    private static Path firstExisting(Path root, List<String> paths, String what) {
        for (String p : paths) {
            if (Files.isRegularFile(root.resolve(p))) {
                return root.resolve(p);
            }
        }
        throw new VmmException("The Debian package does not contain " + what + " at " + paths.getFirst()
                + "; Debian's kernel packaging may have changed.");
    }

    /**
     * Unpacks trixie's clang-22 and the libraries it needs into the cache (shared by kits) and returns a wrapper that
     * runs it through trixie's own loader. {@code -resource-dir} is needed because clang derives its headers' location
     * from the path of the executable the kernel started, which here is ld.so.
     */
    private Path ensureToolchain(Plan plan, Map<String, Path> debs, Tools tools) throws IOException {
        List<Pkg> pkgs = plan.roles("toolchain");
        String clangVersion = pkgs.stream().filter(p -> p.name().equals("clang-22")).findFirst().orElseThrow().version();
        StringBuilder identity = new StringBuilder();
        pkgs.forEach(p -> identity.append(p.name()).append('=').append(p.version()).append('\n'));
        Path dir = cache.toolchains().resolve("clang-22_" + clangVersion.replace(':', '_') + "-"
                + Hashing.sha256(identity.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 8));
        Path wrapper = dir.resolve("bin/clang-22");
        Path marker = dir.resolve(".complete");
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(identity.toString())
                && Files.isExecutable(wrapper)) {
            progress.note("BPF compiler clang-22 " + clangVersion + " already unpacked");
            return wrapper;
        }
        progress.step("toolchain", "unpack clang-22 " + clangVersion + " from " + TOOLCHAIN_SUITE + " ("
                + pkgs.size() + " packages)");
        KitCache.deleteTree(dir);
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        for (Pkg p : pkgs) {
            tools.run("Cannot unpack " + p.name(), null, "dpkg-deb", "-x", debs.get(p.name()).toString(), root.toString());
        }
        Path lib = root.resolve("usr/lib/x86_64-linux-gnu");
        Path llvm = root.resolve("usr/lib/llvm-22");
        Path resourceDir;
        try (var versions = Files.list(llvm.resolve("lib/clang"))) {
            resourceDir = versions.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new VmmException("clang-22's resource directory is missing from the unpacked"
                            + " toolchain in " + dir + "."));
        }
        Files.createDirectories(wrapper.getParent());
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "# clang-22 from Debian " + TOOLCHAIN_SUITE + ", run with its own glibc and libraries (none are"
                + " installed system-wide)\n"
                + "exec " + lib.resolve("ld-linux-x86-64.so.2") + " --library-path " + lib + ":" + llvm.resolve("lib")
                + " " + llvm.resolve("bin/clang-22") + " -resource-dir " + resourceDir + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        String defines = tools.capture("The unpacked clang-22 does not run", dir,
                List.of(wrapper.toString(), "-target", "bpf", "-dM", "-E", "-x", "c", "/dev/null"));
        if (!defines.contains("__BPF_FEATURE_ADDR_SPACE_CAST")) {
            throw new VmmException("The unpacked clang-22 lacks BPF arena support (__BPF_FEATURE_ADDR_SPACE_CAST), which"
                    + " scx_qmap needs; the kit recipe needs a newer compiler.");
        }
        Files.writeString(marker, identity.toString());
        progress.done("toolchain", "clang-22 " + clangVersion + " in " + dir);
        return wrapper;
    }

    private void buildSchedulers(Plan plan, Path sourceDeb, Path dir, Path work, Path clang, Tools tools)
            throws IOException {
        String series = majorMinor(plan.kernelVersion());
        String top = "linux-source-" + series;
        progress.step("source", "unpack " + String.join(", ", SOURCE_SUBTREES) + " of " + top + " "
                + plan.role("kernel-source").version());
        Path debDir = work.resolve("source-deb");
        Path src = work.resolve("src");
        KitCache.deleteTree(debDir);
        cache.discard(src);
        Files.createDirectories(src);
        tools.run("Cannot unpack " + sourceDeb.getFileName(), null, "dpkg-deb", "-x", sourceDeb.toString(),
                debDir.toString());
        Path tarball = debDir.resolve("usr/src/" + top + ".tar.xz");
        if (!Files.isRegularFile(tarball)) {
            throw new VmmException(sourceDeb.getFileName() + " does not contain usr/src/" + top + ".tar.xz; Debian's"
                    + " source packaging may have changed.");
        }
        List<String> tar = new ArrayList<>(List.of("tar", "-C", src.toString(), "-xJf", tarball.toString()));
        SOURCE_SUBTREES.forEach(s -> tar.add(top + "/" + s));
        tools.run("Cannot unpack the kernel source", null, tar.toArray(String[]::new));
        KitCache.deleteTree(debDir);
        Path ksrc = src.resolve(top);
        progress.done("source", top);

        progress.step("schedulers", "make " + String.join(" ", SCHEDULERS) + " (host C: clang-19, BPF: clang-22)");
        Path out = work.resolve("build");
        Files.createDirectories(out); // tools/ Makefiles refuse an O= directory that does not exist
        List<String> make = new ArrayList<>(List.of("make", "-C", ksrc.resolve("tools/sched_ext").toString(), "-j2",
                "LLVM=-19", "CLANG=" + clang, "VMLINUX_BTF=" + dir.resolve(Kit.VMLINUX), "O=" + out));
        make.addAll(SCHEDULERS);
        tools.run("Building the sched_ext schedulers failed", null, Map.of(), make);

        // The Makefile links dynamically; relink statically so the guest needs no libelf/libz/libzstd.
        Path obj = out.resolve("build/obj");
        Path sbin = dir.resolve("sbin");
        Files.createDirectories(sbin);
        List<String> sizes = new ArrayList<>();
        for (String s : SCHEDULERS) {
            Path binary = sbin.resolve(s);
            tools.run("Linking " + s + " statically failed", null, "clang-19", "-static", "-o", binary.toString(),
                    obj.resolve("sched_ext/" + s + ".o").toString(), obj.resolve("libbpf/libbpf.a").toString(),
                    "-lelf", "-lz", "-lzstd", "-lpthread");
            tools.run("Stripping " + s + " failed", null, "strip", binary.toString());
            if (!ElfInfo.read(binary).isStatic()) {
                throw new VmmException(s + " came out dynamically linked; check " + tools.log() + ".");
            }
            sizes.add(s + " " + KitProgress.size(Files.size(binary)));
        }
        progress.done("schedulers", String.join(", ", sizes) + " (static)");
    }

    /** Where the guest agent's C sources are shipped (from {@code vmm/src/main/c/agent}). */
    static final String AGENT_RESOURCES = "agent";
    private static volatile List<String> agentSources;

    /**
     * The file names of the guest agent's sources, read from the class path (a directory in development, the jar
     * otherwise), so a new source file needs no list to be kept in step. Every {@code .c} file is compiled.
     */
    static List<String> agentSources() {
        List<String> cached = agentSources;
        if (cached != null) {
            return cached;
        }
        try {
            java.net.URL marker = KitBuilder.class.getResource(AGENT_RESOURCES + "/ffa.h");
            if (marker == null) {
                throw new IllegalStateException("the guest agent sources are missing from the vmm jar");
            }
            java.net.URI uri = marker.toURI();
            List<String> names;
            if (uri.getScheme().equals("jar")) {
                java.nio.file.FileSystem jar;
                try {
                    jar = java.nio.file.FileSystems.getFileSystem(uri);
                } catch (java.nio.file.FileSystemNotFoundException e) {
                    jar = java.nio.file.FileSystems.newFileSystem(uri, Map.of());
                }
                names = listNames(jar.provider().getPath(uri).getParent());
            } else {
                names = listNames(Path.of(uri).getParent());
            }
            agentSources = names;
            return names;
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the guest agent sources", e);
        }
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c") || n.endsWith(".h"))
                    .sorted().toList();
        }
    }

    /** sha256 over the agent's sources as shipped; when it changes, kits rebuild their agent. */
    public static String agentSourceSha256() {
        MessageDigest digest = Hashing.sha256();
        for (String name : agentSources()) {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(agentSource(name));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static byte[] agentSource(String name) {
        try (InputStream in = KitBuilder.class.getResourceAsStream(AGENT_RESOURCES + "/" + name)) {
            if (in == null) {
                throw new IllegalStateException("agent source " + name + " is missing from the vmm jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read agent source " + name, e);
        }
    }

    /** Libraries the agent links statically: zlib for KERNEL_BTF (zlib1g-dev is one of the host packages). */
    public static final List<String> AGENT_LIBRARIES = List.of("-lz");

    private void buildAgent(Path target, Path work, Tools tools) throws IOException {
        progress.step("agent", "gcc -static " + String.join(" ", agentSources().stream().filter(s -> s.endsWith(".c"))
                .toList()));
        Path src = work.resolve("agent-src");
        KitCache.deleteTree(src);
        Files.createDirectories(src);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-static", "-O2", "-Wall", "-Wextra",
                "-DFFA_VERSION=\"" + KIT_VERSION + "-" + agentSourceSha256().substring(0, 12) + "\"", "-o",
                target.toString()));
        for (String name : agentSources()) {
            Files.write(src.resolve(name), agentSource(name));
            if (name.endsWith(".c")) {
                cmd.add(src.resolve(name).toString());
            }
        }
        cmd.addAll(AGENT_LIBRARIES);
        Files.createDirectories(target.getParent());
        tools.run("Building the guest agent failed", src, Map.of(), cmd);
        progress.done("agent", "/init " + KitProgress.size(Files.size(target)) + " (static)");
    }

    /**
     * Writes the base initramfs from the host's busybox-static, the agent and {@code guestFiles}.
     *
     * @return the busybox-static version used, for the lock file
     */
    private Map<String, String> writeBaseInitramfs(Path dir, Path agent, Map<String, Path> guestFiles,
                                                   Map<String, Path> dataFiles, Tools tools) throws IOException {
        progress.step("initramfs", "busybox-static, /dev/console, agent, " + guestFiles.size() + " programs");
        Path busybox = Path.of("/bin/busybox");
        ElfInfo busyboxElf = ElfInfo.read(busybox);
        if (!busyboxElf.isStatic()) {
            throw new VmmException("/bin/busybox is not statically linked; install busybox-static (it replaces the"
                    + " busybox package).");
        }
        List<String> applets = tools.capture("Cannot list busybox applets", null,
                List.of(busybox.toString(), "--list-full")).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        Initramfs.writeBase(new Initramfs.BaseContent(busybox, applets, agent, guestFiles, dataFiles),
                dir.resolve(Kit.BASE_INITRAMFS));
        progress.done("initramfs", Kit.BASE_INITRAMFS + " " + KitProgress.size(Files.size(dir.resolve(Kit.BASE_INITRAMFS)))
                + " (" + applets.size() + " busybox applets)");
        return HostPackages.installed(tools, List.of("busybox-static"));
    }

    private KitLock writeLock(Path dir, String kernelVersion, String origin, List<KitLock.LockedPackage> packages,
                              Map<String, String> hostVersions, List<String> artifactPaths,
                              Map<String, String> schedulers, String agentSha) throws IOException {
        Map<String, KitLock.LockedArtifact> artifacts = new TreeMap<>();
        for (String path : artifactPaths) {
            artifacts.put(path, KitLock.LockedArtifact.of(dir.resolve(path)));
        }
        KitLock lock = new KitLock(KitLock.FORMAT_VERSION, KIT_VERSION, kernelVersion, origin, Instant.now().toString(),
                packages, hostVersions, artifacts, agentSha, schedulers);
        lock.write(dir.resolve(Kit.LOCK_FILE));
        recordStamps(dir, lock); // just hashed
        return lock;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Kits with a user's kernel or schedulers

    private Kit ensureVariant(Kit base, KitOptions options) throws IOException {
        StringBuilder identity = new StringBuilder("base=" + base.kernelVersion() + "/" + base.lock().artifacts()
                .get(Kit.BASE_INITRAMFS).sha256() + "\n");
        BzImage userKernel = null;
        if (options.kernel().isPresent()) {
            userKernel = BzImage.read(options.kernel().get());
            identity.append("kernel=").append(Hashing.sha256(options.kernel().get())).append('\n');
        }
        if (options.vmlinux().isPresent()) {
            identity.append("vmlinux=").append(Hashing.sha256(options.vmlinux().get())).append('\n');
        }
        List<ElfInfo> schedulers = new ArrayList<>();
        for (Path s : options.schedulers()) {
            schedulers.add(checkScheduler(s));
            identity.append("scheduler=").append(s.getFileName()).append('/').append(Hashing.sha256(s)).append('\n');
        }
        String kernelVersion = userKernel != null ? userKernel.version() : base.kernelVersion();
        String key = kernelVersion + "-custom-" + Hashing.sha256(identity.toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 12);
        Path dir = cache.kitDir(key);
        if (Files.isRegularFile(dir.resolve(Kit.LOCK_FILE))) {
            Kit kit = Kit.load(dir);
            if (isComplete(kit)) {
                progress.note("kit " + key + " is complete");
                return kit;
            }
        }
        KitCache.deleteTree(dir);
        Files.createDirectories(dir);
        try {
            return buildVariant(base, options, userKernel, schedulers, kernelVersion, key, dir);
        } catch (VmmException | IOException e) {
            // a half-built variant is useless (the user's files stay where they are); keep only its log
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals("build.log")) {
                        KitCache.deleteTree(f);
                    }
                }
            }
            throw e;
        }
    }

    private Kit buildVariant(Kit base, KitOptions options, BzImage userKernel, List<ElfInfo> schedulers,
                             String kernelVersion, String key, Path dir) throws IOException {
        Tools tools = new Tools(dir.resolve("build.log"));
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        List<String> artifacts = new ArrayList<>(List.of(Kit.BZIMAGE, Kit.VMLINUX, Kit.BASE_INITRAMFS, Kit.AGENT));

        if (userKernel != null) {
            progress.step("kernel", "user kernel " + kernelVersion + " from " + options.kernel().get());
            Files.copy(options.kernel().get(), dir.resolve(Kit.BZIMAGE));
            Path vmlinux = dir.resolve(Kit.VMLINUX);
            if (options.vmlinux().isPresent()) {
                Files.copy(options.vmlinux().get(), vmlinux);
            } else {
                userKernel.extractVmlinux(vmlinux, work, tools);
            }
            ElfInfo elf = ElfInfo.read(vmlinux);
            if (elf.elfClass() != ElfInfo.CLASS_64 || elf.machine() != ElfInfo.EM_X86_64) {
                throw new VmmException("The vmlinux " + vmlinux + " is not an x86-64 kernel.");
            }
            Optional<String> config = BzImage.embeddedConfig(vmlinux);
            boolean schedExt = config.map(BzImage::configHasSchedExt).orElseGet(() -> BzImage.btfHasSchedExt(elf));
            if (!schedExt) {
                throw new VmmException("The kernel " + options.kernel().get() + " (" + kernelVersion + ") was built"
                        + " without sched_ext (CONFIG_SCHED_CLASS_EXT=y); the kit needs a kernel with it.");
            }
            if (!elf.sections().containsKey(".BTF")) {
                throw new VmmException("The kernel " + options.kernel().get() + " has no .BTF; sched_ext schedulers"
                        + " need CONFIG_DEBUG_INFO_BTF=y.");
            }
            if (config.isPresent()) {
                // libbpf resolves a scheduler's __kconfig externs from /boot/config-<release>
                Files.writeString(dir.resolve(Kit.CONFIG), config.get(), StandardCharsets.ISO_8859_1);
                artifacts.add(Kit.CONFIG);
            }
            progress.done("kernel", kernelVersion + ", vmlinux " + KitProgress.size(Files.size(vmlinux))
                    + " with .BTF and sched_ext");
        } else {
            linkOrCopy(base.bzImage(), dir.resolve(Kit.BZIMAGE));
            linkOrCopy(base.vmlinux(), dir.resolve(Kit.VMLINUX));
            linkOrCopy(base.dir().resolve(Kit.CONFIG), dir.resolve(Kit.CONFIG));
            artifacts.add(Kit.CONFIG);
        }
        Files.createDirectories(dir.resolve(Kit.AGENT).getParent());
        linkOrCopy(base.dir().resolve(Kit.AGENT), dir.resolve(Kit.AGENT));

        Map<String, String> guestSchedulers = new TreeMap<>(base.schedulers());
        Map<String, Path> guestFiles = new TreeMap<>();
        Files.createDirectories(dir.resolve("sbin"));
        for (String s : SCHEDULERS) {
            linkOrCopy(base.dir().resolve("sbin/" + s), dir.resolve("sbin/" + s));
            guestFiles.put("usr/bin/" + s, dir.resolve("sbin/" + s));
            artifacts.add("sbin/" + s);
        }
        for (ElfInfo elf : schedulers) {
            String name = elf.path().getFileName().toString();
            progress.step("scheduler", name + (elf.isStatic() ? " (static)" : " (dynamic)"));
            Path copy = dir.resolve("sbin/" + name);
            Files.copy(elf.path(), copy, StandardCopyOption.REPLACE_EXISTING);
            artifacts.add("sbin/" + name);
            guestFiles.put("usr/bin/" + name, copy);
            guestSchedulers.put(name, "/usr/bin/" + name);
            if (!elf.isStatic()) {
                // glibc's loader searches /lib/x86_64-linux-gnu without an ld.so.cache, so the libraries go there.
                Map<String, Path> libs = elf.resolveLibraries(ElfInfo.LIBRARY_DIRS);
                Files.createDirectories(dir.resolve("lib"));
                for (Map.Entry<String, Path> lib : libs.entrySet()) {
                    String rel = "lib/" + lib.getKey();
                    Files.copy(lib.getValue().toRealPath(), dir.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                    guestFiles.put("lib/x86_64-linux-gnu/" + lib.getKey(), dir.resolve(rel));
                    artifacts.add(rel);
                }
                String interp = elf.interpreter().orElseThrow();
                String rel = "lib/" + Path.of(interp).getFileName();
                Files.copy(Path.of(interp).toRealPath(), dir.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                guestFiles.put(interp.substring(1), dir.resolve(rel));
                artifacts.add(rel);
                progress.done("scheduler", name + " with " + libs.keySet() + " and " + interp);
            } else {
                progress.done("scheduler", name + " " + KitProgress.size(Files.size(copy)));
            }
        }
        Map<String, String> hostVersions = new TreeMap<>(base.lock().hostPackages());
        // a user's kernel comes without a config; libbpf then falls back to /proc/config.gz if that kernel has it
        Map<String, Path> dataFiles = Files.isRegularFile(dir.resolve(Kit.CONFIG))
                ? Map.of("boot/config-" + kernelVersion, dir.resolve(Kit.CONFIG)) : Map.of();
        hostVersions.putAll(writeBaseInitramfs(dir, dir.resolve(Kit.AGENT), guestFiles, dataFiles, tools));
        writeLock(dir, kernelVersion, userKernel != null ? "user" : "debian-custom", base.lock().packages(),
                hostVersions, artifacts, guestSchedulers, base.lock().agentSourceSha256());
        cache.discard(work);
        progress.done("kit " + key, "in " + dir);
        return Kit.load(dir);
    }

    /** Refuses anything that is not an x86-64 ELF program, with a sentence the user can act on. */
    static ElfInfo checkScheduler(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new VmmException("The scheduler " + path + " does not exist.");
        }
        if (!ElfInfo.isElf(path)) {
            throw new VmmException("The scheduler " + path + " is not an ELF binary; --scheduler needs a compiled"
                    + " x86-64 Linux program such as scx_simple.");
        }
        ElfInfo elf = ElfInfo.read(path);
        if (!elf.isX86_64Program()) {
            throw new VmmException("The scheduler " + path + " is not an x86-64 Linux program (ELF class "
                    + elf.elfClass() + ", machine " + elf.machine() + ", type " + elf.type()
                    + "); build it for x86-64.");
        }
        return elf;
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        Files.deleteIfExists(to);
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to);
        }
    }
}
