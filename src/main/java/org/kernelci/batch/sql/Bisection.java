package org.kernelci.batch.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.kernelci.batch.plan.BisectPlan;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * A bisection (CONTRACT.md section 12.4) as one statement, computed in the read's snapshot: the
 * start's status (a PASS cannot be bisected) and its document, or no row when there is no start.
 * <p>
 * The chain is the start, then the documents of its keys created before it (by created_on, then
 * _id), newest first, up to and with the first PASS (all of them when none passed). It is walked
 * back from the start one probe at a time in the index {@code build_bisect} or {@code boot_bisect}
 * (migration V12: a hash of the keys but git_branch, then created_on and _id), each probe the
 * newest entry of the hash before the last one, the keys and git_branch checked on the document
 * it finds: a probe that filters on the index's columns alone is an index probe whatever the
 * planner guesses of the keys' selectivity, so that a bisection costs its chain (and the
 * documents of the job's other branches between), never the history of its keys. The compared
 * job's items, whatever their branch, are one range of the same index.
 */
public final class Bisection {
    /** The columns the statement yields: the start's status and the document. */
    public static final List<Field> COLUMNS = List.of(new Field("status", "status", FieldType.TEXT),
            new Field("document", "document", FieldType.JSON));
    /** Besides job and git_branch, the keys a chain shares, as migration V12's indexes list them. */
    private static final List<String> BUILD_KEYS = List.of("arch", "defconfig", "defconfig_full", "build_environment");
    private static final List<String> BOOT_KEYS = List.of("lab_name", "board", "arch", "defconfig", "defconfig_full",
            "build_environment");
    /** The members of a build's item in {@code bisect_data}, as the build's own document has them. */
    private static final List<String> BUILD_ITEM = List.of("_id", "job", "job_id", "kernel", "arch", "defconfig",
            "defconfig_full", "git_branch", "git_commit", "git_describe", "git_url", "created_on", "status");

    private Bisection() {
    }

    public static SqlQuery of(BisectPlan plan) {
        boolean boot = plan.start() == Collections.BOOT;
        String table = boot ? "boot" : "build";
        List<Object> binds = new ArrayList<>();
        binds.add(plan.id());
        binds.add(plan.compareTo().orElse(null));
        // The chain walked back from the start one index probe at a time, through the first PASS; a
        // probe filters on the index's columns only (see the class comment), and its document is
        // a member of the chain when the keys and git_branch are the start's.
        StringBuilder sql = new StringBuilder("WITH RECURSIVE s AS (SELECT * FROM ").append(table)
                .append(" WHERE id = ?::char(24)), target AS (SELECT ?::text AS job), ")
                .append("walk AS (SELECT s.*, true AS member FROM s UNION ALL SELECT n.*, ").append(sameChain(plan, "n"))
                .append(" FROM walk AS c, s CROSS JOIN LATERAL (SELECT b.* FROM ").append(table).append(" AS b WHERE ")
                .append(hash(plan, "b", "b.job")).append(" = ").append(hash(plan, "s", "s.job"))
                .append(" AND (b.created_on, b.id) < (c.created_on, c.id) ORDER BY b.created_on DESC, b.id DESC LIMIT 1) AS n ")
                .append("WHERE NOT (c.member AND c.status = 'PASS')), ")
                .append("chain AS (SELECT * FROM walk WHERE member), pass AS (SELECT * FROM chain WHERE status = 'PASS')");
        if (plan.compareTo().isPresent()) {
            // The compared job's items, any branch, from the plain chain's oldest up to the start, as many.
            sql.append(", compared AS (SELECT c.* FROM s, target, ").append(table).append(" AS c WHERE ")
                    .append(hash(plan, "c", "c.job")).append(" = ").append(hash(plan, "s", "target.job")).append(" AND ")
                    .append(keys(plan, "c", "c.job")).append(" = ").append(keys(plan, "s", "target.job"))
                    .append(" AND c.created_on < s.created_on AND c.created_on >= (SELECT min(created_on) FROM chain) ")
                    .append("ORDER BY c.created_on DESC, c.id DESC LIMIT (SELECT count(*) FROM chain))");
        }
        String items = plan.compareTo().isPresent() ? "compared" : "chain";
        sql.append(" SELECT s.status, CASE WHEN s.status = 'PASS' THEN NULL ELSE ").append(document(plan, items))
                .append(" END FROM s, target");
        if (boot) {
            sql.append(" LEFT JOIN (SELECT d.* FROM s AS x, LATERAL (").append(buildOf("x"))
                    .append(") AS d) AS bad ON true LEFT JOIN (SELECT d.* FROM pass AS x, LATERAL (")
                    .append(buildOf("x")).append(") AS d) AS good ON true");
        } else {
            sql.append(" LEFT JOIN pass AS good ON true");
        }
        return new SqlQuery(sql.toString(), binds);
    }

