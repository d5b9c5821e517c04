package org.kernelci.batch.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * Boot regressions (CONTRACT.md section 12.3), computed in the read's snapshot. A boot's series
 * is its job, git_branch, lab_name, arch, board, defconfig_full and toolchain, nulls equal (an
 * array of them compares so); only PASS and FAIL boots count. A FAIL boot B regresses when a
 * PASS of its series came before it (then the boots between are FAILs) and no boot of B's kernel
 * in its series, whatever the lab, passed. Its regression is that PASS, the FAILs after it and B,
 * oldest first.
 * <p>
 * Costs follow the kernel's boots and the regressions' lengths, never a series' or a job's whole
 * history: the lab conflicts are one pass over the kernel's boots ({@code boot_kernel}); a
 * series' newest FAIL of a kernel regresses whenever an older one does (the PASS before the
 * older is before it too, and the conflicts are the kernel's), so the view looks at that one
 * boot per series; the PASS before it is a probe of the index {@code boot_series} (migration
 * V12: a hash of the series, status, created_on, _id), and the FAILs after it one range of it.
 */
public final class BootRegressions {
    /** The columns {@link #ofBoot} yields: how many documents the regression has, and them. */
    public static final List<Field> COLUMNS = List.of(new Field("count", "count", FieldType.INTEGER),
            new Field("boots", "boots", FieldType.JSON));
    /**
     * The toolchain of a series: {@code build_environment}, else {@code <compiler>-<compiler_version>}
     * with {@code none} for a null part. Migration V12's index has the same expression.
     */
    private static final String TOOLCHAIN = "coalesce(%1$s.build_environment, coalesce(%1$s.compiler, 'none') || '-' "
            + "|| coalesce(%1$s.compiler_version, 'none'))";
    /** The keys of the view's nesting, in order, each {@code none} when null (the frontend walks six levels). */
    private static final List<String> NESTING = List.of("lab_name", "arch", "board", "board_instance", "defconfig_full");

    private BootRegressions() {
    }

    /**
     * The view: one row per job whose boots (by job and kernel) regress, with the job's members and
     * {@code regressions}: per series, the regression of its newest regressing boot of that
     * kernel, under lab_name, arch, board, board_instance, defconfig_full and toolchain. Two series
     * that share those keys (they differ by git_branch alone) share a leaf: the newer regression.
     */
    static String view() {
        return "SELECT j.id, j.created_on, j.id AS job_id, j.job, j.kernel, j.git_branch, r.regressions FROM job AS j "
                + "CROSS JOIN LATERAL (" + nested() + ") AS r WHERE r.regressions IS NOT NULL";
    }

    /**
     * {@code GET /boot/<id>/regressions}: the regression of the boot the plan selects, its documents
     * projected as the plan says ({@code []} when it does not regress); no row when there is no
     * such boot.
     */
    public static SqlQuery ofBoot(QueryPlan plan) {
        List<Object> binds = new ArrayList<>();
        String boot = "SELECT * FROM boot" + SqlCompiler.where(plan.conditions(), binds);
        String regresses = "b.status = 'FAIL' AND NOT EXISTS (" + passedInKernel("b") + ")";
        String sql = "SELECT coalesce(json_array_length(r.boots), 0), coalesce(r.boots, '[]'::json) FROM (" + boot
                + ") AS b CROSS JOIN LATERAL (" + regression("b", regresses, plan.projection()) + ") AS r";
        return new SqlQuery(sql, binds);
    }

    /** The regressions of the job row {@code j} (its job and kernel), nested, or null when none. */
    private static String nested() {
        List<String> keys = new ArrayList<>();
        StringJoiner leafKeys = new StringJoiner(", ");
        for (int i = 0; i < NESTING.size(); i++) {
            keys.add("k" + i);
            leafKeys.add("coalesce(f." + NESTING.get(i) + ", 'none') AS k" + i);
        }
        keys.add("k" + NESTING.size());
        leafKeys.add(toolchain("f") + " AS k" + NESTING.size());
        String keyList = String.join(", ", keys);
        // The kernel's PASS and FAIL boots, each FAIL told whether a boot of the kernel in its series
        // passed in any lab: one pass over them, whatever the plan of a join would guess.
        String kernel = "SELECT f.*, bool_or(f.status = 'PASS') OVER (PARTITION BY " + withoutLab("f") + ") AS conflict "
                + "FROM boot AS f WHERE f.job = j.job AND f.kernel = j.kernel AND f.status IN ('PASS', 'FAIL')";
        // Each series' newest FAIL of the kernel without a conflict: if it does not regress, no older one does.
        String newest = "SELECT DISTINCT ON (" + series("f") + ") f.* FROM (" + kernel + ") AS f WHERE f.status = 'FAIL' "
                + "AND NOT f.conflict ORDER BY " + series("f") + ", f.created_on DESC, f.id DESC";
        String leaves = "SELECT " + leafKeys + ", f.created_on, f.id, r.boots AS v FROM (" + newest + ") AS f "
                + "CROSS JOIN LATERAL (" + regression("f", "true", Collections.BOOT.fields()) + ") AS r";
        String level = "SELECT DISTINCT ON (" + keyList + ") " + keyList + ", v FROM (" + leaves + ") AS leaves "
                + "WHERE v IS NOT NULL ORDER BY " + keyList + ", created_on DESC, id DESC";
        for (int depth = keys.size() - 1; depth >= 0; depth--) {
            String outer = String.join(", ", keys.subList(0, depth));
            String key = keys.get(depth);
            String aggregate = "json_object_agg(" + key + ", v ORDER BY " + key + " COLLATE \"C\")";
            level = depth == 0 ? "SELECT " + aggregate + " AS regressions FROM (" + level + ") AS l" + depth
                    : "SELECT " + outer + ", " + aggregate + " AS v FROM (" + level + ") AS l" + depth + " GROUP BY " + outer;
        }
        return level;
    }

