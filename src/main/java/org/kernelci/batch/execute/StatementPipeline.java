package org.kernelci.batch.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.kernelci.batch.jdbc.ColumnCodec;
import org.kernelci.batch.sql.SqlQuery;

/**
 * Steps sent to PostgreSQL as one multi-statement execute: one round trip. The steps that one
 * plan serves run first, under generic plans (each made once per connection and statement), and
 * the others after them, under plans made for their values: a generic plan cannot see which
 * values are rare (a five-day range, two jobs) and picks much slower scans for a list that no
 * index serves in its order. Sent in a transaction only ({@code SET LOCAL}).
 */
final class StatementPipeline {
    /** Binds per pipeline: the protocol allows 65,535, the JDBC driver 32,767. */
    private static final int MAX_BINDS = 30_000;

    /**
     * What is sent before the steps, and how many result sets it yields (skipped).
     */
    record Prelude(SqlQuery sql, int results) {
        static final Prelude NONE = new Prelude(new SqlQuery("", List.of()), 0);
    }

    private StatementPipeline() {
    }

    /**
     * The steps cut into pipelines of at most {@link #MAX_BINDS} bind values each (the first
     * leaves room for its prelude's): one pipeline, one round trip, for any ordinary batch.
     */
    static List<List<Step>> cut(List<Step> steps) {
        List<List<Step>> pipelines = new ArrayList<>();
        List<Step> current = new ArrayList<>();
        int binds = 1;
        for (Step step : steps) {
            int size = step.sql().binds().size();
            if (!current.isEmpty() && binds + size > MAX_BINDS) {
                pipelines.add(current);
                current = new ArrayList<>();
                binds = 0;
            }
            current.add(step);
            binds += size;
        }
        pipelines.add(current);
        return pipelines;
    }

    /**
     * Sends the prelude, the steps and the suffix ("" for none) as one execute; each step then
     * takes its answer, in the order of {@code inOrder}'s results.
     */
    static void send(Connection connection, Prelude prelude, List<Step> inOrder, String suffix) throws SQLException {
        StringBuilder sql = new StringBuilder(prelude.sql().text());
        List<Object> binds = new ArrayList<>(prelude.sql().binds());
        List<Step> sent = new ArrayList<>(inOrder.size());
        for (PlanMode mode : PlanMode.values()) {
            mode.append(inOrder, sql, binds, sent);
        }
        sql.append(suffix);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < binds.size(); i++) {
                ColumnCodec.bind(statement, i + 1, binds.get(i), null);
            }
            StatementResults results = new StatementResults(statement, statement.execute());
            for (int i = 0; i < prelude.results(); i++) {
                results.skip();
            }
            for (Step step : sent) {
                step.answer(results);
            }
            results.drain();
        }
    }

    /** How PostgreSQL plans the statements sent under it, in the order they are sent. */
    private enum PlanMode {
        GENERIC("SET LOCAL plan_cache_mode = force_generic_plan;\n"),
        CUSTOM("SET LOCAL plan_cache_mode = force_custom_plan;\n");

        private final String setting;

        PlanMode(String setting) {
            this.setting = setting;
        }

        /** Appends the steps planned this way, under this mode, if there are any. */
        void append(List<Step> steps, StringBuilder sql, List<Object> binds, List<Step> sent) {
            boolean switched = false;
            for (Step step : steps) {
                if (step.sql().genericPlan() == (this == GENERIC)) {
                    if (!switched) {
                        sql.append(setting);
                        switched = true;
                    }
                    sql.append(step.sql().text()).append(";\n");
                    binds.addAll(step.sql().binds());
                    sent.add(step);
                }
            }
        }
    }
}
