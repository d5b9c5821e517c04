package org.kernelci.batch.execute;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.kernelci.batch.ingest.ExportFormat;
import org.kernelci.batch.ingest.ExportFormat.Accepted;
import org.kernelci.batch.ingest.ExportFormat.Rejected;
import org.kernelci.batch.ingest.ImportSummary;
import org.kernelci.batch.ingest.ImportSummary.LineError;
import org.kernelci.batch.ingest.NdjsonLines;
import org.kernelci.batch.ingest.NdjsonLines.Line;
import org.kernelci.batch.ingest.NdjsonLines.Text;
import org.kernelci.batch.ingest.NdjsonLines.Unreadable;
import org.kernelci.batch.ingest.StoredDocument;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.sql.InsertStatement;

/**
 * Imports a MongoDB export of one collection, streamed line by line: each line is read by
 * {@link ExportFormat}, and the documents are upserted by id in chunks of {@link #CHUNK}, one
 * transaction and a few multi-row statements each, so a dump of any size imports in constant
 * memory and importing it again changes nothing. Each batch is upserted in id order (one lock order for imports that overlap);
 * one that deadlocks all the same is stored again as a whole. When the database refuses a batch
 * (a constraint such as the unique lab name), that batch is stored again row by row, each under a
 * savepoint, and only the rows refused for their values are rejected. A failure of the database's own
 * (no space, a lost connection, a missing grant) stops the import: see {@link #stopped}. Used by {@code POST /import/<collection>} and the command-line importer.
 */
public final class DocumentImport {
    public static final int MAX_LISTED_ERRORS = 100;
    /** Documents per transaction. */
    static final int CHUNK = 1000;
    /** Distinct unknown member names counted; old dumps have a handful, a broken one could have millions. */
    static final int MAX_EXTRA_NAMES = 100;
    /** How many times a chunk that deadlocked is stored before the import gives up (503, busy). */
    static final int CONFLICT_ATTEMPTS = 5;

    private final Connection connection;
    private final Collection collection;
    private final InsertStatement upsert;
    private final List<Pending> chunk = new ArrayList<>(CHUNK);
    private final List<LineError> errors = new ArrayList<>();
    private final Map<String, Long> extraMembers = new TreeMap<>();
    private long imported;
    private long rejected;
    /** The last line read. */
    private long lastRead;
    /** The last line read when the last chunk was committed: every line up to it is imported or rejected. */
    private long committedThrough;
    /** The lines rejected up to {@link #committedThrough}. */
    private long rejectedThrough;

    /** A document waiting for its batch, with the line it came from. */
    private record Pending(long line, StoredDocument document) {
    }

    private DocumentImport(Connection connection, Collection collection) {
        this.connection = connection;
        this.collection = collection;
        this.upsert = InsertStatement.upsert(collection);
    }

    /**
     * @param now      the {@code created_on} of documents without one
     * @param progress told the number of bytes read from {@code input} after each batch
     */
    public static ImportSummary run(Connection connection, Collection collection, InputStream input, Instant now,
                                    LongConsumer progress) throws SQLException, IOException {
        return new DocumentImport(connection, collection).importAll(collection, input, now, progress);
    }

