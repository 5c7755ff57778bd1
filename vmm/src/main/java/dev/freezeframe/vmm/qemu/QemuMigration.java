package dev.freezeframe.vmm.qemu;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * QEMU's migration stream used as a device-state file. Guest RAM lives in the shared RAM file, so both ends set
 * {@code x-ignore-shared}: the stream then holds only device and vCPU state (a few hundred KiB) and the RAM is carried
 * separately as a {@link dev.freezeframe.vmm.template.RamImage}. QEMU 8.2 and later write and read the file
 * themselves ({@code file:} URI); older ones (7.2 has no {@code file:}) go through {@code exec:cat}, which costs a shell
 * and a {@code cat} process inside the freeze.
 */
final class QemuMigration {
    private QemuMigration() {
    }

    static ObjectNode ignoreSharedCapability() {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.putArray("capabilities").addObject().put("capability", "x-ignore-shared").put("state", true);
        return args;
    }

    static ObjectNode saveTo(Path file, QmpClient qmp) {
        return uri(fileUri(file, qmp) ? "file:" + file.toAbsolutePath() : "exec:cat > " + shellQuoted(file));
    }

    static ObjectNode loadFrom(Path file, QmpClient qmp) {
        return uri(fileUri(file, qmp) ? "file:" + file.toAbsolutePath() : "exec:cat " + shellQuoted(file));
    }

    /** QEMU 8.2+; a path with a comma would be read as a {@code file:} option. */
    static boolean fileUri(Path file, QmpClient qmp) {
        return qmp.atLeast(8, 2) && !file.toAbsolutePath().toString().contains(",");
    }

    private static ObjectNode uri(String uri) {
        return JsonNodeFactory.instance.objectNode().put("uri", uri);
    }

    /** QEMU runs exec: URIs through /bin/sh -c. */
    static String shellQuoted(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }
}
