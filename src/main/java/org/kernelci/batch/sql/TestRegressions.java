package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.List;
import java.util.StringJoiner;

/**
 * The test regressions (CONTRACT.md section 12.7) in SQL, from the functions of migration V13, in
 * the read's snapshot: the view {@code test_regression} and a test case's {@code regression_id}.
 * The view's rows can be found from either side, and a read takes the side its conditions select
 * by ({@link Sources#from(org.kernelci.batch.schema.Collection, List)}):
 * <ul>
 * <li>from the runs (top groups): the filters the frontend sends are a run's members (job,
 *     kernel, git_branch, plan, device_type, lab_name, ...), so that the runs are found by index
 *     and only their FAIL cases are walked back;</li>
 * <li>from the cases, for a read by {@code _id}: each id is one lookup, then its run.</li>
 * </ul>
 * PostgreSQL cannot choose between the two itself: a case's run is found by walking up its
 * groups, which no index holds. Both give the same rows (TestRegressionsIT reads both).
 */
final class TestRegressions {
    /** The members a regression takes from its case's run (its top group), in the view's order. */
    private static final List<String> RUN_MEMBERS = List.of("job", "kernel", "git_branch", "git_url", "arch",
            "defconfig_full", "build_environment", "compiler", "compiler_version", "device_type", "lab_name", "mach");

    private TestRegressions() {
    }

    /**
     * The view found from the runs: each run's FAIL cases with their paths, those that regress.
     * The regression is computed once per case (the fence keeps it from being inlined into both
     * the filter and the list of cases).
     */
    static String fromRuns() {
        return columns("f.id", "f.created_on", "f.test_case_path", "f.names")
                + " FROM test_group AS r CROSS JOIN LATERAL test_run_failures(r.id) AS f"
                + " CROSS JOIN LATERAL (SELECT test_case_regression(r.id, f.test_case_path, f.id) AS chain OFFSET 0) AS x"
                + " WHERE r.parent_id IS NULL AND x.chain IS NOT NULL";
    }

    /** The view found from the cases: each FAIL case, its names up to its run, and whether it regresses. */
    static String fromCases() {
        return columns("c.id", "c.created_on", "n.test_case_path", "n.names")
                + " FROM test_case AS c"
                + " CROSS JOIN LATERAL (SELECT up.names, array_to_string(up.names, '.') AS test_case_path"
                + " FROM (SELECT test_group_names(c.test_group_id) || c.name AS names) AS up) AS n"
                + " JOIN test_group AS r ON r.id = test_group_run(c.test_group_id)"
                + " CROSS JOIN LATERAL (SELECT test_case_regression(r.id, n.test_case_path, c.id) AS chain OFFSET 0) AS x"
                + " WHERE c.status = 'FAIL' AND x.chain IS NOT NULL";
    }

    /**
     * What a test case's computed members need of the groups above its row {@code t}, as {@code up}:
     * their names (the top one first) and its run. A lateral subquery, so that the cases of one group
     * look the group up once (PostgreSQL memoizes it by the group's id), and a read that names
     * none of them does not look at all (its unused columns are dropped).
     */
    static String groupsAbove() {
        return " CROSS JOIN LATERAL (SELECT test_group_names(t.test_group_id) AS names, test_group_run(t.test_group_id) AS run"
                + " OFFSET 0) AS up";
    }

    /**
     * A test case's {@code regression_id} over its row {@code t} and {@link #groupsAbove}: its own
     * id when it regresses, else null; only a FAIL case is walked back.
     */
    static String regressionId() {
        return "CASE WHEN t.status = 'FAIL' THEN CASE WHEN test_case_regression(up.run, array_to_string(up.names || t.name, '.'),"
                + " t.id) IS NOT NULL THEN t.id END END";
    }

    /** The view's columns, in its fields' order, from the case's and the run's members. */
    private static String columns(String id, String createdOn, String path, String names) {
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        select.add(id + " AS id").add(createdOn + " AS created_on").add("'1.0'::text AS version");
        RUN_MEMBERS.forEach(member -> select.add("r." + quote(member)));
        select.add("r.name AS plan").add(path + " AS test_case_path")
                .add("to_json(array_remove(" + names + ", NULL)) AS hierarchy")
                .add("test_regression_cases(x.chain) AS regressions");
        return select.toString();
    }
}
