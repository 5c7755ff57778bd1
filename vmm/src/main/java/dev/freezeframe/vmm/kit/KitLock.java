package dev.freezeframe.vmm.kit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kit's lock file ({@code kit.lock.json}): what went into the kit and what came out, so a kit can be verified,
 * repaired with exactly the same inputs, and reported.
 *
 * @param formatVersion     version of this file's layout
 * @param kitVersion        version of the build recipe ({@link KitBuilder#KIT_VERSION}); a kit of another recipe is rebuilt
 * @param kernelVersion     {@code uname -r} of the kit's kernel
 * @param kernelOrigin      {@code debian} or {@code user}
 * @param createdAt         ISO-8601 instant
 * @param packages          every downloaded .deb, with version and sha256
 * @param hostPackages      Debian packages of this machine the build used (name → version)
 * @param artifacts         every file of the kit (relative path → size and sha256)
 * @param agentSourceSha256 hash of the guest agent's sources; when it changes the agent is rebuilt
 * @param schedulers        scheduler name → path inside the guest
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KitLock(int formatVersion, int kitVersion, String kernelVersion, String kernelOrigin, String createdAt,
                      List<LockedPackage> packages, Map<String, String> hostPackages,
                      Map<String, LockedArtifact> artifacts, String agentSourceSha256, Map<String, String> schedulers) {
    public static final int FORMAT_VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** One downloaded Debian package. {@code role} says what the kit used it for (kernel, source, toolchain). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LockedPackage(String name, String version, String suite, String file, long size, String sha256,
                                String role) {
    }

    /** One file of the kit. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LockedArtifact(long size, String sha256) {
        static LockedArtifact of(Path file) throws IOException {
            return new LockedArtifact(Files.size(file), Hashing.sha256(file));
        }
    }

    public KitLock {
        packages = List.copyOf(packages);
        hostPackages = new TreeMap<>(hostPackages);
        artifacts = new TreeMap<>(artifacts);
        schedulers = new TreeMap<>(schedulers);
    }

    public static KitLock read(Path file) {
        try {
            return JSON.readValue(file.toFile(), KitLock.class);
        } catch (IOException e) {
            throw new VmmException("The kit lock file " + file + " is unreadable; run `freezeframe kit build` to rebuild"
                    + " the kit.", e);
        }
    }

    /** Writes atomically: a reader never sees half a lock file. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Checks every artifact against its recorded size and sha256.
     *
     * @return the relative paths that are missing or do not match (empty when the kit is intact)
     */
    public List<String> verify(Path kitDir) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, LockedArtifact> entry : artifacts.entrySet()) {
            Path file = kitDir.resolve(entry.getKey());
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != entry.getValue().size()
                        || !Hashing.sha256(file).equals(entry.getValue().sha256())) {
                    bad.add(entry.getKey());
                }
            } catch (IOException e) {
                bad.add(entry.getKey());
            }
        }
        return bad;
    }

    public LockedPackage packageWithRole(String role) {
        return packages.stream().filter(p -> p.role().equals(role)).findFirst().orElse(null);
    }
}
