package org.kernelci.batch.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.kernelci.batch.Problem;
import org.kernelci.batch.plan.CompareKind;
import org.kernelci.batch.plan.ComparePlan;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.CompareSql;

/**
 * A comparison's outcome from its statements' rows (CONTRACT.md section 12.5): its documents, or a
 * 404 that names every baseline or target that found nothing.
 */
final class Comparisons {
    private static final int TOTAL_BUILDS = ComparePlan.JOB_MEMBERS.stream().map(Field::name).toList()
            .indexOf("total_builds");

    private Comparisons() {
    }

    /** @param rows each statement's rows, in {@link CompareSql#statements} order */
    static Outcome outcome(ComparePlan plan, List<List<Object[]>> rows) {
        List<Outcome.Document> compared = new ArrayList<>();
        StringJoiner nothing = new StringJoiner("; ");
        if (plan.kind() == CompareKind.JOB) {
            // One row per job: one without builds found nothing.
            List<Object[]> jobs = rows.get(0);
            for (int i = 0; i < jobs.size(); i++) {
                if ((Integer) jobs.get(i)[TOTAL_BUILDS] == 0) {
                    nothing.add(nothing(plan, i, "build"));
                }
                compared.add(new Outcome.Document(ComparePlan.JOB_MEMBERS, jobs.get(i)));
            }
        } else {
            // One statement per document, none or one row each.
            for (int i = 0; i < plan.targets().size(); i++) {
                List<Object[]> found = rows.get(i);
                if (found.isEmpty()) {
                    nothing.add(nothing(plan, i, plan.kind().route()));
                } else {
                    compared.add(new Outcome.Document(CompareSql.projection(plan, i), found.get(0)));
                }
            }
        }
        if (nothing.length() > 0) {
            return new Outcome.Failure(new Problem(Problem.Kind.NOT_FOUND, nothing.toString()));
        }
        Optional<String> delta = plan.kind() == CompareKind.JOB
                ? Optional.of((String) rows.get(1).get(0)[0]) : Optional.empty();
        return new Outcome.Comparison(compared, delta);
    }

    private static String nothing(ComparePlan plan, int index, String what) {
        ComparePlan.Target target = plan.targets().get(index);
        return target.name() + ": no " + what + " found for " + target.criteria();
    }
}
