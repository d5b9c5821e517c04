package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.plan.DistinctPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.RollupCount;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.ListIndex;

/**
 * Compiles plans into PostgreSQL. Every bind is cast to its column's type so that the column's
 * index applies; repeated values bind as one array ({@code = ANY(?)}). Rows are ordered by the
 * sort fields and then by {@code _id} in the same direction, so paging is stable.
 */
public final class SqlCompiler {
    private SqlCompiler() {
    }

    /**
     * The documents of a list or by-id plan, projected, ordered and paged. One plan serves every
     * id of a plan that selects by its id (the primary key), every value of a list that walks
     * a {@link ListIndex}, and every read of a collection planned once; any other list is planned
     * for its values.
     */
    public static SqlQuery select(QueryPlan plan) {
        List<Object> binds = new ArrayList<>();
        String where = where(plan.conditions(), binds);
        String columns = columns(plan.projection());
        String table = Sources.from(plan.collection(), plan.conditions());
        StringBuilder sql = new StringBuilder();
        if (plan.aggregate().isEmpty()) {
            sql.append("SELECT ").append(columns).append(" FROM ").append(table).append(where)
                    .append(orderBy(plan, plan.sort()));
        } else {
            // One row per distinct aggregate value: the first in sort order, then sorted again.
            List<Field> inner = new ArrayList<>(plan.projection());
            for (Field field : plan.sort()) {
                if (!inner.contains(field)) {
                    inner.add(field);
                }
            }
            Field id = plan.collection().idField();
            if (!inner.contains(id)) {
                inner.add(id);
            }
            sql.append("SELECT ").append(columns).append(" FROM (SELECT DISTINCT ON (")
                    .append(names(plan.aggregate())).append(") ").append(columns(inner))
                    .append(" FROM ").append(table).append(where)
                    .append(" ORDER BY ").append(names(plan.aggregate())).append(", ")
                    .append(orderTerms(plan, plan.sort()))
                    .append(") AS groups").append(orderBy(plan, plan.sort()));
        }
        sql.append(" LIMIT ? OFFSET ?");
        binds.add(plan.limit());
        binds.add(plan.skip());
        return new SqlQuery(sql.toString(), binds, byId(plan) || walksListIndex(plan) || plan.collection().plannedOnce());
    }

    private static boolean byId(QueryPlan plan) {
        Field id = plan.collection().idField();
        return plan.aggregate().isEmpty() && plan.conditions().stream().anyMatch(condition -> id.equals(oneValue(condition)));
    }

    /**
     * Whether the list filters on exactly the leading fields of one of its collection's
     * {@link ListIndex}es, one value each, and at most on a range of the field it then orders by,
     * and is sorted by that field: walked in order, one plan serves all its values.
     */
    private static boolean walksListIndex(QueryPlan plan) {
        if (!plan.aggregate().isEmpty() || plan.sort().size() != 1) {
            return false;
        }
        Field order = plan.sort().get(0);
        for (ListIndex index : plan.collection().listIndexes()) {
            if (index.order().equals(order) && filtersExactly(plan.conditions(), index)) {
                return true;
            }
        }
        return false;
    }

    private static boolean filtersExactly(List<Condition> conditions, ListIndex index) {
        Set<Field> equal = new HashSet<>();
        for (Condition condition : conditions) {
            boolean ordered = condition instanceof Condition.Range range && range.field().equals(index.order());
            Field field = oneValue(condition);
            if (!ordered && (field == null || !index.equal().contains(field) || !equal.add(field))) {
                return false;
            }
        }
        return equal.size() == index.equal().size();
    }

    /** The field a condition holds to exactly one value (no OR NULL), else null. */
    private static Field oneValue(Condition condition) {
        return condition instanceof Condition.Match match && match.values().size() == 1 && !match.orNull()
                ? match.field() : null;
    }

    /** How many documents the plan matches, ignoring paging: for aggregates, how many groups. */
    public static SqlQuery count(QueryPlan plan) {
        if (plan.aggregate().isEmpty()) {
            return count(plan.collection(), plan.conditions());
        }
        List<Object> binds = new ArrayList<>();
        String where = where(plan.conditions(), binds);
        String sql = "SELECT count(*) FROM (SELECT DISTINCT " + names(plan.aggregate()) + " FROM "
                + Sources.from(plan.collection(), plan.conditions()) + where + ") AS groups";
        return new SqlQuery(sql, binds);
    }

    /**
     * How many documents of the collection satisfy the conditions: from the per-day rollups when
     * they answer it ({@link RollupCount}), else from the documents.
     */
    public static SqlQuery count(Collection collection, List<Condition> conditions) {
        Optional<RollupCount> rollup = RollupCount.of(collection, conditions);
        return rollup.isPresent() ? rollupCount(rollup.get()) : countRows(collection, conditions);
    }

    /** How many documents satisfy the conditions, counted from the documents themselves. */
    public static SqlQuery countRows(Collection collection, List<Condition> conditions) {
        List<Object> binds = new ArrayList<>();
        String where = where(conditions, binds);
        return new SqlQuery("SELECT count(*) FROM " + Sources.from(collection, conditions) + where, binds,
                collection.plannedOnce());
    }

