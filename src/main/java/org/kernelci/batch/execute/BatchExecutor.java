package org.kernelci.batch.execute;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;
import org.kernelci.batch.jdbc.BoundValue;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.plan.Write;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs planned and authorised operations, whatever dialect they came in (a rejected step fails
 * its entry):
 * <ul>
 * <li>a batch of reads only: {@link BatchRunner#open}, one snapshot and one round trip;</li>
 * <li>a batch with writes: one read-write transaction, operations in request order, each seeing
 *     the earlier ones' writes; a failing one fails its entry only and what succeeded is kept
 *     (see {@link #attempt}); PUTs in a row on one collection go as one statement, reports in a
 *     row as multi-row inserts;</li>
 * <li>atomic: all or nothing; if any operation fails, no write is kept, that entry has its error
 *     and every other entry is a 424.</li>
 * </ul>
 * Rows that the batch changes are locked first, in one order; a batch that still deadlocks or
 * fails to serialise with a concurrent one is run again, up to {@link #ATTEMPTS} times, and then
 * fails the entries that met the conflict (409).
 */
public final class BatchExecutor {
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(BatchExecutor.class);

    private final BatchRunner runner;
    private final Database database;

    public BatchExecutor(BatchRunner runner, Database database) {
        this.runner = runner;
        this.database = database;
    }

    public BatchResult execute(String caller, Departure departure, List<BatchStep> steps, boolean atomic) {
        return execute(caller, departure, steps, atomic, IdempotentWrite.NONE);
    }

    /**
     * @param caller    whose reads these are, for the runner's share per caller (a token's id)
     * @param departure tells when the client has gone while a batch of reads runs (they are then cancelled)
     * @param steps     as {@code auth.Authorisation} left them: what the caller may not do is rejected
     * @param key       what a batch with writes does for its Idempotency-Key, in its transaction (a batch of reads has none)
     */
    public BatchResult execute(String caller, Departure departure, List<BatchStep> steps, boolean atomic,
                               IdempotentWrite key) {
        List<Outcome> refused = new ArrayList<>(steps.size());
        boolean writes = false;
        for (BatchStep step : steps) {
            refused.add(refusal(step));
            writes |= step instanceof BatchStep.Writing;
        }
        int firstRefused = firstFailed(refused);
        if (atomic && firstRefused >= 0) {
            return new BatchResult(notApplied(refused, firstRefused), () -> { });
        }
        BatchResult result = writes ? inOrder(steps, refused, atomic, key) : reads(caller, departure, steps, refused);
        int firstFailed = firstFailed(result.outcomes());
        if (atomic && firstFailed >= 0) {
            return new BatchResult(notApplied(result.outcomes(), firstFailed), result.open());
        }
        return result;
    }

    /** A plain POST, PUT or DELETE: the write in its own transaction, its failure the response's. */
    public Outcome writeOne(Write write, String requested) {
        return writeOne(write, requested, IdempotentWrite.NONE);
    }

    /**
     * A plain write with what its transaction does for the request's Idempotency-Key. The
     * original's reports ({@link Write.Create}) fail as their plain request always has: the
     * failure thrown as it came, for the exception mapper (a value the database refuses beyond the
     * checked report is the service's 500, logged there); other writes as a batch entry would.
     */
    public Outcome writeOne(Write write, String requested, IdempotentWrite key) {
        FailureAnswer answer = write instanceof Write.Create ? FailureAnswer.THROWN : FailureAnswer.ENTRY;
        Outcome outcome = inOrder(List.of(new Work(null, write, requested)), true, key, answer).get(0);
        if (outcome instanceof Outcome.Failure failure) {
            throw new ApiException(failure.problem());
        }
        return outcome;
    }

    /** A rejected step's failure; null for a step to run. */
    private static Outcome refusal(BatchStep step) {
        if (step instanceof BatchStep.Rejected rejected) {
            return new Outcome.Failure(rejected.failure().problem());
        }
        return null;
    }

    private BatchResult reads(String caller, Departure departure, List<BatchStep> steps, List<Outcome> refused) {
        List<Read> reads = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (refused.get(i) == null) {
                reads.add(((BatchStep.Planned) steps.get(i)).read());
            }
        }
        if (reads.isEmpty()) {
            return new BatchResult(refused, () -> { });
        }
        OpenReads open = runner.open(caller, departure, reads);
        List<Outcome> outcomes = new ArrayList<>(steps.size());
        int next = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (refused.get(i) != null) {
                outcomes.add(refused.get(i));
                continue;
            }
            Outcome outcome = open.outcomes().get(next++);
            Read read = ((BatchStep.Planned) steps.get(i)).read();
            // The runner names the collection as declared; a batch names it as the request did.
            if (outcome instanceof Outcome.Missing missing) {
                outcome = new Outcome.Missing(steps.get(i).operation().collection(), missing.id());
            }
            outcomes.add(outcome);
        }
        return new BatchResult(outcomes, open, open.changes());
    }

    /**
     * One operation of a batch with writes: what it reads or writes, or (refused) why not, and its
     * collection as the request named it.
     */
    private record Work(Outcome refused, Object operation, String requested) {
    }

    private BatchResult inOrder(List<BatchStep> steps, List<Outcome> refused, boolean atomic, IdempotentWrite key) {
        List<Work> work = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            BatchStep step = steps.get(i);
            Object operation = step instanceof BatchStep.Planned planned ? planned.read()
                    : step instanceof BatchStep.Writing writing ? writing.write() : null;
            work.add(new Work(refused.get(i), operation, step.operation().collection()));
        }
        return new BatchResult(inOrder(work, atomic, key, FailureAnswer.ENTRY), () -> { });
    }

    /**
     * How a failed operation answers, and how its failure is classified ({@link Fault.Work}).
     * {@code ENTRY}: as a batch entry, a constraint the database enforces being the client's
     * (400). {@code THROWN}: the failure thrown for the whole request as a direct write's, which
     * is how the original's reports always failed: a value the database refuses beyond the
     * checked report is the service's 500, logged by the exception mapper.
     */
    private enum FailureAnswer {
        ENTRY(Fault.Work.OPERATION), THROWN(Fault.Work.WRITE);

        final Fault.Work work;

        FailureAnswer(Fault.Work work) {
            this.work = work;
        }
    }

    /** A failed operation's outcome, or its failure thrown, as {@code answer} says. */
    private Outcome answered(FailureAnswer answer, RuntimeException failure, Work work, boolean last) {
        if (answer == FailureAnswer.THROWN) {
            throw failure;
        }
        return failure(failure, work, last);
    }

    private List<Outcome> inOrder(List<Work> work, boolean atomic, IdempotentWrite key, FailureAnswer answer) {
        Handle handle = database.open();
        try {
            for (int attempt = 1; ; attempt++) {
                boolean last = attempt == ATTEMPTS;
                try {
                    return database.translate(() -> attempt(handle, work, atomic, last, key, answer), true);
                } catch (Conflict conflict) {
                    handle.rollback();
                    LOG.debug("Batch conflicted with a concurrent one (attempt {}); running it again", attempt);
                }
            }
        } finally {
            try {
                if (handle.isInTransaction()) {
                    handle.rollback();
                }
            } catch (RuntimeException e) {
                LOG.debug("Rolling back a failed batch failed", e);
            } finally {
                handle.close();
            }
        }
    }

    /** A deadlock or serialisation failure on an attempt that is not the last: the batch runs again. */
    private static final class Conflict extends RuntimeException {
        Conflict() {
            super(null, null, false, false);
        }
    }

    /**
     * One run of the batch. Atomic: operations one after the other, and the first failure rolls
     * everything back. Otherwise all operations under one savepoint (the common case, all of
     * them answering, costs no more round trips); when one fails, back to that savepoint and
     * again one by one, each under its own savepoint, so that only the failing ones fail.
     */
    private List<Outcome> attempt(Handle handle, List<Work> work, boolean atomic, boolean last, IdempotentWrite key,
                                  FailureAnswer answer) {
        return attempt(handle, work, atomic, last, key, answer, true);
    }

    /** @param grouped whether writes in a row run together (see {@link Run#next}) */

    private List<Outcome> attempt(Handle handle, List<Work> work, boolean atomic, boolean last, IdempotentWrite key,
                                  FailureAnswer answer, boolean grouped) {
        handle.begin();
        handle.createQuery("SELECT set_config('statement_timeout', ?, true)")
                .bind(0, new BoundValue(Integer.toString(database.statementTimeoutMillis()), null))
                .mapTo(String.class).one();
        key.claim(handle);
        lockRows(handle, work, last);
        if (atomic) {
            Run run = new Run(handle, answer.work);
            List<Outcome> outcomes = new ArrayList<>(work.size());
            while (outcomes.size() < work.size()) {
                int i = outcomes.size();
                List<Outcome> next;
                try {
                    next = run.next(work, i, grouped);
                } catch (RuntimeException e) {
                    if (grouped && !Database.isConnectionFailure(e) && !Fault.isConflict(e)) {
                        // Which of a group failed shows only one by one.
                        handle.rollback();
                        return attempt(handle, work, true, last, key, answer, false);
                    }
                    next = List.of(answered(answer, e, work.get(i), last));
                }
                for (Outcome outcome : next) {
                    outcomes.add(outcome);
                    if (BatchResult.failed(outcome)) {
                        handle.rollback();
                        Outcome notApplied = notApplied(outcomes.size() - 1);
                        while (outcomes.size() < work.size()) {
                            outcomes.add(notApplied);
                        }
                        return outcomes.subList(0, work.size());
                    }
                }
            }
            key.keep(handle, outcomes);
            Database.commit(handle);
            return outcomes;
        }
        handle.savepoint("batch");
        List<Outcome> together = new ArrayList<>(work.size());
        try {
            Run run = new Run(handle, answer.work);
            while (together.size() < work.size()) {
                together.addAll(run.next(work, together.size(), true));
            }
            key.keep(handle, together); // under the savepoint: a failure of its own is undone with the batch's
            handle.release("batch");
        } catch (RuntimeException e) {
            if (Fault.isConflict(e) && !last) {
                throw new Conflict();
            }
            rollbackTo(handle, "batch", e);
            together = null;
        }
        // Outside the try: a failed COMMIT has no savepoint to go back to.
        if (together != null) {
            Database.commit(handle);
            return together;
        }
        Run run = new Run(handle, answer.work);
        List<Outcome> outcomes = new ArrayList<>(work.size());
        for (Work one : work) {
            Outcome outcome;
            handle.savepoint("operation");
            try {
                outcome = run.outcome(one);
                handle.release("operation");
            } catch (RuntimeException e) {
                rollbackTo(handle, "operation", e);
                run = new Run(handle, answer.work);
                outcome = answered(answer, e, one, last);
            }
            outcomes.add(outcome);
        }
        key.keep(handle, outcomes);
        Database.commit(handle);
        return outcomes;
    }

    /**
     * Back to a savepoint after a failure, which stays the one answered: a lost connection is
     * thrown as such rather than the rollback's own failure (when RELEASE was what the connection
     * was lost on, JDBI no longer knows the savepoint: "Attempt to rollback to non-existent
     * savepoint"), and a rollback that fails is thrown with the failure it followed.
     */
    private static void rollbackTo(Handle handle, String savepoint, RuntimeException failure) {
        if (failure instanceof DatabaseUnavailableException || Database.isConnectionFailure(failure)) {
            throw failure;
        }
        try {
            handle.rollbackToSavepoint(savepoint);
        } catch (RuntimeException e) {
            e.addSuppressed(failure);
            throw e;
        }
    }

    /**
     * Runs operations in one transaction, with one report writer for their reports while nothing
     * else changes documents (it remembers the jobs and builds it found).
     */
    private static final class Run {
        private final Handle handle;
        private final Fault.Work classified;
        private ReportWriter reports;

        Run(Handle handle, Fault.Work classified) {
            this.handle = handle;
            this.classified = classified;
            this.reports = ReportWriter.on(handle);
        }

        /**
         * The outcomes of {@code work[from]} and, when grouped, of the writes of its kind right
         * after it: updates of the same collection and other documents (one statement, in one
         * round trip; a document updated again ends the group, so that its second update sees and
         * answers the first's result), or reports (stored together, as multi-row inserts); an
         * exception if one failed.
         */
        List<Outcome> next(List<Work> work, int from, boolean grouped) {
            Work first = work.get(from);
            if (grouped && first.refused() == null && first.operation() instanceof Write.Update update) {
                List<Write.Update> group = new ArrayList<>(List.of(update));
                List<String> requested = new ArrayList<>(List.of(first.requested()));
                Set<String> ids = new HashSet<>(Set.of(update.id()));
                for (int i = from + 1; i < work.size() && work.get(i).refused() == null
                        && work.get(i).operation() instanceof Write.Update next
                        && next.collection() == update.collection() && ids.add(next.id()); i++) {
                    group.add(next);
                    requested.add(work.get(i).requested());
                }
                if (group.size() > 1) {
                    reports = ReportWriter.on(handle);
                    return Database.translate(() -> WriteRunner.updates(handle, group, requested), classified);
                }
            }
            if (grouped && first.refused() == null && first.operation() instanceof Write.Create) {
                List<Write.Create> group = new ArrayList<>();
                for (int i = from; i < work.size() && work.get(i).refused() == null
                        && work.get(i).operation() instanceof Write.Create create; i++) {
                    group.add(create);
                }
                if (group.size() > 1) {
                    return Database.translate(() -> WriteRunner.creates(reports, group), classified);
                }
            }
            return List.of(outcome(first));
        }

        /** The operation's outcome; its refusal if it was refused; an exception if it failed. */
        Outcome outcome(Work work) {
            if (work.refused() != null) {
                return work.refused();
            }
            return Database.translate(() -> {
                if (work.operation() instanceof Read read) {
                    return WriteRunner.read(handle, read, work.requested());
                }
                Write write = (Write) work.operation();
                if (!(write instanceof Write.Create)) {
                    reports = ReportWriter.on(handle);
                }
                return WriteRunner.write(handle, reports, write, work.requested());
            }, classified);
        }
    }

    /**
     * Locks the rows the batch changes, collections in declaration order and ids sorted, so that
     * concurrent batches wait for each other rather than deadlock. Only an optimisation: if it
     * fails, each operation still locks what it changes.
     */
    private static void lockRows(Handle handle, List<Work> work, boolean last) {
        Map<Collection, TreeSet<String>> ids = new TreeMap<>(
                java.util.Comparator.comparingInt(Collections.ALL::indexOf));
        for (Work one : work) {
            if (one.refused() == null && one.operation() instanceof Write.Update update) {
                ids.computeIfAbsent(update.collection(), c -> new TreeSet<>()).add(update.id());
            } else if (one.refused() == null && one.operation() instanceof Write.Delete delete) {
                ids.computeIfAbsent(delete.collection(), c -> new TreeSet<>()).add(delete.id());
            }
        }
        if (ids.values().stream().mapToInt(TreeSet::size).sum() < 2) {
            return; // One row: its own statement locks it.
        }
        handle.savepoint("locks");
        try {
            ids.forEach((collection, sorted) -> WriteRunner.lock(handle, collection, List.copyOf(sorted)));
            handle.release("locks");
        } catch (RuntimeException e) {
            rollbackTo(handle, "locks", e);
            if (Fault.isConflict(e) && !last) {
                throw new Conflict();
            }
        }
    }

    /**
     * What a failed operation's entry says ({@link Database#problem}); a lost connection fails the
     * whole request (503), and a conflict runs the batch again, or on the last attempt is a 409.
     */
    private Outcome failure(RuntimeException e, Work work, boolean last) {
        if (e instanceof DatabaseUnavailableException || Database.isConnectionFailure(e)) {
            throw e;
        }
        if (Fault.isConflict(e)) {
            if (!last) {
                throw new Conflict();
            }
            return new Outcome.Failure(new Problem(Problem.Kind.CONFLICT,
                    "The operation conflicted with a concurrent write; send it again"));
        }
        return new Outcome.Failure(database.problem(e, Fault.Work.OPERATION, LOG, work.operation()));
    }

    private static int firstFailed(List<Outcome> outcomes) {
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) != null && BatchResult.failed(outcomes.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Outcome notApplied(int first) {
        return new Outcome.Failure(new Problem(Problem.Kind.NOT_APPLIED,
                "Not applied: operation " + first + " failed and the batch is atomic"));
    }

    /** Atomic: the failed entries keep their errors; the others, not applied, are 424s. */
    private static List<Outcome> notApplied(List<Outcome> outcomes, int first) {
        Outcome notApplied = notApplied(first);
        List<Outcome> result = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            result.add(outcome != null && BatchResult.failed(outcome) ? outcome : notApplied);
        }
        return result;
    }
}
