package org.kernelci.batch.execute;

import static org.kernelci.batch.execute.CompiledRead.Weighed.unweighed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.kernelci.batch.Problem;
import org.kernelci.batch.plan.BisectPlan;
import org.kernelci.batch.plan.ComparePlan;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.DistinctPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.sql.Bisection;
import org.kernelci.batch.sql.BootRegressions;
import org.kernelci.batch.sql.CompareSql;
import org.kernelci.batch.sql.ReadStatement;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;

/**
 * Each variant of {@link Read}, its statements (made in {@code sql}) and its outcome side by
 * side: a listing is its count and its page, a document its select, counts one count per
 * collection, a comparison its documents' selects ({@link CompareSql}). A new variant does not
 * compile until it has a case here.
 */
final class ReadCompiler implements Read.Cases<CompiledRead> {
    private static final ReadCompiler CASES = new ReadCompiler();

    private ReadCompiler() {
    }

    static CompiledRead compile(Read read) {
        return read.accept(CASES);
    }

    @Override
    public CompiledRead listing(Read.Listing listing) {
        QueryPlan plan = listing.plan();
        ReadStatement.Count count = new ReadStatement.Count(SqlCompiler.count(plan));
        ReadStatement.Rows page = new ReadStatement.Rows(SqlCompiler.select(plan), plan.projection());
        Outcome.Shape shape = plan.aggregate().isEmpty() ? Outcome.Shape.LIST
                : plan.wholeGroups() ? Outcome.Shape.WHOLE_GROUPS : Outcome.Shape.GROUPS;
        boolean streamed = plan.limit() > CursorRows.STREAMED_ROWS;
        CompiledRead.Recipe recipe = streamed
                ? (answers, missing) -> {
                    Supplier<Long> counted = answers.of(count);
                    Supplier<? extends Iterable<Object[]>> rows = answers.streamed(page);
                    return () -> new CompiledRead.Weighed(documents(plan, shape, counted.get(), rows.get()),
                            wanted(plan, counted.get()), 0);
                }
                : (answers, missing) -> {
                    Supplier<Long> counted = answers.of(count);
                    Supplier<List<Object[]>> rows = answers.of(page);
                    return () -> new CompiledRead.Weighed(documents(plan, shape, counted.get(), rows.get()),
                            wanted(plan, counted.get()), Budget.size(rows.get()));
                };
        return new CompiledRead(listing, List.of(count.sql(), page.sql()), streamed, recipe);
    }

    private static Outcome documents(QueryPlan plan, Outcome.Shape shape, long count, Iterable<Object[]> rows) {
        return new Outcome.Documents(count, plan.limit(), plan.skip(), plan.projection(), shape, rows);
    }

    /** The documents of a page, of those that matched. */
    private static long wanted(QueryPlan plan, long count) {
        return Math.max(0, Math.min(count - plan.skip(), plan.limit()));
    }

    @Override
    public CompiledRead byId(Read.ById byId) {
        QueryPlan plan = byId.plan();
        ReadStatement.Rows select = new ReadStatement.Rows(SqlCompiler.select(plan), plan.projection());
        return new CompiledRead(byId, List.of(select.sql()), false, (answers, missing) -> {
            Supplier<List<Object[]>> rows = answers.of(select);
            return () -> {
                if (rows.get().isEmpty()) {
                    return unweighed(missing.apply(byId.id()));
                }
                Object[] row = rows.get().get(0);
                return new CompiledRead.Weighed(new Outcome.Document(plan.projection(), row), 1, Budget.size(row));
            };
        });
    }

    @Override
    public CompiledRead bootRegression(Read.BootRegression regression) {
        ReadStatement.Rows select = new ReadStatement.Rows(BootRegressions.ofBoot(regression.plan()),
                BootRegressions.COLUMNS);
        return new CompiledRead(regression, List.of(select.sql()), false, (answers, missing) -> {
            Supplier<List<Object[]>> rows = answers.of(select);
            return () -> unweighed(rows.get().isEmpty() ? notFound(regression.id())
                    : new Outcome.BootRegression((Integer) rows.get().get(0)[0], (String) rows.get().get(0)[1]));
        });
    }