    /**
     * The sum of a grouping's per-day counts whose values match or fall in the ranges, over whole
     * days. The grouping's number is the declarations' own constant, not a value of the request:
     * written into the text, it lets one plan, made once, use the grouping's partial index.
     */
    public static SqlQuery rollupCount(RollupCount count) {
        List<Object> binds = new ArrayList<>();
        StringJoiner and = new StringJoiner(" AND ", " WHERE ", "");
        and.add("\"grouping\" = " + count.rollup().grouping());
        for (Condition condition : count.grouped()) {
            and.add(predicate(condition, binds));
        }
        if (count.from() != null) {
            and.add("\"day\" >= ?::date");
            binds.add(count.from());
        }
        if (count.until() != null) {
            and.add("\"day\" < ?::date");
            binds.add(count.until());
        }
        return new SqlQuery("SELECT coalesce(sum(\"n\"), 0)::bigint FROM " + quote(count.collection().rollupTable()) + and,
                binds, true);
    }

    /**
     * Folds the collection's fresh per-day deltas into one row per key (the sums stay the same),
     * one folder at a time.
     */
    public static String foldRollups(Collection collection) {
        StringJoiner columns = new StringJoiner(", ");
        columns.add("\"grouping\"").add("\"day\"");
        for (Field field : collection.rollupDimensions()) {
            columns.add(quote(field.column()));
        }
        String table = quote(collection.rollupTable());
        return "WITH fresh AS (DELETE FROM " + table + " WHERE \"fresh\" RETURNING " + columns + ", \"n\") "
                + "INSERT INTO " + table + " (" + columns + ", \"n\", \"fresh\") SELECT " + columns + ", sum(\"n\"), false "
                + "FROM fresh GROUP BY " + columns + " ON CONFLICT (" + columns + ") WHERE NOT \"fresh\" "
                + "DO UPDATE SET \"n\" = " + table + ".\"n\" + EXCLUDED.\"n\"";
    }

    /** The distinct values of the plan's field, sorted, null left out, at most its limit. */
    public static SqlQuery distinct(DistinctPlan plan) {
        List<Object> binds = new ArrayList<>();
        String column = quote(plan.field().column());
        String sql = "SELECT DISTINCT " + column + " FROM " + Sources.from(plan.collection(), plan.conditions())
                + notNull(where(plan.conditions(), binds), column) + " ORDER BY " + column + " LIMIT ?";
        binds.add(plan.limit());
        return new SqlQuery(sql, binds);
    }

    /** How many distinct values, null left out, the plan's field has. */
    public static SqlQuery countDistinct(DistinctPlan plan) {
        List<Object> binds = new ArrayList<>();
        String where = where(plan.conditions(), binds);
        return new SqlQuery("SELECT count(DISTINCT " + quote(plan.field().column()) + ") FROM "
                + Sources.from(plan.collection(), plan.conditions()) + where, binds);
    }

    /**
     * How many committed transactions have written to each table (rows of {@code change_count},
     * summed): what conditional requests compare. All tables, no binds: a 304 runs this and little else.
     */
    public static SqlQuery changeCounts() {
        return new SqlQuery("SELECT collection, sum(changes)::bigint FROM change_count GROUP BY collection", List.of(),
                true);
    }

    private static String notNull(String where, String column) {
        return (where.isEmpty() ? " WHERE " : where + " AND ") + column + " IS NOT NULL";
    }

    /** {@code WHERE} and the conditions, their values added to the binds; empty for none. */
    static String where(List<Condition> conditions, List<Object> binds) {
        if (conditions.isEmpty()) {
            return "";
        }
        StringJoiner and = new StringJoiner(" AND ", " WHERE ", "");
        for (Condition condition : conditions) {
            and.add(predicate(condition, binds));
        }
        return and.toString();
    }

    private static String predicate(Condition condition, List<Object> binds) {
        if (condition instanceof Condition.Match match) {
            return match(match, binds);
        }
        if (condition instanceof Condition.Range range) {
            binds.add(range.value());
            return quote(range.field().column()) + " " + range.comparison().sql() + " " + placeholder(range.field());
        }
        return "FALSE";
    }

    private static String match(Condition.Match match, List<Object> binds) {
        Field field = match.field();
        String column = quote(field.column());
        String equality = null;
        if (match.values().size() == 1) {
            binds.add(match.values().get(0));
            equality = column + " = " + placeholder(field);
        } else if (match.values().size() > 1) {
            binds.add(new SqlArray(field.type().sqlType(), match.values()));
            equality = column + " = ANY(?::" + field.type().sqlType() + "[])";
        }
        if (!match.orNull()) {
            return equality;
        }
        String isNull = column + " IS NULL";
        return equality == null ? isNull : "(" + equality + " OR " + isNull + ")";
    }

    private static String placeholder(Field field) {
        return "?::" + field.type().sqlType();
    }

    private static String orderBy(QueryPlan plan, List<Field> sort) {
        return " ORDER BY " + orderTerms(plan, sort);
    }

    private static String orderTerms(QueryPlan plan, List<Field> sort) {
        Field id = plan.collection().idField();
        String direction = plan.sort().isEmpty() || !plan.descending() ? " ASC" : " DESC";
        StringJoiner terms = new StringJoiner(", ");
        for (Field field : sort) {
            if (field != id) {
                terms.add(quote(field.column()) + direction);
            }
        }
        terms.add(quote(id.column()) + direction);
        return terms.toString();
    }

    private static String columns(List<Field> fields) {
        return fields.isEmpty() ? "NULL" : names(fields);
    }

    private static String names(List<Field> fields) {
        StringJoiner names = new StringJoiner(", ");
        for (Field field : fields) {
            names.add(quote(field.column()));
        }
        return names.toString();
    }
}
