package org.kernelci.batch.cli;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.kernelci.batch.execute.DocumentImport;
import org.kernelci.batch.execute.PartlyStoredException;
import org.kernelci.batch.ingest.ImportSummary;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Imports a MongoDB export of one collection of the original (one document per line, gzipped when
 * the name ends in {@code .gz}) straight into the database, through the same reading and upsert
 * as {@code POST /import/<collection>}. Exits 0 when every line was stored, 1 when some were
 * rejected, 2 when the collection, the file or the database cannot be used.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Imports a MongoDB export (one document per line, .gz read gzipped) into a collection, "
                + "as POST /import/<collection> does. Exit 1 when some lines were rejected.")
final class ImportCommand implements Callable<Integer> {
    @Mixin
    private DatabaseOptions database;

    @Parameters(index = "0", paramLabel = "COLLECTION", description = "job, defconfig (or build), boot or lab")
    private String collectionName;

    @Parameters(index = "1", paramLabel = "FILE", description = "the export, NDJSON, gzipped when it ends in .gz")
    private Path file;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException, SQLException {
        // Views are computed, never imported, as by POST /import/<collection>.
        Collection collection = Collections.byName(collectionName).filter(found -> !found.isView()).orElseThrow(() ->
                new CliFailure("unknown collection: " + collectionName + " (one of " + importable() + ")"));
        try (InputStream readable = Files.newInputStream(file)) {
            readable.read();
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + unreadable(file, e));
        }
        DatabaseOptions.OpenDatabase open = database.open();
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar bar = new ProgressBar(out, Files.size(file), "bytes");
        ImportSummary summary;
        try (Connection connection = open.dataSource().getConnection();
             CountingInput counted = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
             InputStream input = file.toString().endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted) {
            summary = DocumentImport.run(connection, collection, input, Instant.now(),
                    bytes -> bar.show(counted.count()));
        } catch (java.util.zip.ZipException e) {
            throw new CliFailure("cannot read " + file + " as gzip: " + CliFailure.firstLine(e));
        } catch (PartlyStoredException e) {
            throw new CliFailure(CliFailure.firstLine(e.failure()) + "; " + e.stored());
        }
        bar.show(Files.size(file));
        out.println();
        report(out, collection, summary, bar.seconds());
        return summary.rejected() == 0 ? 0 : KciCli.REJECTED;
    }

    /** The collections an import takes, each with its other names: "defconfig (or build)". */
    private static String importable() {
        return Collections.ALL.stream().filter(collection -> !collection.isView())
                .map(collection -> collection.name() + (collection.aliases().isEmpty() ? ""
                        : " (or " + String.join(", ", collection.aliases()) + ")"))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Why a file cannot be read, in the words of ls and cat. */
    private static String unreadable(Path file, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        return CliFailure.firstLine(e);
    }

    private static void report(PrintWriter out, Collection collection, ImportSummary summary, double seconds) {
        out.printf(Locale.ROOT, "%s: imported %,d documents, rejected %,d lines in %.1f s (%,.0f documents/s)%n",
                collection, summary.imported(), summary.rejected(), seconds, summary.imported() / Math.max(seconds, 1e-3));
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
