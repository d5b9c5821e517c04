package org.kernelci.batch.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * What one logger logs while a test provokes it, kept for assertions instead of printed: a test
 * that breaks the database on purpose checks the log rather than filling the build's output.
 * The lines still reach the tests' log file (FILE of test-logback.xml), not the console.
 */
public final class CapturedLog implements AutoCloseable {
    /** The appender of test-logback.xml that writes target/test-logs/. */
    public static final String FILE_APPENDER = "FILE";

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Optional<Appender<ILoggingEvent>> file;
    /** Whether the logger reached the console before: a capture inside another leaves the outer one in place. */
    private final boolean wasAdditive;

    public CapturedLog(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        wasAdditive = logger.isAdditive();
        file = Optional.ofNullable(((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .getAppender(FILE_APPENDER));
        appender.start();
        logger.addAppender(appender);
        if (wasAdditive) {
            file.ifPresent(logger::addAppender);
        }
        logger.setAdditive(false);
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    public List<ILoggingEvent> at(Level level) {
        return events().stream().filter(event -> event.getLevel() == level).toList();
    }

    @Override
    public void close() {
        logger.setAdditive(wasAdditive);
        if (wasAdditive) {
            file.ifPresent(logger::detachAppender);
        }
        logger.detachAppender(appender);
    }
}
