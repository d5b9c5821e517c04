package org.kernelci.batch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The tests' logging (test-logback.xml): the service's levels, a file for all, the console for the unexpected. */
class TestLoggingTest {
    private static final Logger ROOT = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @Test
    @DisplayName("every logger level of the service's logback.xml is the same in the tests")
    void serviceLevels() throws Exception {
        List<Element> loggers = new ArrayList<>();
        try (InputStream production = TestLoggingTest.class.getResourceAsStream("/logback.xml")) {
            NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(production)
                    .getElementsByTagName("logger");
            for (int i = 0; i < nodes.getLength(); i++) {
                loggers.add((Element) nodes.item(i));
            }
        }
        assertFalse(loggers.isEmpty(), "the service's logback.xml was not read");
        for (Element logger : loggers) {
            String name = logger.getAttribute("name");
            assertEquals(Level.toLevel(logger.getAttribute("level")), ((Logger) LoggerFactory.getLogger(name)).getLevel(),
                    name + " (test-logback.xml differs from logback.xml)");
        }
        assertEquals(Level.INFO, ROOT.getLevel());
    }

    @Test
    @DisplayName("the console shows WARN and ERROR only; the file kci.test.log gets everything")
    void consoleAndFile() throws IOException {
        Appender<ILoggingEvent> console = ROOT.getAppender("STDOUT");
        assertNotNull(console, "not configured by test-logback.xml (logback.configurationFile)");
        assertEquals(FilterReply.DENY, console.getFilterChainDecision(event(Level.INFO)));
        assertEquals(FilterReply.NEUTRAL, console.getFilterChainDecision(event(Level.WARN)));
        String line = "an information " + UUID.randomUUID();
        LoggerFactory.getLogger(TestLoggingTest.class).info(line);
        assertTrue(Files.readString(Path.of(System.getProperty("kci.test.log"))).contains(line));
    }

    @Test
    @DisplayName("what CapturedLog captures reaches the test's assertions and the file, not the console")
    void captured() throws IOException {
        String line = "an expected warning " + UUID.randomUUID();
        try (CapturedLog log = new CapturedLog(TestLoggingTest.class)) {
            Logger logger = (Logger) LoggerFactory.getLogger(TestLoggingTest.class);
            assertFalse(logger.isAdditive(), "the root's console would print it");
            assertEquals(null, logger.getAppender("STDOUT"));
            logger.warn(line);
            assertEquals(line, log.at(Level.WARN).get(0).getFormattedMessage());
        }
        assertTrue(Files.readString(Path.of(System.getProperty("kci.test.log"))).contains(line));
        assertTrue(((Logger) LoggerFactory.getLogger(TestLoggingTest.class)).isAdditive());
    }

    private static ILoggingEvent event(Level level) {
        return new ch.qos.logback.classic.spi.LoggingEvent(TestLoggingTest.class.getName(), ROOT, level, "a line", null,
                null);
    }
}