    /** The document's members the plan asks for, from the start {@code s}, its {@code bad} and {@code good} builds. */
    private static String document(BisectPlan plan, String items) {
        boolean boot = plan.start() == Collections.BOOT;
        boolean compared = plan.compareTo().isPresent();
        // A build's bisection: the start is its bad build, the PASS its good one.
        String bad = boot ? "bad" : "s";
        List<String> members = new ArrayList<>();
        for (BisectPlan.Member member : plan.members()) {
            String value = switch (member) {
                case TYPE -> boot ? "'boot'::text" : "'build'::text";
                case VERSION -> "'1.0'::text";
                case CREATED_ON -> DocumentJson.value(FieldType.TIMESTAMP, "now()");
                case JOB -> "s.job";
                case JOB_ID -> DocumentJson.value(FieldType.OBJECT_ID, "s.job_id");
                case KERNEL -> "s.kernel";
                case ARCH -> "s.arch";
                case DEFCONFIG -> "s.defconfig";
                case DEFCONFIG_FULL -> "s.defconfig_full";
                case BUILD_ENVIRONMENT -> "s.build_environment";
                case COMPILER -> "s.compiler";
                case COMPILER_VERSION -> "s.compiler_version";
                case GIT_BRANCH -> "s.git_branch";
                case GIT_URL -> "s.git_url";
                case BUILD_ID -> DocumentJson.value(FieldType.OBJECT_ID, boot ? "s.defconfig_id" : "s.id");
                case BAD_COMMIT -> compared ? "NULL::text" : bad + ".git_commit";
                case BAD_COMMIT_DATE -> compared ? "NULL::json" : DocumentJson.value(FieldType.TIMESTAMP, bad + ".created_on");
                case BAD_COMMIT_URL -> compared ? "NULL::text" : bad + ".git_url";
                case GOOD_COMMIT -> compared ? "NULL::text" : "good.git_commit";
                case GOOD_COMMIT_DATE -> compared ? "NULL::json" : DocumentJson.value(FieldType.TIMESTAMP, "good.created_on");
                case GOOD_COMMIT_URL -> compared ? "NULL::text" : "good.git_url";
                case COMPARE_TO -> "target.job";
                case BISECT_DATA -> items(plan, items);
                case PLAN, PLAN_VARIANT, GOOD_SUMMARY, BAD_SUMMARY, FOUND_SUMMARY, LOG -> "NULL::text";
                case CHECKS -> "'{}'::json";
                case BOARD -> "s.board";
                case BOOT_ID -> DocumentJson.value(FieldType.OBJECT_ID, "s.id");
                case LAB_NAME -> "s.lab_name";
                case DEVICE_TYPE -> "s.device_type";
            };
            members.add(DocumentJson.literal(member.wireName()) + ", " + value);
        }
        return DocumentJson.object(members, null);
    }

