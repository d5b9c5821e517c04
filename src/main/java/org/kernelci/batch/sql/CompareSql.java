package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.kernelci.batch.plan.CompareKind;
import org.kernelci.batch.plan.ComparePlan;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

/**
 * The SQL of comparisons (CONTRACT.md section 12.5), read in one snapshot: for builds and boots,
 * the newest document of each target; for jobs, each job's members and totals, then the
 * differences among their builds, computed by PostgreSQL so that only the answer leaves it. And
 * the kept requests' two statements.
 * <p>
 * Jobs: a job's builds are numbered by its place in the comparison ({@code position}: the
 * baseline 0, the targets from 1). Its members are those of its first build by {@code defconfig}
 * (null first, then by code point) and {@code _id}. A key {@code [defconfig, defconfig_full, arch,
 * build_environment]} differs when some job has no build of it, or their newest builds of it (by
 * {@code created_on}, then {@code _id}) differ in status; keys are ordered as a job's first build,
 * member by member.
 */
public final class CompareSql {
    /** A job's builds, as the comparison reads them. */
    private static final List<String> BUILD_COLUMNS = List.of("_id", "created_on", "job", "kernel", "job_id", "git_branch",
            "git_commit", "git_describe", "git_url", "defconfig", "defconfig_full", "arch", "build_environment", "status");
    /** A build's key among the jobs' builds. */
    private static final List<String> KEY = List.of("defconfig", "defconfig_full", "arch", "build_environment");

    private CompareSql() {
    }

    /** The statements of a comparison, in the order {@link #projection} describes their rows. */
    public static List<SqlQuery> statements(ComparePlan plan) {
        if (plan.kind() == CompareKind.JOB) {
            return List.of(jobs(plan), delta(plan));
        }
        List<SqlQuery> statements = new ArrayList<>();
        for (ComparePlan.Target target : plan.targets()) {
            statements.add(SqlCompiler.select(plan.newest(target)));
        }
        return statements;
    }

    /** The columns of statement {@code index}'s rows. */
    public static List<Field> projection(ComparePlan plan, int index) {
        if (plan.kind() == CompareKind.JOB) {
            return index == 0 ? ComparePlan.JOB_MEMBERS : List.of(ComparePlan.DELTA);
        }
        return plan.newest(plan.targets().get(index)).projection();
    }

    /** Keeps a request under its id, unless it is kept already: one row changed, or none. */
    public static SqlQuery keep(ComparePlan plan) {
        return new SqlQuery("INSERT INTO compare_request (id, kind, request, created_on) "
                + "VALUES (?::char(24), ?::text, ?::jsonb, now()) ON CONFLICT (id) DO NOTHING",
                List.of(plan.id(), plan.kind().route(), plan.request()));
    }

    /** The request kept under an id for a kind: none, or its JSON. */
    public static SqlQuery kept(CompareKind kind, String id) {
        return new SqlQuery("SELECT request::text FROM compare_request WHERE id = ?::char(24) AND kind = ?::text",
                List.of(id, kind.route()));
    }

    /**
     * One row per job, in order: its first build's members (null when it has none), its number
     * of builds and {@code [PASS, FAIL, other]}.
     */
    private static SqlQuery jobs(ComparePlan plan) {
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder(chosen(plan, binds));
        StringJoiner columns = new StringJoiner(", ");
        for (Field field : ComparePlan.JOB_MEMBERS) {
            if (field.isStored()) {
                columns.add("f." + quote(field.column()));
            }
        }
        sql.append(" SELECT ").append(columns)
                .append(", coalesce(t.total, 0)::integer AS total_builds, jsonb_build_array(coalesce(t.passed, 0), "
                        + "coalesce(t.failed, 0), coalesce(t.other, 0)) AS build_counts")
                .append(" FROM generate_series(0, ?::integer) AS p(position)")
                .append(" LEFT JOIN (SELECT position, count(*) AS total,"
                        + " count(*) FILTER (WHERE status = 'PASS') AS passed,"
                        + " count(*) FILTER (WHERE status = 'FAIL') AS failed,"
                        + " count(*) FILTER (WHERE status IS NULL OR status NOT IN ('PASS', 'FAIL')) AS other"
                        + " FROM chosen GROUP BY position) AS t ON t.position = p.position")
                .append(" LEFT JOIN (SELECT DISTINCT ON (position) * FROM chosen ORDER BY position, ")
                .append(ascending(column("defconfig"))).append(", ").append(column("_id"))
                .append(") AS f ON f.position = p.position ORDER BY p.position");
        binds.add(plan.targets().size() - 1);
        return new SqlQuery(sql.toString(), binds);
    }

    /**
     * One row, one column: the keys whose newest builds differ among the jobs, each with a cell per
     * job, {@code [status, {"$oid": id}]} or null.
     */
    private static SqlQuery delta(ComparePlan plan) {
        List<Object> binds = new ArrayList<>();
        StringJoiner key = new StringJoiner(", ");
        StringJoiner differing = new StringJoiner(", ");
        StringJoiner byKey = new StringJoiner(", ");
        for (String name : KEY) {
            key.add(column(name));
            differing.add("d." + column(name));
            byKey.add(ascending("d." + column(name)));
        }
        String status = column("status");
        String id = column("_id");
        String sql = chosen(plan, binds)
                + ", newest AS (SELECT DISTINCT ON (position, " + key + ") position, " + key + ", " + status + ", " + id
                + " FROM chosen ORDER BY position, " + key + ", " + column("created_on") + " DESC, " + id + " DESC)"
                + ", differing AS (SELECT " + key + ", jsonb_object_agg(position::text, jsonb_build_array(" + status
                + ", jsonb_build_object('$oid', " + id + "))) AS cells FROM newest GROUP BY " + key
                + " HAVING count(*) < ?::integer OR count(DISTINCT " + status + ") > 1 OR count(" + status
                + ") NOT IN (0, count(*)))"
                + " SELECT coalesce(jsonb_agg(jsonb_build_array(jsonb_build_array(" + differing
                + "), (SELECT jsonb_agg(coalesce(d.cells -> p.position::text, 'null'::jsonb) ORDER BY p.position)"
                + " FROM generate_series(0, ?::integer) AS p(position))) ORDER BY " + byKey + "), '[]'::jsonb) AS "
                + quote(ComparePlan.DELTA.column()) + " FROM differing AS d";
        binds.add(plan.targets().size());
        binds.add(plan.targets().size() - 1);
        return new SqlQuery(sql, binds);
    }

    /** {@code WITH chosen AS (...)}: each job's builds, numbered by its place. */
    private static String chosen(ComparePlan plan, List<Object> binds) {
        StringJoiner columns = new StringJoiner(", ");
        for (String name : BUILD_COLUMNS) {
            columns.add(column(name));
        }
        StringJoiner jobs = new StringJoiner(" UNION ALL ", "WITH chosen AS (", ")");
        for (int i = 0; i < plan.targets().size(); i++) {
            binds.add(i);
            jobs.add("SELECT ?::integer AS position, " + columns + " FROM " + Sources.from(Collections.DEFCONFIG)
                    + SqlCompiler.where(plan.targets().get(i).conditions(), binds));
        }
        return jobs.toString();
    }

    /** Ascending by code point, null first, as the original's sort placed a missing member. */
    private static String ascending(String column) {
        return column + " COLLATE \"C\" NULLS FIRST";
    }

    /** A build field's column. */
    private static String column(String name) {
        return quote(Collections.DEFCONFIG.field(name).orElseThrow().column());
    }
}
