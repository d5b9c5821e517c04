package org.kernelci.batch.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.sql.Identifiers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Fills empty tables with generated data (the demo's and the benchmark's generator). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Fills empty tables with BOOTS generated boots (one build per 5 boots, one job per 500), the "
                + "builds' error logs and the test plans run after the boots, created over the 180 days up to today "
                + "(UTC). The same seed gives the same rows.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    private DatabaseOptions database;

    @Parameters(index = "0", paramLabel = "BOOTS", description = "how many boots, e.g. 20000 or 1_000_000")
    private String boots;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "the generator's seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        int count;
        try {
            count = Integer.parseInt(boots.replace("_", ""));
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0) {
            throw new CliFailure("BOOTS must be a number from 0 to " + Integer.MAX_VALUE + ", not '" + boots + "'");
        }
        DataGenerator.Size size = DataGenerator.Size.forBoots(count);
        DatabaseOptions.OpenDatabase open = database.open();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar bar = new ProgressBar(out, size.rows(), "rows");
        DataGenerator.Summary summary;
        try (Connection connection = open.dataSource().getConnection()) {
            refuseData(connection);
            summary = DataGenerator.load(connection, seed, size, today, bar::show);
        }
        bar.show(summary.rows());
        out.println();
        out.printf(Locale.ROOT, "loaded %,d jobs, %,d builds, %,d boots, %,d labs, %,d error logs, %,d test groups, "
                + "%,d test cases (seed %d, up to %s) in %.1f s%n", summary.jobs(), summary.builds(), summary.boots(),
                summary.labs(), summary.errorLogs(), summary.testGroups(), summary.testCases(), seed, today,
                bar.seconds());
        return 0;
    }

    /** Generated ids and the ids already stored could collide: only empty tables are filled. */
    private void refuseData(Connection connection) throws SQLException {
        StringJoiner found = new StringJoiner(", ");
        for (Collection collection : DataGenerator.TABLES) {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + Identifiers.quote(collection.table()))) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    found.add(String.format(Locale.ROOT, "%,d %s", rows.getLong(1), collection.table()));
                }
            }
        }
        if (found.length() > 0) {
            throw new CliFailure("the database at " + database.url() + " already has data (" + found
                    + "); generate fills empty tables only");
        }
    }
}
