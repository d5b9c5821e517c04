package org.kernelci.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** parse, plan and sql stay pure: no database, no HTTP. */
class PureStagesTest {
    private static final List<String> FORBIDDEN = List.of("import org.jdbi", "import java.sql", "import jakarta.ws",
            "import jakarta.servlet", "import org.kernelci.batch.execute", "import org.kernelci.batch.http",
            "import org.kernelci.batch.render");

    @Test
    @DisplayName("parse, plan and sql import neither JDBC, JDBI, JAX-RS nor the later stages")
    void pureStagesImportNoInfrastructure() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (String stage : List.of("parse", "plan", "sql")) {
            try (Stream<Path> sources = Files.walk(Path.of("src/main/java/org/kernelci/batch", stage))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    for (String line : Files.readAllLines(source)) {
                        for (String forbidden : FORBIDDEN) {
                            if (line.startsWith(forbidden)) {
                                violations.add(source + ": " + line);
                            }
                        }
                    }
                }
            }
        }
        assertFalse(files < 10, "the stage sources were not found");
        assertEquals(List.of(), violations);
    }
}
