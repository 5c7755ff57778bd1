package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An apt configuration of our own, kept in the kit cache: its own sources.list (sid, trixie-backports, trixie), lists
 * and cache. The system's apt sources are never read or changed; nothing is installed — packages are only resolved
 * and their .debs downloaded.
 */
final class PrivateApt {
    static final String MIRROR = "http://deb.debian.org/debian";
    /** Newest first: sched_ext kernels are in sid and trixie-backports; the BPF toolchain comes from trixie. */
    static final List<String> SUITES = List.of("sid", "trixie-backports", "trixie");
    static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
    private static final Pattern PRINT_URI = Pattern.compile("^'([^']+)' (\\S+) (\\d+) SHA256:([0-9a-f]{64})$");

    private final Path dir;
    private final Tools tools;

    PrivateApt(Path dir, Tools tools) {
        this.dir = dir;
        this.tools = tools;
    }

    Path configFile() {
        return dir.resolve("apt.conf");
    }

    static String sourcesList() {
        StringBuilder sb = new StringBuilder("# Freezeframe's private apt sources (the system's sources are not used)\n");
        for (String suite : SUITES) {
            sb.append("deb [signed-by=").append(KEYRING).append("] ").append(MIRROR).append(' ').append(suite)
                    .append(" main\n");
        }
        return sb.toString();
    }

    /** apt.conf that confines apt to {@code dir}: sources, lists, cache, no preferences, no translations. */
    static String aptConf(Path dir) {
        return String.join("\n",
                "// Freezeframe's private apt configuration: only this directory is read and written.",
                "Dir::Etc::sourcelist \"" + dir.resolve("sources.list") + "\";",
                "Dir::Etc::sourceparts \"/dev/null\";",
                "Dir::Etc::preferences \"/dev/null\";",
                "Dir::Etc::preferencesparts \"/dev/null\";",
                "Dir::State::Lists \"" + dir.resolve("lists") + "\";",
                "Dir::Cache \"" + dir.resolve("cache") + "\";",
                "Dir::Cache::pkgcache \"\";",
                "Dir::Cache::srcpkgcache \"\";",
                "APT::Architecture \"amd64\";",
                "APT::Architectures { \"amd64\"; };",
                "Acquire::Languages \"none\";",
                "Acquire::Retries \"2\";",
                // the cache lives in the user's home, which apt's unprivileged _apt user cannot write
                "APT::Sandbox::User \"root\";",
                "");
    }

    void writeConfig() {
        try {
            Files.createDirectories(dir.resolve("lists/partial"));
            Files.createDirectories(dir.resolve("cache/archives/partial"));
            Files.writeString(dir.resolve("sources.list"), sourcesList());
            Files.writeString(configFile(), aptConf(dir));
        } catch (IOException e) {
            throw new VmmException("Cannot write the kit's apt configuration in " + dir + ".", e);
        }
    }

