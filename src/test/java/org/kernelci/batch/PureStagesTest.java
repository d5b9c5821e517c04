package org.kernelci.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The stages that need neither a database nor a request stay so: they are tested and reasoned
 * about as functions. What each package may use:
 * <ul>
 * <li>schema, parse, ingest, plan, sql: no JDBC, no HTTP, and only the stages below them;</li>
 * <li>render (outcomes to bytes), metrics (counters), the root package (ApiException): no JDBC, no
 *     HTTP (they may use execute's outcomes and figures, not run statements);</li>
 * <li>auth and execute: JDBC (tokens and documents are stored), no HTTP: requests end in http;</li>
 * <li>http and app (the wiring), and the command-line tool and launcher: anything.</li>
 * </ul>
 */
class PureStagesTest {
    private static final String BASE = JavaSources.BASE;
    /** JDBC and what wraps it: drivers, pools, JDBI, migrations, the project's low-level JDBC helpers. */
    private static final List<String> JDBC = List.of("java.sql", "javax.sql", "org.jdbi", "org.postgresql",
            "com.zaxxer", "org.flywaydb", BASE + ".jdbc");
    /** Requests and responses: JAX-RS, servlets, the containers, and the project's packages that handle them. */
    private static final List<String> HTTP = List.of("jakarta.ws", "jakarta.servlet", "org.glassfish", "org.eclipse.jetty",
            BASE + ".http", BASE + ".app");
    /** The pure stages, each with the project packages it may use (the stages below it). */
    private static final Map<String, Set<String>> PURE = Map.of(
            "schema", Set.of(),
            "parse", Set.of("schema"),
            "ingest", Set.of("schema", "parse"),
            "plan", Set.of("schema", "parse", "ingest"),
            "sql", Set.of("schema", "parse", "plan"));
    private static final Set<String> NO_JDBC = Set.of("render", "metrics", "");
    private static final Set<String> NO_HTTP = Set.of("render", "metrics", "", "auth", "execute");

    @Test
    @DisplayName("schema, parse, ingest, plan and sql use neither JDBC nor HTTP, and only the stages below them")
    void pureStagesUseNoInfrastructure() {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (JavaSources.Source source : JavaSources.main()) {
            String stage = stage(source);
            Set<String> below = PURE.get(stage);
            if (below == null) {
                continue;
            }
            seen.add(stage);
            forbidden(source, JDBC, violations);
            forbidden(source, HTTP, violations);
            for (String used : source.projectPackages()) {
                String usedStage = used.equals(BASE) ? "" : used.substring(BASE.length() + 1).split("\\.")[0];
                if (!usedStage.isEmpty() && !below.contains(usedStage) && !JDBC.contains(used) && !HTTP.contains(used)) {
                    violations.add(source.file() + " (" + stage + ") uses " + used + ", not a stage below it");
                }
            }
        }
        assertEquals(PURE.keySet(), seen, "the stage sources were not found");
        assertEquals(List.of(), violations);
    }

    @Test
    @DisplayName("render, metrics and the root package use no JDBC; they, auth and execute no HTTP")
    void otherPackagesKeepToTheirSide() {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (JavaSources.Source source : JavaSources.main()) {
            String stage = stage(source);
            if (NO_JDBC.contains(stage)) {
                seen.add(stage);
                forbidden(source, JDBC, violations);
            }
            if (NO_HTTP.contains(stage)) {
                seen.add(stage);
                forbidden(source, HTTP, violations);
            }
        }
        assertEquals(new TreeSet<>(NO_HTTP), seen, "the packages' sources were not found");
        assertEquals(List.of(), violations);
    }

    @Test
    @DisplayName("a qualified name is caught as an import is; a comment or a string that names one is not")
    void readsCodeNotComments() {
        JavaSources.Source source = JavaSources.Source.of("plan/Example.java", """
                package org.kernelci.batch.plan;
                // import java.sql.Connection;
                /** Not {@link org.kernelci.batch.execute.Database}. */
                final class Example {
                    String text = "java.sql.Connection";
                    char quote = '"';
                    String escaped = "a \\" javax.sql.DataSource \\"";
                    java . sql.Timestamp at;
                    org.kernelci.batch.ingest.StoredDocument document;
                }
                """);
        List<String> violations = new ArrayList<>();
        forbidden(source, JDBC, violations);
        assertEquals(List.of("plan/Example.java uses java.sql"), violations);
        assertEquals(Set.of(BASE + ".ingest"), source.projectPackages());
    }

    /**
     * The package's first segment under the project's ({@code plan} for {@code …batch.plan}),
     * empty for the root package, null outside the project.
     */
    private static String stage(JavaSources.Source source) {
        String name = source.packageName();
        if (name.equals(BASE)) {
            return "";
        }
        return name.startsWith(BASE + ".") ? name.substring(BASE.length() + 1).split("\\.")[0] : null;
    }

    private static void forbidden(JavaSources.Source source, List<String> prefixes, List<String> violations) {
        for (String prefix : source.names(prefixes)) {
            if (!source.packageName().equals(prefix)) {
                violations.add(source.file() + " uses " + prefix);
            }
        }
    }
}
