package dev.freezeframe.vmm.qemu;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * QEMU's migration stream used as a device-state file. Guest RAM lives in the shared RAM file, so both ends set
 * {@code x-ignore-shared}: the stream then holds only device and vCPU state (a few hundred KiB) and the RAM is carried
 * separately as a {@link dev.freezeframe.vmm.template.RamImage}. QEMU 7.2 has no {@code file:} URI (8.2+), so the
 * stream goes through {@code exec:cat}.
 */
final class QemuMigration {
    private QemuMigration() {
    }

    static ObjectNode ignoreSharedCapability() {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.putArray("capabilities").addObject().put("capability", "x-ignore-shared").put("state", true);
        return args;
    }

    static ObjectNode saveTo(Path file) {
        return JsonNodeFactory.instance.objectNode().put("uri", "exec:cat > " + shellQuoted(file));
    }

    static ObjectNode loadFrom(Path file) {
        return JsonNodeFactory.instance.objectNode().put("uri", "exec:cat " + shellQuoted(file));
    }

    /** QEMU runs exec: URIs through /bin/sh -c. */
    static String shellQuoted(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }
}
