package org.kernelci.batch.launch;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.flywaydb.core.Flyway;
import org.kernelci.batch.ingest.DocumentImport;
import org.kernelci.batch.ingest.ImportSummary;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * Imports a MongoDB export of one collection of the original (one document per line, gzipped when
 * the name ends in {@code .gz}) straight into the database, through the same reading and upsert
 * as {@code POST /import/<collection>}:
 * {@code DumpImport <jdbc-url> <user> <password> <collection> <file.ndjson>}. The migrations are
 * applied first, so an empty database will do. Exits 0 when every line was stored, 1 when some
 * were rejected, 2 on a usage error.
 */
public final class DumpImport {
    private DumpImport() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws IOException, SQLException {
        if (args.length != 5) {
            out.println("usage: DumpImport <jdbc-url> <user> <password> <collection> <file.ndjson[.gz]>");
            return 2;
        }
        Optional<Collection> collection = Collections.byName(args[3]);
        Path file = Path.of(args[4]);
        if (collection.isEmpty() || !Files.isReadable(file)) {
            out.println(collection.isEmpty() ? "unknown collection: " + args[3] : "cannot read " + file);
            return 2;
        }
        Flyway.configure().dataSource(args[0], args[1], args[2]).locations("classpath:db/migration").load().migrate();
        ProgressBar bar = new ProgressBar(out, Files.size(file), "bytes");
        ImportSummary summary;
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2]);
             CountingInput counted = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
             InputStream input = args[4].endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted) {
            summary = DocumentImport.run(connection, collection.get(), input, Instant.now(),
                    bytes -> bar.show(counted.count()));
        }
        bar.show(Files.size(file));
        out.println();
        report(out, collection.get(), summary, bar.seconds());
        return summary.rejected() == 0 ? 0 : 1;
    }

    private static void report(PrintStream out, Collection collection, ImportSummary summary, double seconds) {
        out.printf(Locale.ROOT, "%s: imported %,d documents, rejected %,d lines in %.1f s%n",
                collection, summary.imported(), summary.rejected(), seconds);
        for (ImportSummary.LineError error : summary.errors()) {
            out.printf(Locale.ROOT, "  line %d: %s%n", error.line(), error.reason());
        }
        if (summary.rejected() > summary.errors().size()) {
            out.printf(Locale.ROOT, "  ... and %,d more rejected lines%n", summary.rejected() - summary.errors().size());
        }
        if (!summary.extraMembers().isEmpty()) {
            out.println("members kept as extras (documents that had them):");
            summary.extraMembers().forEach((name, documents) ->
                    out.printf(Locale.ROOT, "  %s: %,d%n", name, documents));
        }
    }

    /** Counts the bytes read from the file, for the progress bar (before decompression). */
    private static final class CountingInput extends FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int read = super.read(bytes, offset, length);
            if (read > 0) {
                count += read;
            }
            return read;
        }

        long count() {
            return count;
        }
    }
}
