package org.kernelci.batch.launch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Loads generated data into a database whose schema is in place:
 * {@code DataLoad <jdbc-url> <user> <password> <boots> [seed]}. Days end today (UTC).
 */
public final class DataLoad {
    private static final long DEFAULT_SEED = 1;

    private DataLoad() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length < 4 || args.length > 5) {
            System.err.println("usage: DataLoad <jdbc-url> <user> <password> <boots> [seed]");
            System.exit(2);
        }
        int boots = Integer.parseInt(args[3].replace("_", ""));
        long seed = args.length == 5 ? Long.parseLong(args[4]) : DEFAULT_SEED;
        DataGenerator.Size size = DataGenerator.Size.forBoots(boots);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        ProgressBar bar = new ProgressBar(System.out, size.rows(), "rows");
        DataGenerator.Summary summary;
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            summary = DataGenerator.load(connection, seed, size, today, bar::show);
        }
        bar.show(size.rows());
        double seconds = bar.seconds();
        System.out.println();
        System.out.printf(Locale.ROOT, "loaded %,d jobs, %,d builds, %,d boots, %,d labs (seed %d, up to %s) in %.1f s%n",
                summary.jobs(), summary.builds(), summary.boots(), summary.labs(), seed, today, seconds);
    }
}
