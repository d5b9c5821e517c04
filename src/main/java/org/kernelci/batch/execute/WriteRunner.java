package org.kernelci.batch.execute;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.SqlStatement;
import org.kernelci.batch.ingest.StoredDocument;
import org.kernelci.batch.jdbc.BoundValue;
import org.kernelci.batch.jdbc.ResultSetRows;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.plan.Write;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.ChangeStatement;
import org.kernelci.batch.sql.ReadStatement;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;

/**
 * Runs single operations on a JDBI handle, in the caller's transaction: writes, and reads that
 * must see the writes before them. The SQL is the one a plain request runs (reads:
 * {@link ReadCompiler}); values bind through {@link BoundValue}.
 */
final class WriteRunner {
    /** Binds per statement: PostgreSQL's protocol allows 65,535, the JDBC driver 32,767. */
    private static final int MAX_BINDS = 30_000;

    private WriteRunner() {
    }

    /**
     * @param reports   the writer of the transaction's reports (see {@link ReportWriter#on})
     * @param requested the collection as the request named it, for a missing document
     */
    static Outcome write(Handle handle, ReportWriter reports, Write write, String requested) {
        if (write instanceof Write.Create create) {
            return created(create, reports.write(create.documents()));
        }
        if (write instanceof Write.TestReport report) {
            OffsetDateTime createdOn = (OffsetDateTime) report.groups().get(0).group().get("created_on");
            return new Outcome.Created(TestGroupWriter.write(handle, report.groups()), createdOn.toInstant().toEpochMilli());
        }
        if (write instanceof Write.Update update) {
            Collection collection = update.collection();
            List<Object[]> rows = rows(handle, ChangeStatement.updateReturning(collection, update.id(), update.values()),
                    collection.storedFields());
            return updated(handle, update, rows.isEmpty() ? null : rows.get(0), requested);
        }
        Write.Delete delete = (Write.Delete) write;
        int deleted = bind(handle.createUpdate(ChangeStatement.delete(delete.collection(), delete.id()).text()),
                ChangeStatement.delete(delete.collection(), delete.id())).execute();
        return deleted == 0 ? new Outcome.Missing(requested, delete.id()) : new Outcome.Deleted(delete.id());
    }

    /**
     * Reports of several operations stored together by one writer (consecutive builds or boots
     * as one statement); returns each operation's outcome, in order.
     */
    static List<Outcome> creates(ReportWriter reports, List<Write.Create> creates) {
        List<StoredDocument> documents = new ArrayList<>();
        for (Write.Create create : creates) {
            documents.addAll(create.documents());
        }
        List<String> ids = reports.write(documents);
        List<Outcome> outcomes = new ArrayList<>(creates.size());
        int next = 0;
        for (Write.Create create : creates) {
            List<String> own = ids.subList(next, next + create.documents().size());
            next += own.size();
            outcomes.add(created(create, own));
        }
        return outcomes;
    }

    private static Outcome created(Write.Create create, List<String> ids) {
        StoredDocument first = create.documents().get(0);
        return new Outcome.Created(List.copyOf(ids), ((OffsetDateTime) first.get("created_on")).toInstant().toEpochMilli());
    }

    /**
     * Updates of documents of one collection, with distinct ids, as few statements as the
     * protocol's limit on binds allows (one for any usual batch; see
     * {@link ChangeStatement#updateMany}). Returns their outcomes, in order.
     */
    static List<Outcome> updates(Handle handle, List<Write.Update> updates, List<String> requested) {
        Collection collection = updates.get(0).collection();
        int perStatement = Math.max(1, MAX_BINDS / ChangeStatement.bindsPerRow(collection));
        int idColumn = collection.storedFields().indexOf(collection.idField());
        Map<String, Object[]> byId = new HashMap<>();
        for (int from = 0; from < updates.size(); from += perStatement) {
            List<Write.Update> part = updates.subList(from, Math.min(updates.size(), from + perStatement));
            SqlQuery query = ChangeStatement.updateMany(collection, part.stream().map(Write.Update::id).toList(),
                    part.stream().map(Write.Update::values).toList());
            for (Object[] row : rows(handle, query, collection.storedFields())) {
                byId.put((String) row[idColumn], row);
            }
        }
        List<Outcome> outcomes = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) {
            outcomes.add(updated(handle, updates.get(i), byId.get(updates.get(i).id()), requested.get(i)));
        }
        return outcomes;
    }

    /**
     * The outcome of an update from the row it returned (its stored fields); a collection with
     * computed fields is read again through its source, in the same transaction, so that the
     * answer shows what they are after the change.
     */
    private static Outcome updated(Handle handle, Write.Update update, Object[] row, String requested) {
        if (row == null) {
            return new Outcome.Missing(requested, update.id());
        }
        Collection collection = update.collection();
        Field updatedOnField = collection.field("updated_on").orElseThrow();
        long updatedOn = ((OffsetDateTime) update.values().get(updatedOnField)).toInstant().toEpochMilli();
        if (!collection.hasComputedFields()) {
            return new Outcome.Updated(new Outcome.Document(collection.storedFields(), row), updatedOn);
        }
        QueryPlan byId = new QueryPlan(collection, List.of(new Condition.Match(collection.idField(), List.of(update.id()),
                false)), collection.fields(), List.of(), false, List.of(), 1, 0);
        List<Object[]> read = rows(handle, SqlCompiler.select(byId), collection.fields());
        return new Outcome.Updated(new Outcome.Document(collection.fields(), read.get(0)), updatedOn);
    }

    /** A read in the caller's transaction: the outcome its plain GET has, all rows fetched. */
    static Outcome read(Handle handle, Read read, String requested) {
        return ReadCompiler.compile(read).ask(new CompiledRead.Answers() {
            @Override
            public <T> Supplier<T> of(ReadStatement<T> statement) {
                T answer = answer(handle, statement);
                return () -> answer;
            }

            @Override
            public Supplier<? extends Iterable<Object[]>> streamed(ReadStatement.Rows statement) {
                return of(statement);
            }
        }, id -> new Outcome.Missing(requested, id)).get().outcome();
    }

    /** Takes the row locks of the documents these writes change, in one order (see {@link ChangeStatement#lock}). */
    static void lock(Handle handle, Collection collection, List<String> sortedIds) {
        SqlQuery lock = ChangeStatement.lock(collection, sortedIds);
        bind(handle.createQuery(lock.text()), lock).mapTo(String.class).list();
    }

    private static List<Object[]> rows(Handle handle, SqlQuery query, List<Field> projection) {
        return answer(handle, new ReadStatement.Rows(query, projection));
    }

    /** Runs a statement now, in the handle's transaction; a failure to read its rows is the statement's. */
    private static <T> T answer(Handle handle, ReadStatement<T> statement) {
        return bind(handle.createQuery(statement.sql().text()), statement.sql())
                .scanResultSet((results, context) -> {
                    try {
                        return statement.decode(new ResultSetRows(results.get()));
                    } catch (ResultSetRows.RowReadException e) {
                        throw e.failure();
                    }
                });
    }

    private static <S extends SqlStatement<S>> S bind(S statement, SqlQuery query) {
        for (int i = 0; i < query.binds().size(); i++) {
            statement.bind(i, new BoundValue(query.binds().get(i), null));
        }
        return statement;
    }
}