    /** {@code bisect_data}: the items of {@code chain} or {@code compared}, newest first. */
    private static String items(BisectPlan plan, String items) {
        if (plan.start() != Collections.BOOT) {
            List<Field> fields = BUILD_ITEM.stream().map(name -> Collections.DEFCONFIG.field(name).orElseThrow()).toList();
            return "(SELECT coalesce(json_agg(" + DocumentJson.of(fields, "c") + " ORDER BY c.created_on DESC, c.id DESC), "
                    + "'[]'::json) FROM " + items + " AS c)";
        }
        // A boot's item: the boot and its build (d).
        List<String> members = List.of(
                member("boot_id", Collections.BOOT, "_id", "c"), member("boot_created_on", Collections.BOOT, "created_on", "c"),
                member("boot_status", Collections.BOOT, "status", "c"), member("boot_metadata", Collections.BOOT, "metadata", "c"),
                member("board", Collections.BOOT, "board", "c"), member("lab_name", Collections.BOOT, "lab_name", "c"),
                member("job", Collections.BOOT, "job", "c"), member("job_id", Collections.BOOT, "job_id", "c"),
                member("kernel", Collections.BOOT, "kernel", "c"), member("defconfig", Collections.BOOT, "defconfig", "c"),
                member("defconfig_full", Collections.BOOT, "defconfig_full", "c"),
                member("build_id", Collections.BOOT, "build_id", "c"),
                member("build_arch", Collections.DEFCONFIG, "arch", "d"),
                member("build_created_on", Collections.DEFCONFIG, "created_on", "d"),
                member("build_status", Collections.DEFCONFIG, "status", "d"),
                member("dirname", Collections.DEFCONFIG, "dirname", "d"),
                member("git_branch", Collections.DEFCONFIG, "git_branch", "d"),
                member("git_commit", Collections.DEFCONFIG, "git_commit", "d"),
                member("git_describe", Collections.DEFCONFIG, "git_describe", "d"),
                member("git_url", Collections.DEFCONFIG, "git_url", "d"));
        return "(SELECT coalesce(json_agg(" + DocumentJson.object(members, null) + " ORDER BY c.created_on DESC, c.id DESC), "
                + "'[]'::json) FROM " + items + " AS c LEFT JOIN LATERAL (" + buildOf("c") + ") AS d ON true)";
    }

    /** {@code 'name', value}: a field of the collection, of the row {@code alias}, as its documents have it. */
    private static String member(String name, Collection collection, String field, String alias) {
        Field declared = collection.field(field).orElseThrow();
        return DocumentJson.literal(name) + ", " + DocumentJson.value(declared.type(), alias + "." + Identifiers.quote(
                declared.column()));
    }

    /**
     * The build of the boot {@code boot}: the one its {@code build_id} names, else (none named) the
     * newest with its job, kernel, defconfig_full and arch.
     */
    private static String buildOf(String boot) {
        return "SELECT d.* FROM build AS d WHERE d.id = " + boot + ".defconfig_id UNION ALL (SELECT d.* FROM build AS d "
                + "WHERE " + boot + ".defconfig_id IS NULL AND d.kernel = " + boot + ".kernel AND d.job = " + boot
                + ".job AND d.defconfig_full = " + boot + ".defconfig_full AND d.arch = " + boot + ".arch "
                + "ORDER BY d.created_on DESC, d.id DESC LIMIT 1) LIMIT 1";
    }

    /** Whether the row {@code row} has the start's keys and git_branch. */
    private static String sameChain(BisectPlan plan, String row) {
        return keys(plan, row, row + ".job") + " = " + keys(plan, "s", "s.job") + " AND " + row
                + ".git_branch IS NOT DISTINCT FROM s.git_branch";
    }

    /** The expression of migration V12's index for the plan's collection, over the row {@code alias} with this job. */
    static String hash(BisectPlan plan, String alias, String job) {
        return "hash_array(" + keys(plan, alias, job) + ")";
    }

    private static String keys(BisectPlan plan, String alias, String job) {
        List<String> keys = plan.start() == Collections.BOOT ? BOOT_KEYS : BUILD_KEYS;
        return "ARRAY[" + job + ", " + keys.stream().map(key -> alias + "." + key).collect(Collectors.joining(", ")) + "]";
    }
}
