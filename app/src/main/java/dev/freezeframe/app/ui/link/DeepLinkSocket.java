package dev.freezeframe.app.ui.link;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;

/**
 * Where the running workbench listens for {@code freezeframe open}: {@code $XDG_RUNTIME_DIR/freezeframe/ui.sock},
 * or {@code <state dir>/runtime/ui.sock} when XDG_RUNTIME_DIR is unset. The directory is private (0700), the socket
 * 0600, so only the same user can connect.
 */
public final class DeepLinkSocket {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> SOCKET = PosixFilePermissions.fromString("rw-------");

    private DeepLinkSocket() {
    }

    public static Path forEnvironment(AppDirs dirs) {
        return path(System.getenv(), dirs);
    }

    static Path path(Map<String, String> env, AppDirs dirs) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) {
            return Path.of(runtime, "freezeframe", "ui.sock");
        }
        return dirs.stateDir().resolve("runtime").resolve("ui.sock");
    }

    /** This process's user: the owner of /proc/self (Linux), else the user named by {@code user.name}. */
    static UserPrincipal currentUser() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) return Files.getOwner(self);
        return self.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }

    /**
     * Creates the socket's directory (0700) or checks that an existing one belongs to this user, and returns its
     * owner — the user a peer must be.
     */
    static UserPrincipal privateDirectory(Path socket) {
        Path dir = socket.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another workbench made it meanwhile: checked below
                }
            }
            UserPrincipal me = currentUser();
            UserPrincipal owner = Files.getOwner(dir);
            if (!owner.equals(me)) {
                throw new AppException(dir + " belongs to " + owner.getName() + ", not to you, so the workbench will "
                        + "not listen there for `freezeframe open`. Remove it or set XDG_RUNTIME_DIR.");
            }
            Files.setPosixFilePermissions(dir, DIRECTORY);
            return owner;
        } catch (IOException e) {
            throw new AppException("Cannot prepare " + dir + " for `freezeframe open` (" + e.getMessage() + ").", e);
        }
    }
}
