package dev.freezeframe.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;

/**
 * Logback's configuration, in code: details go to a rotating, owner-only file in the user's state folder (users see
 * sentences, never stack traces). Parsing the equivalent logback.xml took about half a second of every start-up; this
 * takes a few milliseconds. A {@code -Dlogback.configurationFile} (the tests' console configuration) still wins.
 * Registered as a {@link Configurator} service.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        configureFileLogging(context, System.getProperty(Logging.LOG_DIR_PROPERTY,
                System.getProperty("java.io.tmpdir") + "/freezeframe-logs"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Root at INFO into {@code dir}/freezeframe.log, rolled daily and at 10 MB, 14 days and 200 MB kept. */
    static void configureFileLogging(LoggerContext context, String dir) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        PrivateRollingFileAppender<ILoggingEvent> file = new PrivateRollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(dir + "/freezeframe.log");
        file.setEncoder(encoder);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(dir + "/freezeframe.%d{yyyy-MM-dd}.%i.log.gz");
        rolling.setMaxFileSize(FileSize.valueOf("10MB"));
        rolling.setMaxHistory(14);
        rolling.setTotalSizeCap(FileSize.valueOf("200MB"));
        rolling.start();
        file.setRollingPolicy(rolling);
        file.start();
        context.getLogger("org.testfx").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(file);
    }
}
