package dev.freezeframe.vmm.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Remembers, per kit, the inode, size and change time of every file at its last full sha256 verification, with the
 * facts a warm build needs. A warm build trusts files whose stamps are unchanged — any write changes ctime, and ctime
 * cannot be set back (unlike mtime) — and, since the lock file is stamped too, it need not even parse the lock. A
 * changed stamp means a full hash; {@code kit status} always hashes.
 */
final class Stamps {
    static final String FILE = ".verified-stamps";

    /** What was true of the kit when it was last verified. */
    record Summary(int kitVersion, String agentSha256, String kernelVersion, String origin) {
    }

    private Stamps() {
    }

    static String stamp(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:size,ctime,ino");
        return a.get("size") + ":" + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS) + ":" + a.get("ino");
    }

    /** The summary recorded for {@code dir}, if every file it lists still has its recorded stamp. */
    static Optional<Summary> unchanged(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(FILE));
            if (lines.size() < 2 || !lines.getFirst().startsWith("summary\t")) {
                return Optional.empty();
            }
            String[] s = lines.getFirst().split("\t");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                if (f.length != 2 || !stamp(dir.resolve(f[0])).equals(f[1])) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Summary(Integer.parseInt(s[1]), s[2], s[3], s[4]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Records the current stamps after a successful full verification; best effort. */
    static void record(Path dir, Summary summary, Collection<String> paths) {
        try {
            List<String> lines = new ArrayList<>();
            lines.add(String.join("\t", "summary", Integer.toString(summary.kitVersion()), summary.agentSha256(),
                    summary.kernelVersion(), summary.origin()));
            for (String path : paths) {
                lines.add(path + "\t" + stamp(dir.resolve(path)));
            }
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.write(tmp, lines);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // without stamps the next warm build hashes everything: slower, still correct
        }
    }

    static void forget(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }
}
