package dev.freezeframe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log folder is created 0700 and every log file the appender starts 0600; existing ones keep their mode. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theLogFolderAndLogFileAreOwnerOnly() throws Exception {
        Path logs = dir.resolve("state/freezeframe/logs");
        Logging.createPrivateDirectories(logs);
        assertEquals("rwx------", mode(logs));
        assertEquals("rwx------", mode(logs.getParent()));

        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        PrivateRollingFileAppender<ILoggingEvent> appender = new PrivateRollingFileAppender<>();
        appender.setContext(context);
        appender.setFile(logs.resolve("freezeframe.log").toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(logs + "/freezeframe.%d{yyyy-MM-dd}.%i.log.gz");
        policy.setMaxFileSize(FileSize.valueOf("10MB"));
        policy.start();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setRollingPolicy(policy);
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("t");
        logger.setAdditive(false);
        logger.addAppender(appender);
        logger.info("hello");
        appender.stop();
        Path log = logs.resolve("freezeframe.log");
        assertTrue(Files.readString(log).contains("hello"), context.getStatusManager().getCopyOfStatusList().toString());
        assertEquals("rw-------", mode(log));
    }

    @Test
    void anExistingLogFileKeepsItsMode() throws Exception {
        Path log = dir.resolve("old.log");
        Files.writeString(log, "x");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));
        PrivateRollingFileAppender.createPrivate(log);
        assertEquals("rw-r-----", mode(log));
    }
}