    List<String> command(String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "-c", configFile().toString(), "-q"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    boolean hasLists() {
        try (var files = Files.list(dir.resolve("lists"))) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith("_Packages")
                    || f.getFileName().toString().contains("_Packages."));
        } catch (IOException e) {
            return false;
        }
    }

    void update() {
        writeConfig();
        String out = tools.captureOrNull(dir, command("apt-get", "update"));
        // apt-get update exits 0 even when some index could not be fetched; "W:"/"E:" lines on stderr say so.
        String logTail = tools.tail(15);
        if (out == null || logTail.contains("Could not resolve") || logTail.contains("Failed to fetch")
                || logTail.contains("Temporary failure resolving") || logTail.contains("Unable to connect")) {
            throw new VmmException("Cannot reach Debian's archive (" + MIRROR + ") to resolve the kit's packages;"
                    + " check the network connection and try again (details in " + tools.log() + ").",
                    new IOException(logTail));
        }
    }

    /** Package names starting with {@code prefix} in the private lists. */
    List<String> packageNames(String prefix) {
        String out = tools.capture("Cannot query the kit's package lists", dir, command("apt-cache", "pkgnames", prefix));
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
    }

    /** A package version available in the private lists and the suite it comes from. */
    record Available(String version, String suite) {
    }

    /** Every version of {@code pkg} in the private lists, newest first. */
    List<Available> versions(String pkg) {
        return versions(List.of(pkg)).getOrDefault(pkg, List.of());
    }

    /**
     * Every version of each package, newest first, from one {@code apt-cache madison} call (each apt call parses all
     * the lists, ~1–3 s, so calls are batched).
     */
    Map<String, List<Available>> versions(Collection<String> pkgs) {
        Map<String, List<Available>> result = new LinkedHashMap<>();
        if (pkgs.isEmpty()) {
            return result;
        }
        List<String> args = new ArrayList<>(List.of("madison"));
        args.addAll(pkgs);
        String out = tools.captureOrNull(dir, command("apt-cache", args.toArray(String[]::new)));
        if (out == null) {
            return result;
        }
        for (String line : out.lines().toList()) {
            String[] cols = line.split("\\|");
            if (cols.length >= 3 && pkgs.contains(cols[0].strip())) {
                String[] origin = cols[2].strip().split(" ");
                String suite = origin.length >= 2 ? origin[1].replaceAll("/.*", "") : "";
                result.computeIfAbsent(cols[0].strip(), k -> new ArrayList<>()).add(new Available(cols[1].strip(), suite));
            }
        }
        result.values().forEach(list -> list.sort((a, b) -> DebianVersion.compare(b.version(), a.version())));
        return result;
    }

    Optional<Available> newest(String pkg) {
        List<Available> all = versions(pkg);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    /** Where apt would download a package from, with its size and the sha256 from the signed index. */
    record Uri(String url, String file, long size, String sha256) {
    }

    /**
     * The download location of {@code pkg} at {@code version} ({@code =1.2-3}) or from {@code suite} ({@code /trixie}).
     * apt has checked the index's signature, so the sha256 is trusted.
     */
    Uri printUri(String pkg, String selector) {
        return printUris(Map.of(pkg, selector)).get(pkg);
    }

    /** {@link #printUri} for many packages in one apt call; names the first package apt cannot find. */
    Map<String, Uri> printUris(Map<String, String> selectors) {
        List<String> args = new ArrayList<>(List.of("download", "--print-uris"));
        selectors.forEach((pkg, selector) -> args.add(pkg + selector));
        String out = tools.captureOrNull(dir, command("apt-get", args.toArray(String[]::new)));
        Map<String, Uri> uris = new LinkedHashMap<>();
        if (out != null) {
            for (String line : out.lines().toList()) {
                Matcher m = PRINT_URI.matcher(line.strip());
                if (m.matches()) {
                    String file = m.group(2);
                    uris.put(file.substring(0, file.indexOf('_')),
                            new Uri(m.group(1), file, Long.parseLong(m.group(3)), m.group(4)));
                }
            }
        }
        for (Map.Entry<String, String> e : selectors.entrySet()) {
            if (!uris.containsKey(e.getKey())) {
                if (out == null && selectors.size() > 1) {
                    // apt fails the whole batch for one missing package: ask one by one to name it
                    Map<String, Uri> single = new LinkedHashMap<>();
                    selectors.forEach((pkg, selector) -> single.putAll(printUris(Map.of(pkg, selector))));
                    return single;
                }
                String what = e.getValue().startsWith("=") ? " " + e.getValue().substring(1)
                        : " from " + e.getValue().substring(1);
                throw new VmmException("The package " + e.getKey() + what + " is no longer in Debian's "
                        + String.join(", ", SUITES) + " (it was removed from the suite); run"
                        + " `freezeframe kit build --refresh` to resolve current versions.",
                        new IOException("apt-get download --print-uris found nothing for " + e.getKey() + e.getValue()));
            }
        }
        return uris;
    }
}