    /**
     * The regression of the boot {@code boot} when {@code regresses} holds of it (a FAIL boot, its
     * lab conflicts the caller's: {@link #passedInKernel}): a query of one row, {@code boots} a
     * json array of documents with these fields, oldest first, or null when no PASS of its series
     * came before it. Aggregated, it is computed once per boot where it joins.
     * <p>
     * The PASS is the newest of the series' hash before the boot, probed in the index, and the
     * one before while a probe finds another series of the same hash: each probe filters on the
     * index's columns only, so that no guess about the keys' selectivity turns it into a sort of
     * the series' history.
     */
    private static String regression(String boot, String regresses, List<Field> fields) {
        String before = "p.status = 'PASS' AND " + seriesHash("p") + " = " + seriesHash(boot) + " AND (p.created_on, p.id) < ";
        String newest = " ORDER BY p.created_on DESC, p.id DESC LIMIT 1";
        String probe = "(SELECT p.*, " + series("p") + " = " + series(boot) + " AS member FROM boot AS p WHERE " + regresses
                + " AND " + before + "(" + boot + ".created_on, " + boot + ".id)" + newest + ") UNION ALL SELECT n.*, "
                + series("n") + " = " + series(boot) + " FROM probe AS c CROSS JOIN LATERAL (SELECT p.* FROM boot AS p "
                + "WHERE " + before + "(c.created_on, c.id)" + newest + ") AS n WHERE NOT c.member";
        String fails = "SELECT " + DocumentJson.of(fields, "r") + " AS doc, r.created_on, r.id FROM pass, boot AS r WHERE "
                + seriesHash("r") + " = " + seriesHash(boot) + " AND r.status = 'FAIL' AND (r.created_on, r.id) > "
                + "(pass.created_on, pass.id) AND (r.created_on, r.id) <= (" + boot + ".created_on, " + boot + ".id) AND "
                + series("r") + " = " + series(boot);
        return "WITH RECURSIVE probe AS (" + probe + "), pass AS (SELECT * FROM probe WHERE member) "
                + "SELECT json_agg(d.doc ORDER BY d.created_on, d.id) AS boots FROM (SELECT "
                + DocumentJson.of(fields, "pass") + " AS doc, pass.created_on, pass.id FROM pass UNION ALL " + fails
                + ") AS d";
    }

    /**
     * A boot of {@code boot}'s kernel in its series, whatever the lab, that passed: a lab
     * conflict, which makes none of the series' FAILs of that kernel a regression.
     */
    private static String passedInKernel(String boot) {
        return "SELECT 1 FROM boot AS o WHERE o.kernel = " + boot + ".kernel AND o.status = 'PASS' AND "
                + withoutLab("o") + " = " + withoutLab(boot);
    }

    /** The expression of migration V12's index {@code boot_series}, over the row {@code alias}. */
    static String seriesHash(String alias) {
        return "hash_array(" + series(alias) + ")";
    }

    private static String series(String alias) {
        return "ARRAY[" + alias + ".job, " + alias + ".git_branch, " + alias + ".lab_name, " + alias + ".arch, " + alias
                + ".board, " + alias + ".defconfig_full, " + toolchain(alias) + "]";
    }

    private static String withoutLab(String alias) {
        return "ARRAY[" + alias + ".job, " + alias + ".git_branch, " + alias + ".arch, " + alias + ".board, " + alias
                + ".defconfig_full, " + toolchain(alias) + "]";
    }

    private static String toolchain(String alias) {
        return String.format(TOOLCHAIN, alias);
    }
}
