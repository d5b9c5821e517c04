package org.kernelci.batch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.QueryStringParser;

class BatchPipelineTest {
    @Test
    @DisplayName("§7 atomic=true or false, the last one counting; another value is a 400 naming it")
    void atomic() {
        assertFalse(BatchPipeline.atomic(QueryStringParser.parse(null)));
        assertTrue(BatchPipeline.atomic(QueryStringParser.parse("atomic=true")));
        assertFalse(BatchPipeline.atomic(QueryStringParser.parse("atomic=true&atomic=false")));
        ApiException wrong = assertThrows(ApiException.class, () -> BatchPipeline.atomic(QueryStringParser.parse("atomic=yes")));
        assertEquals(400, wrong.status());
        assertEquals("Invalid value for 'atomic': 'yes' (expected true or false)", wrong.reason());
    }

    @Test
    @DisplayName("the pipeline returns plain values: it imports neither JAX-RS, the Servlet API nor http")
    void noHttpInThePipeline() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/org/kernelci/batch/pipeline"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(source)) {
                    if (line.startsWith("import jakarta.ws") || line.startsWith("import jakarta.servlet")
                            || line.startsWith("import org.glassfish") || line.startsWith("import org.kernelci.batch.http")) {
                        violations.add(source + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
