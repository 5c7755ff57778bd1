package dev.freezeframe.coordinator.wire;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the guest agent's {@code ffwire.h} is: set by the coordinator pom, with a fallback for IDE runs. */
final class FfwireHeader {
    private FfwireHeader() {
    }

    static Path path() {
        String configured = System.getProperty("ffwire.header");
        Path p = configured != null ? Path.of(configured) : Path.of("../vmm/src/main/c/agent/ffwire.h");
        if (!Files.isRegularFile(p)) throw new IllegalStateException("ffwire.h not found at " + p.toAbsolutePath());
        return p.toAbsolutePath().normalize();
    }
}
