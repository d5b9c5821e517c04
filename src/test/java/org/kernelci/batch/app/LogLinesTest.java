package org.kernelci.batch.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The service's logback.xml (src/main/resources) as it writes to the console: client text cannot start a line. */
class LogLinesTest {
    @Test
    @DisplayName("a CR/LF or another control character in a logged value never starts a line of its own")
    void controlCharactersEscaped() throws Exception {
        String forged = "07-Dec-2026 12:00:00.000 SEVERE [main] forged.Logger FORGED";
        List<String> lines = logged("key {} ignored", "a\r\n" + forged + "\n\u0001b\tc\u2028d\re\u0085f");
        assertEquals(1, lines.size(), lines::toString);
        String line = lines.get(0);
        assertTrue(line.endsWith(" WARN  [main] kci.test key a\\n" + forged + "\\n?b?c?d\\ne?f ignored"), line);
    }

    @Test
    @DisplayName("plain text is written as it is")
    void plainText() throws Exception {
        List<String> lines = logged("Database answers again after {} s", "3 \\ x=\"y\" é");
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).endsWith(" WARN  [main] kci.test Database answers again after 3 \\ x=\"y\" é s"), lines::toString);
    }

    /** The console lines of one WARN, as the encoder of the service's console appender writes it. */
    @SuppressWarnings("unchecked")
    private static List<String> logged(String format, String value) throws Exception {
        LoggerContext context = new LoggerContext();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            Logger logger = context.getLogger("kci.test");
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, format, null,
                    new Object[] {value});
            event.setThreadName("main");
            Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) context
                    .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).getEncoder();
            return new String(encoder.encode(event), StandardCharsets.UTF_8).lines().toList();
        } finally {
            context.stop();
        }
    }
}
