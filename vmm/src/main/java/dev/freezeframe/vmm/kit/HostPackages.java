package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Debian packages a kit build needs on the host. The list is {@code scripts/host-packages-kit.txt}, shipped in the
 * jar as a resource, so setup scripts, CI and this class install the same set.
 */
public final class HostPackages {
    static final String RESOURCE = "host-packages-kit.txt";

    private HostPackages() {
    }

    public static List<String> required() {
        try (InputStream in = HostPackages.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the vmm jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    static List<String> parse(String text) {
        List<String> names = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String name = line.replaceAll("#.*", "").strip();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** Installed versions of {@code names}; packages that are not installed are absent from the map. */
    static Map<String, String> installed(Tools tools, List<String> names) {
        List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package} ${db:Status-Status} ${Version}\\n"));
        cmd.addAll(names);
        String out = tools.captureOrNull(null, cmd);  // exits 1 when some name is unknown; the output still lists the rest
        if (out == null) {
            out = tools.captureOrNull(null, List.of("dpkg-query", "-W", "-f=${Package} ${db:Status-Status} ${Version}\\n"));
            if (out == null) {
                throw new VmmException("Cannot query installed packages with dpkg-query; the kit build needs a Debian"
                        + " or Ubuntu host.");
            }
        }
        Map<String, String> versions = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3 && parts[1].equals("installed") && names.contains(parts[0])) {
                versions.put(parts[0], parts[2]);
            }
        }
        return versions;
    }

    static String installCommand(List<String> missing) {
        return "apt-get install -y --no-install-recommends " + String.join(" ", missing);
    }

    /**
     * Makes sure every required package is installed: as root the missing ones are installed (quietly, with a lock
     * timeout because other apt users may be running); otherwise the exact command is named.
     *
     * @return name → installed version of every required package
     */
    static Map<String, String> ensure(Tools tools, KitProgress progress) {
        List<String> required = required();
        Map<String, String> installed = installed(tools, required);
        List<String> missing = required.stream().filter(p -> !installed.containsKey(p)).toList();
        if (missing.isEmpty()) {
            return installed;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new VmmException("The kit build needs these Debian packages: " + String.join(" ", missing)
                    + "; install them with `sudo " + installCommand(missing) + "` and run the build again.");
        }
        progress.step("host packages", "installing " + String.join(" ", missing));
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q",
                "--no-install-recommends"));
        cmd.addAll(missing);
        tools.run("Installing the kit's host packages (" + String.join(" ", missing) + ") failed; try `"
                + installCommand(missing) + "` yourself", null, Map.of("DEBIAN_FRONTEND", "noninteractive"), cmd);
        Map<String, String> now = installed(tools, required);
        List<String> stillMissing = required.stream().filter(p -> !now.containsKey(p)).toList();
        if (!stillMissing.isEmpty()) {
            throw new VmmException("These packages are still not installed after apt-get install: "
                    + String.join(" ", stillMissing) + " (details in " + tools.log() + ").");
        }
        progress.done("host packages", missing.size() + " installed");
        return now;
    }
}
