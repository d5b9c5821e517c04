package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

/**
 * What reads of a collection select from: its table, or, for a view and for a collection with
 * computed fields, a subquery that derives them from the stored documents in the read's own
 * snapshot, so that they are exact after every write and never kept (CONTRACT.md section 12).
 * The subquery's columns are the fields' columns, so that filters, sorting, paging, counts and
 * distinct values apply to it as to a table; PostgreSQL pushes the filters on stored columns
 * down into it. The texts are the code's own: no request reaches them.
 */
public final class Sources {
    /** Each collection's source, made once. */
    private static final Map<Collection, String> FROM = sources();
    /** The test regressions found from their cases (see {@link TestRegressions}). */
    private static final String TEST_REGRESSIONS_FROM_CASES =
            "(" + TestRegressions.fromCases() + ") AS " + quote(Collections.TEST_REGRESSION.table());

    private Sources() {
    }

    /** The {@code FROM} item of a read of the collection. */
    public static String from(Collection collection) {
        return FROM.get(collection);
    }

    /**
     * The {@code FROM} item of a read of the collection with these conditions: the test
     * regressions of given ids are found from those cases, any others from the runs (see
     * {@link TestRegressions}).
     */
    public static String from(Collection collection, List<Condition> conditions) {
        boolean byId = conditions.stream().anyMatch(condition -> condition instanceof Condition.Match match
                && match.field().equals(collection.idField()) && !match.values().isEmpty());
        return collection == Collections.TEST_REGRESSION && byId ? TEST_REGRESSIONS_FROM_CASES : from(collection);
    }

    private static Map<Collection, String> sources() {
        Map<Collection, String> sources = new LinkedHashMap<>();
        for (Collection collection : Collections.ALL) {
            String sql = collection.isView() ? view(collection)
                    : collection.hasComputedFields() ? withComputed(collection) : null;
            sources.put(collection, sql == null ? quote(collection.table())
                    : "(" + sql + ") AS " + quote(collection.table()));
        }
        return Map.copyOf(sources);
    }

    /**
     * The stored columns ({@code t.*}) and each computed field's expression over the row {@code t}
     * (a test case's, also over its groups above it, {@code up}: see {@link TestRegressions#groupsAbove}).
     */
    private static String withComputed(Collection collection) {
        String from = " FROM " + quote(collection.table()) + " AS t"
                + (collection == Collections.TEST_CASE ? TestRegressions.groupsAbove() : "");
        StringJoiner columns = new StringJoiner(", ", "SELECT t.*, ", from);
        for (Field field : collection.fields()) {
            if (!field.isStored()) {
                columns.add(computed(collection, field) + " AS " + quote(field.column()));
            }
        }
        return columns.toString();
    }

    private static String computed(Collection collection, Field field) {
        return switch (collection.name() + "." + field.name()) {
            // A group's cases and sub-groups: the documents that name it, by index then _id.
            case "test_group.test_cases" -> idList("test_case", "test_group_id");
            case "test_group.sub_groups" -> idList("test_group", "parent_id");
            // A case's plan is its top group's name; its path, the names of its groups and its own.
            case "test_case.plan" -> "up.names[1]";
            case "test_case.test_case_path" -> TestRegressions.path();
            case "test_case.regression_id" -> TestRegressions.regressionId();
            case "error_logs.errors_count" -> length("errors");
            case "error_logs.warnings_count" -> length("warnings");
            case "error_logs.mismatches_count" -> length("mismatches");
            default -> throw new IllegalStateException("no SQL for the computed field " + collection + "." + field);
        };
    }

    private static String idList(String table, String reference) {
        return "(SELECT coalesce(jsonb_agg(jsonb_build_object('$oid', d.id) ORDER BY d.index, d.id), '[]'::jsonb) FROM "
                + quote(table) + " AS d WHERE d." + quote(reference) + " = t.id)";
    }

    /** The length of a list of log lines; an import may have stored something else there. */
    private static String length(String column) {
        return "CASE jsonb_typeof(t." + quote(column) + ") WHEN 'array' THEN jsonb_array_length(t." + quote(column)
                + ") ELSE 0 END";
    }

    private static String view(Collection collection) {
        return switch (collection.name()) {
            case "errors_summary" -> errorsSummary();
            case "daily_stats" -> Statistics.sql();
            case "boot_regressions" -> BootRegressions.view();
            case "test_regression" -> TestRegressions.fromRuns();
            default -> throw new IllegalStateException("no SQL for the view " + collection);
        };
    }

    /**
     * One document per job that error logs name, with the job's members and, for each kind of
     * line, {@code [count, line]} per distinct line over its logs, by count descending then line
     * (section 12.1).
     */
    private static String errorsSummary() {
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        select.add("j.id").add("j.created_on").add("'1.1'::text AS version").add("j.id AS job_id").add("j.job")
                .add("j.kernel").add("j.git_branch");
        for (String kind : List.of("errors", "warnings", "mismatches")) {
            select.add("(SELECT coalesce(jsonb_agg(jsonb_build_array(n, line) ORDER BY n DESC, line COLLATE \"C\"), "
                    + "'[]'::jsonb) FROM (SELECT line, count(*) AS n FROM error_logs AS e, jsonb_array_elements_text("
                    + "CASE jsonb_typeof(e." + quote(kind) + ") WHEN 'array' THEN e." + quote(kind) + " ELSE '[]' END) "
                    + "AS line WHERE e.job_id = j.id GROUP BY line) AS lines) AS " + quote(kind));
        }
        return select + " FROM job AS j WHERE EXISTS (SELECT 1 FROM error_logs AS e WHERE e.job_id = j.id)";
    }
}
