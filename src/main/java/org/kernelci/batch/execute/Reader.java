package org.kernelci.batch.execute;

import java.util.ArrayList;
import java.util.List;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.sql.SqlCompiler;

/** Runs reads inside a snapshot. */
public final class Reader {
    private Reader() {
    }

    public static Outcome run(Snapshot snapshot, Read read) {
        if (read instanceof Read.List list) {
            QueryPlan plan = list.plan();
            long count = snapshot.count(SqlCompiler.count(plan));
            List<Object[]> rows = count <= plan.skip()
                    ? List.of()
                    : snapshot.select(SqlCompiler.select(plan), plan.projection());
            return new Outcome.Documents(count, plan.limit(), plan.skip(), plan.projection(), rows);
        }
        if (read instanceof Read.ById byId) {
            QueryPlan plan = byId.plan();
            List<Object[]> rows = snapshot.select(SqlCompiler.select(plan), plan.projection());
            return new Outcome.Document(plan.projection(), rows.isEmpty() ? null : rows.get(0));
        }
        CountPlan plan = ((Read.Count) read).plan();
        List<Outcome.Tally> tallies = new ArrayList<>();
        for (CountPlan.Target target : plan.targets()) {
            long count = snapshot.count(SqlCompiler.count(target.collection(), target.conditions()));
            tallies.add(new Outcome.Tally(target.name(), count));
        }
        return new Outcome.Counts(tallies);
    }
}
