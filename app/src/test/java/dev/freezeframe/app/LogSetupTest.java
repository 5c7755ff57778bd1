package dev.freezeframe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product's logging: INFO and up into an owner-only file in the given folder, found by Logback as a service. */
class LogSetupTest {
    @TempDir
    Path dir;

    @Test
    void logsInfoAndAboveToAPrivateFileInTheStateFolder() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        Path logs = dir.resolve("logs");
        Logging.createPrivateDirectories(logs);
        LogSetup.configureFileLogging(context, logs.toString());
        context.getLogger("dev.freezeframe.x").info("kept {}", 42);
        context.getLogger("dev.freezeframe.x").debug("not kept");
        context.getLogger("org.testfx.y").info("quiet");
        assertEquals(Level.INFO, context.getLogger("ROOT").getLevel());
        context.stop();
        Path file = logs.resolve("freezeframe.log");
        String text = Files.readString(file);
        assertTrue(text.contains("INFO  [") && text.contains("dev.freezeframe.x - kept 42"), text);
        assertTrue(!text.contains("not kept") && !text.contains("quiet"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void logbackFindsItAsAConfigurator() {
        assertTrue(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .anyMatch(p -> p.type() == LogSetup.class));
    }
}
