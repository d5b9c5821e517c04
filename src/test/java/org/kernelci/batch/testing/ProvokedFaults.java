package org.kernelci.batch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kernelci.batch.execute.BatchExecutor;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.http.ErrorMapper;

/**
 * For a test class that provokes database faults on purpose (a stopped, frozen or full database, a
 * refused grant, a lost COMMIT): the loggers that report faults are captured for the whole class,
 * so their WARN lines go to the test log file and not the console, and the class fails if one of
 * them logged an ERROR: a fault provoked on purpose must never be answered as a bug.
 */
public final class ProvokedFaults implements BeforeAllCallback, AfterAllCallback {
    private static final List<Class<?>> REPORTERS = List.of(Database.class, ErrorMapper.class, BatchExecutor.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ProvokedFaults.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getRequiredTestClass(), REPORTERS.stream().map(CapturedLog::new).toList());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<CapturedLog> logs = (List<CapturedLog>) context.getStore(NAMESPACE).remove(context.getRequiredTestClass());
        try {
            for (CapturedLog log : logs) {
                assertEquals(List.of(), log.at(Level.ERROR).stream().map(ILoggingEvent::getFormattedMessage).toList(),
                        "a fault provoked on purpose is no ERROR");
            }
        } finally {
            logs.forEach(CapturedLog::close);
        }
    }
}
