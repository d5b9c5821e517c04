package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.List;
import java.util.StringJoiner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Rollup;

/**
 * The statistics view (CONTRACT.md section 12.2): one document computed at each read, as of the
 * read's time t (its transaction's), with the totals of jobs, builds and boots and their distinct
 * trees, kernels, defconfigs, archs, boards and machs, now and as of t − 1, 7 and 14 days. The
 * original computed it once a day; here it costs a few index probes per distinct value and a
 * sum of per-day rollups, so that it is exact at every read and still cheap on millions of boots:
 * <ul>
 * <li>a total as of an instant is the per-day rollups' sum over the whole days before it, plus
 *     the documents of its own day up to it;</li>
 * <li>a distinct count of builds and boots walks an index on (value, created_on) one value at a
 *     time (a recursive "skip scan"): each value's first entry is its first document, and a value
 *     counts as of an instant when that document came before it;</li>
 * <li>jobs are few (one per tree and kernel) and their kernels nearly all distinct, which a walk
 *     would visit one by one: their distinct counts are counted plainly.</li>
 * </ul>
 */
final class Statistics {
    /** The instants a document's members are counted as of, and their members' prefixes. */
    private static final List<String> PREFIXES = List.of("daily", "weekly", "biweekly");
    private static final List<Integer> DAYS_BEFORE = List.of(1, 7, 14);

    private Statistics() {
    }

    static String sql() {
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        select.add("lpad(to_hex(floor(extract(epoch FROM clock.t))::bigint), 8, '0') || '0000000000000000' AS id")
                .add("clock.t AS created_on").add("'1.0'::text AS version")
                .add("(SELECT min(created_on) FROM job) AS start_date");
        StringJoiner from = new StringJoiner(" CROSS JOIN LATERAL ", " FROM (SELECT now() AS t) AS clock CROSS JOIN LATERAL ", "");
        total(select, from, Collections.JOB, "jobs");
        total(select, from, Collections.DEFCONFIG, "builds");
        total(select, from, Collections.BOOT, "boots");
        counted(select, from, Collections.JOB, "job", "trees");
        counted(select, from, Collections.JOB, "kernel", "kernels");
        walked(select, from, Collections.DEFCONFIG, "defconfig", "defconfigs");
        walked(select, from, Collections.BOOT, "arch", "archs");
        walked(select, from, Collections.BOOT, "board", "boards");
        walked(select, from, Collections.BOOT, "mach", "machs");
        return select.toString() + from;
    }

    /**
     * {@code total_<what>} (every document) and {@code <prefix>_total_<what>} (those created before
     * each instant), from the collection's per-day totals and the documents of each instant's day.
     */
    private static void total(StringJoiner select, StringJoiner from, Collection collection, String what) {
        String alias = "total_" + what;
        String rollup = quote(collection.rollupTable());
        int grouping = collection.rollups().stream().filter(r -> r.fields().isEmpty()).findFirst()
                .map(Rollup::grouping).orElseThrow(() -> new IllegalStateException(collection + " has no per-day totals"));
        StringJoiner sums = new StringJoiner(", ", "(SELECT ", "");
        sums.add("coalesce(sum(n), 0)::integer AS all_days");
        StringJoiner days = new StringJoiner(", ");
        for (int i = 0; i < PREFIXES.size(); i++) {
            String before = before(i);
            sums.add("coalesce(sum(n) FILTER (WHERE day < (" + before + " AT TIME ZONE 'UTC')::date), 0)::integer AS whole_" + i);
            days.add("(SELECT count(*)::integer FROM " + quote(collection.table()) + " WHERE created_on >= date_trunc('day', "
                    + before + " AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AND created_on < " + before + ") AS part_" + i);
        }
        from.add(sums + ", " + days + " FROM " + rollup + " WHERE grouping = " + grouping + ") AS " + alias);
        select.add(alias + ".all_days AS " + quote("total_" + what));
        for (int i = 0; i < PREFIXES.size(); i++) {
            select.add(alias + ".whole_" + i + " + " + alias + ".part_" + i + " AS "
                    + quote(PREFIXES.get(i) + "_total_" + what));
        }
    }

    /**
     * {@code total_unique_<what>} and {@code <prefix>_unique_<what>}: the distinct non-null values
     * of a column, each counted as of its first document, found by walking the (column,
     * created_on) index one value at a time.
     */
    private static void walked(StringJoiner select, StringJoiner from, Collection collection, String column,
                               String what) {
        String table = quote(collection.table());
        String value = quote(column);
        String walk = "WITH RECURSIVE firsts (v, first) AS ((SELECT " + value + ", created_on FROM " + table + " WHERE "
                + value + " IS NOT NULL ORDER BY " + value + ", created_on LIMIT 1) UNION ALL SELECT next.v, next.first "
                + "FROM firsts, LATERAL (SELECT " + value + " AS v, created_on AS first FROM " + table + " WHERE " + value
                + " > firsts.v ORDER BY " + value + ", created_on LIMIT 1) AS next) ";
        StringJoiner counts = new StringJoiner(", ", "(" + walk + "SELECT count(*)::integer AS all_values, ", " FROM firsts)");
        for (int i = 0; i < PREFIXES.size(); i++) {
            counts.add("(count(*) FILTER (WHERE first < " + before(i) + "))::integer AS before_" + i);
        }
        unique(select, from, counts.toString(), what);
    }

    /** The same counts, of a column of a small table, counted plainly. */
    private static void counted(StringJoiner select, StringJoiner from, Collection collection, String column,
                                String what) {
        String value = quote(column);
        StringJoiner counts = new StringJoiner(", ", "(SELECT count(DISTINCT " + value + ")::integer AS all_values, ",
                " FROM " + quote(collection.table()) + ")");
        for (int i = 0; i < PREFIXES.size(); i++) {
            counts.add("(count(DISTINCT " + value + ") FILTER (WHERE created_on < " + before(i) + "))::integer AS before_" + i);
        }
        unique(select, from, counts.toString(), what);
    }

    /** {@code total_unique_<what>} and {@code <prefix>_unique_<what>}, from a subquery of the counts. */
    private static void unique(StringJoiner select, StringJoiner from, String counts, String what) {
        String alias = "unique_" + what;
        from.add(counts + " AS " + alias);
        select.add(alias + ".all_values AS " + quote("total_unique_" + what));
        for (int i = 0; i < PREFIXES.size(); i++) {
            select.add(alias + ".before_" + i + " AS " + quote(PREFIXES.get(i) + "_unique_" + what));
        }
    }

    private static String before(int instant) {
        return "(clock.t - interval '" + DAYS_BEFORE.get(instant) + " days')";
    }
}