    @Override
    public CompiledRead bisection(Read.Bisection bisection) {
        BisectPlan plan = bisection.plan();
        ReadStatement.Rows select = new ReadStatement.Rows(Bisection.of(plan), Bisection.COLUMNS);
        return new CompiledRead(bisection, List.of(select.sql()), false, (answers, missing) -> {
            Supplier<List<Object[]>> rows = answers.of(select);
            return () -> unweighed(bisected(plan, rows.get()));
        });
    }

    /** A bisection's document; none without a start, and a start that passed cannot be bisected (400). */
    private static Outcome bisected(BisectPlan plan, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return notFound(plan.id());
        }
        if ("PASS".equals(rows.get(0)[0])) {
            return new Outcome.Failure(Problem.clientError((plan.start() == Collections.BOOT ? "Boot report '" : "Build '") + plan.id()
                    + "' cannot be bisected: is it failed?"));
        }
        return new Outcome.Bisection((String) rows.get(0)[1]);
    }

    @Override
    public CompiledRead distinct(Read.Distinct distinct) {
        DistinctPlan plan = distinct.plan();
        ReadStatement.Count count = new ReadStatement.Count(SqlCompiler.countDistinct(plan));
        ReadStatement.Rows values = new ReadStatement.Rows(SqlCompiler.distinct(plan), List.of(plan.field()));
        return new CompiledRead(distinct, List.of(count.sql(), values.sql()), false, (answers, missing) -> {
            Supplier<Long> counted = answers.of(count);
            Supplier<List<Object[]>> rows = answers.of(values);
            return () -> {
                List<Object> distinctValues = new ArrayList<>();
                for (Object[] row : rows.get()) {
                    distinctValues.add(row[0]);
                }
                return unweighed(new Outcome.Values(plan.field(), counted.get(), distinctValues));
            };
        });
    }

    @Override
    public CompiledRead countDistinct(Read.CountDistinct countDistinct) {
        ReadStatement.Count count = new ReadStatement.Count(SqlCompiler.countDistinct(countDistinct.plan()));
        return new CompiledRead(countDistinct, List.of(count.sql()), false, (answers, missing) -> {
            Supplier<Long> counted = answers.of(count);
            return () -> unweighed(new Outcome.DistinctCount(countDistinct.field(), countDistinct.name(), counted.get()));
        });
    }

    @Override
    public CompiledRead compare(Read.Compare compare) {
        ComparePlan plan = compare.plan();
        List<SqlQuery> sql = CompareSql.statements(plan);
        List<ReadStatement.Rows> selects = new ArrayList<>(sql.size());
        for (int i = 0; i < sql.size(); i++) {
            selects.add(new ReadStatement.Rows(sql.get(i), CompareSql.projection(plan, i)));
        }
        return new CompiledRead(compare, sql, false, (answers, missing) -> {
            List<Supplier<List<Object[]>>> rows = new ArrayList<>(selects.size());
            for (ReadStatement.Rows select : selects) {
                rows.add(answers.of(select));
            }
            return () -> unweighed(Comparisons.outcome(plan, rows.stream().map(Supplier::get).toList()));
        });
    }

    @Override
    public CompiledRead count(Read.Count count) {
        List<CountPlan.Target> targets = count.plan().targets();
        List<ReadStatement.Count> counts = new ArrayList<>(targets.size());
        for (CountPlan.Target target : targets) {
            counts.add(new ReadStatement.Count(SqlCompiler.count(target.collection(), target.conditions())));
        }
        return new CompiledRead(count, counts.stream().map(ReadStatement.Count::sql).toList(), false,
                (answers, missing) -> {
                    List<Supplier<Long>> counted = new ArrayList<>(counts.size());
                    for (ReadStatement.Count statement : counts) {
                        counted.add(answers.of(statement));
                    }
                    return () -> {
                        List<Outcome.Tally> tallies = new ArrayList<>(targets.size());
                        for (int i = 0; i < targets.size(); i++) {
                            tallies.add(new Outcome.Tally(targets.get(i).name(), counted.get(i).get()));
                        }
                        return unweighed(new Outcome.Counts(tallies));
                    };
                });
    }

    /** A boot or a bisection's start that is not there. */
    static Outcome notFound(String id) {
        return new Outcome.Failure(Problem.missing(id));
    }
}