    private ImportSummary importAll(Collection collection, InputStream input, Instant now, LongConsumer progress)
            throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean done = false;
        try (PreparedStatement statement = connection.prepareStatement(upsert.text())) {
            NdjsonLines lines = new NdjsonLines(input);
            for (Line line = lines.next(); line != null; line = lines.next()) {
                lastRead = line.number();
                if (line instanceof Unreadable unreadable) {
                    reject(unreadable.number(), unreadable.reason());
                } else if (!((Text) line).text().isBlank()) {
                    read(collection, (Text) line, now);
                }
                if (chunk.size() == CHUNK) {
                    store(statement);
                    progress.accept(lines.bytesRead());
                }
            }
            store(statement);
            progress.accept(lines.bytesRead());
            done = true;
        } catch (SQLException | RuntimeException e) {
            throw stopped(e);
        } finally {
            if (done) {
                connection.setAutoCommit(autoCommit);
            } else {
                // The failure that stopped the import is the one to report, not that of the
                // clean-up on a connection that may be gone.
                rollbackQuietly();
                try {
                    connection.setAutoCommit(autoCommit);
                } catch (SQLException e) {
                    // As above.
                }
            }
        }
        errors.sort(Comparator.comparingLong(LineError::line));
        return new ImportSummary(imported, rejected, errors.subList(0, Math.min(errors.size(), MAX_LISTED_ERRORS)),
                extraMembers);
    }

    /**
     * The import stopped by the database: its failure, followed by which lines were imported
     * before it (those up to the last committed chunk); importing the file again is safe, since
     * lines already stored are stored again unchanged.
     */
    private PartlyStoredException stopped(Exception e) {
        RuntimeException failure = e instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("SQL failed: " + firstLine(e.getMessage()), e);
        long next = committedThrough + 1;
        String stored = "the import stopped at line " + next + ": " + (committedThrough == 0 ? "no line was imported"
                : String.format(Locale.ROOT, "lines 1 to %d were imported (%d documents stored, %d rejected)",
                        committedThrough, imported, rejectedThrough));
        if (failure instanceof CommitOutcomeUnknownException) {
            stored += "; lines from " + next + " on may or may not be stored";
        }
        if (committedThrough > 0) {
            stored += "; import the file again, or from line " + next;
        }
        return new PartlyStoredException(stored, failure);
    }

    private void read(Collection collection, Text line, Instant now) {
        ExportFormat.Reading reading = ExportFormat.read(collection, line.text(), now);
        if (reading instanceof Rejected refused) {
            reject(line.number(), refused.reason());
            return;
        }
        Accepted accepted = (Accepted) reading;
        for (String name : accepted.extraMembers()) {
            if (extraMembers.containsKey(name) || extraMembers.size() < MAX_EXTRA_NAMES) {
                extraMembers.merge(name, 1L, Long::sum);
            }
        }
        chunk.add(new Pending(line.number(), accepted.document()));
    }

    /**
     * Stores the chunk in one transaction. Its documents go in id order, so that imports of
     * overlapping ids take their row locks in one order and wait for each other instead of
     * deadlocking; a chunk that deadlocks all the same (or cannot be serialized) is rolled back
     * and stored again as a whole, a few times, then the import fails as busy. A lost connection
     * fails the import: the chunks committed before it stay.
     */
    private void store(PreparedStatement statement) throws SQLException {
        if (chunk.isEmpty()) {
            committed();
            return;
        }
        chunk.sort(Comparator.comparing(pending -> pending.document().id()));
        for (int attempt = 1; ; attempt++) {
            try {
                storeChunk(statement);
                break;
            } catch (SQLException e) {
                if (Fault.of(e, true) != Fault.CONFLICT || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                connection.rollback();
                pause(attempt);
            }
        }
        chunk.clear();
        committed();
    }

    private void committed() {
        committedThrough = lastRead;
        rejectedThrough = rejected;
    }

    /**
     * Commits a chunk. A connection lost while committing leaves the chunk's outcome unknown, which
     * the import's answer says; a failure before it, that the chunk was not stored.
     */
    private void commit() throws SQLException {
        try {
            connection.commit();
        } catch (SQLException e) {
            if (Fault.ofCommit(e) == Fault.OUTCOME_UNKNOWN) {
                throw new CommitOutcomeUnknownException(e);
            }
            throw e;
        }
    }

    /**
     * The chunk as multi-row upserts (one run of the rollup triggers per statement, not per
     * document). A row changes once per statement, so a document whose id comes again later in
     * the chunk is left to its last line, which a row-by-row import would have stored last.
     */
    private void storeChunk(PreparedStatement statement) throws SQLException {
        try {
            List<StoredDocument> last = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                if (i + 1 == chunk.size() || !chunk.get(i + 1).document().id().equals(chunk.get(i).document().id())) {
                    last.add(chunk.get(i).document());
                }
            }
            int rows = InsertStatement.maxRows(collection);
            for (int from = 0; from < last.size(); from += rows) {
                List<StoredDocument> part = last.subList(from, Math.min(last.size(), from + rows));
                InsertStatement many = InsertStatement.upsert(collection, part.size());
                try (PreparedStatement insert = connection.prepareStatement(many.text())) {
                    DocumentBinds.bind(insert, many, part);
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            Fault fault = Fault.of(e, true);
            if (fault == Fault.MISSING_GRANT) {
                // No row could be stored: the import fails, rather than refusing each line.
                throw MissingGrantException.of(e, upsert.text());
            }
            if (!refusesRow(e)) {
                throw e;
            }
            connection.rollback();
            storeOneByOne(statement);
            return;
        }
        commit();
        imported += chunk.size();
    }

    /** The chunk row by row, each under a savepoint: only the rows the database refuses are rejected. */
    private void storeOneByOne(PreparedStatement statement) throws SQLException {
        long stored = 0;
        List<LineError> refused = new ArrayList<>();
        for (Pending pending : chunk) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                DocumentBinds.bind(statement, upsert, pending.document());
                statement.executeUpdate();
                connection.releaseSavepoint(savepoint);
                stored++;
            } catch (SQLException e) {
                if (Fault.of(e, true) == Fault.MISSING_GRANT) {
                    throw MissingGrantException.of(e, upsert.text());
                }
                if (!refusesRow(e)) {
                    // Not this row's fault: the chunk is stored again as a whole, or the import fails.
                    throw e;
                }
                connection.rollback(savepoint);
                refused.add(new LineError(pending.line(), "refused by the database: " + firstLine(e.getMessage())));
            }
        }
        commit();
        imported += stored;
        refused.forEach(error -> reject(error.line(), error.reason()));
    }

    /**
     * Whether the database refused a row for its values: a data exception or a constraint (class
     * 22 or 23: a value too long, a lab name another lab has). Anything else (no space, a lost
     * connection, a deadlock) is the database's, and would refuse any line.
     */
    private static boolean refusesRow(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** A short, growing, random pause, so that two imports that collided do not collide again at once. */
    private static void pause(int attempt) throws SQLException {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(10, 50L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while storing again a chunk that deadlocked", "40P01", e);
        }
    }

    private void reject(long line, String reason) {
        rejected++;
        errors.add(new LineError(line, reason));
        // Keep the first lines only; rows the database refuses are reported after later lines.
        if (errors.size() >= 2 * MAX_LISTED_ERRORS) {
            errors.sort(Comparator.comparingLong(LineError::line));
            errors.subList(MAX_LISTED_ERRORS, errors.size()).clear();
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The import already failed; that failure is the one to report.
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "unknown error" : message;
        int newline = text.indexOf('\n');
        text = newline < 0 ? text : text.substring(0, newline);
        return text.startsWith("ERROR: ") ? text.substring(7) : text;
    }
}
