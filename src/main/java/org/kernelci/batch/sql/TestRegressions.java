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

    /** The view found from the runs: each run's regressions, its FAIL cases' paths walked back together. */
    static String fromRuns() {
        return columns("x.id", "x.created_on")
                + " FROM test_group AS r CROSS JOIN LATERAL test_run_regressions(r.id, NULL) AS x WHERE r.parent_id IS NULL";
    }

    /** The view found from the cases: each FAIL case, its names up to its run, and its path's regressions there. */
    static String fromCases() {
        return columns("t.id", "t.created_on") + " FROM test_case AS t" + groupsAbove()
                + " JOIN test_group AS r ON r.id = up.run CROSS JOIN LATERAL test_run_regressions(r.id, " + path() + ") AS x"
                + " WHERE t.status = 'FAIL' AND x.id = t.id";
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

    /** A test case's test_case_path, over its row {@code t} and {@link #groupsAbove}. */
    static String path() {
        return "array_to_string(up.names || t.name, '.')";
    }

    /**
     * A test case's {@code regression_id} over its row {@code t} and {@link #groupsAbove}: its own
     * id when it regresses, else null; only a FAIL case's path is walked back.
     */
    static String regressionId() {
        return "CASE WHEN t.status = 'FAIL' THEN (SELECT x.id FROM test_run_regressions(up.run, " + path() + ") AS x"
                + " WHERE x.id = t.id) END";
    }

    /** The view's columns, in its fields' order: the case's id and time, the run's members, the regression's. */
    private static String columns(String id, String createdOn) {
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        select.add(id + " AS id").add(createdOn + " AS created_on").add("'1.0'::text AS version");
        RUN_MEMBERS.forEach(member -> select.add("r." + quote(member)));
        select.add("r.name AS plan").add("x.test_case_path AS test_case_path")
                .add("to_json(array_remove(x.names, NULL)) AS hierarchy")
                .add("test_regression_cases(x.chain) AS regressions");
        return select.toString();
    }
}
