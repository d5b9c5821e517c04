package org.kernelci.batch.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.parse.BatchRequestParser;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.WritePlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.sql.SqlArray;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;

/**
 * The benchmark's floor: the plain SQL of a batch's operations, as the service would run it
 * without its per-day rollups (every count a {@code count(*)} of the documents), with its values
 * written in as literals so that pgbench can run it, in one REPEATABLE READ transaction.
 * {@code FloorSql <batch.json>...} writes each batch's script beside it, as {@code <batch>.sql}.
 * With {@code --service} first, it writes the SQL the service runs, rollups included, as
 * {@code <batch>.service.sql}: pgbench on those scripts tells how much of a batch's time is its SQL.
 */
public final class FloorSql {
    private FloorSql() {
    }

    public static void main(String[] args) throws Exception {
        BatchPlanner planner = new BatchPlanner(new QueryPlanner(Clock.systemUTC(), 10_000),
                new WritePlanner(Clock.systemUTC()));
        boolean service = args.length > 0 && args[0].equals("--service");
        for (String batch : service ? List.of(args).subList(1, args.length) : List.of(args)) {
            Path source = Path.of(batch);
            String name = source.getFileName().toString().replaceFirst("\\.json$", "") + (service ? ".service.sql" : ".sql");
            Files.writeString(source.resolveSibling(name), script(planner, Files.readAllBytes(source), service));
        }
    }

    static String script(BatchPlanner planner, byte[] batch, boolean service) {
        StringBuilder script = new StringBuilder("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\n");
        for (BatchStep step : planner.plan(BatchRequestParser.parse(batch))) {
            Read read = ((BatchStep.Planned) step).read();
            for (SqlQuery sql : service ? BatchRunner.statements(read) : plain(read)) {
                script.append(inline(sql)).append(";\n");
            }
        }
        return script.append("COMMIT;\n").toString();
    }

    /** The read's statements, with each count a {@code count(*)} of the documents. */
    static List<SqlQuery> plain(Read read) {
        List<SqlQuery> statements = new ArrayList<>(BatchRunner.statements(read));
        if (read instanceof Read.Listing listing && listing.plan().aggregate().isEmpty()) {
            statements.set(0, SqlCompiler.countRows(listing.plan().collection(), listing.plan().conditions()));
        } else if (read instanceof Read.Count count) {
            List<CountPlan.Target> targets = count.plan().targets();
            for (int i = 0; i < targets.size(); i++) {
                statements.set(i, SqlCompiler.countRows(targets.get(i).collection(), targets.get(i).conditions()));
            }
        }
        return statements;
    }

    /** The SQL with each placeholder replaced by its value as a literal (casts follow in the text). */
    static String inline(SqlQuery sql) {
        StringBuilder text = new StringBuilder();
        int bind = 0;
        for (char c : sql.text().toCharArray()) {
            if (c == '?') {
                text.append(literal(sql.binds().get(bind++)));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static String literal(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof SqlArray array) {
            return quote(array.values().stream().map(v -> '"' + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                    .collect(Collectors.joining(",", "{", "}")));
        }
        return quote(value.toString());
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
