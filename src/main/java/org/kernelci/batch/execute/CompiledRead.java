package org.kernelci.batch.execute;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.sql.ReadStatement;
import org.kernelci.batch.sql.SqlQuery;

/**
 * A read made into its typed statements ({@link ReadCompiler}), and how their answers make its
 * outcome. Immutable: a kept batch's reads are compiled once and run again.
 *
 * @param read       the read
 * @param statements its SQL, in the order its statements run (as the plain GET runs them)
 * @param streamed   whether its rows are fetched from a cursor while they are written: each
 *                   operation that asks for it runs it, since such rows can be written once
 * @param recipe     how it asks for its statements' answers and makes its outcome of them
 */
record CompiledRead(Read read, List<SqlQuery> statements, boolean streamed, Recipe recipe) {

    /** Where a read's statements are answered: a snapshot's pipeline, or a write's transaction. */
    interface Answers {
        /** The answer of this statement, to be read once the statements ran. */
        <T> Supplier<T> of(ReadStatement<T> statement);

        /** Rows fetched while they are iterated, if the runner can (a cursor), else as {@link #of}. */
        Supplier<? extends Iterable<Object[]>> streamed(ReadStatement.Rows statement);
    }

    /** Asks for a read's answers, in its statements' order; the outcome is made once they ran. */
    interface Recipe {
        /** @param missing the outcome of a document that is not there, by the id asked for */
        Supplier<Weighed> ask(Answers answers, Function<String, Outcome> missing);
    }

    /**
     * An outcome and what it takes of a batch's budget: documents and bytes read with the batch
     * (a cursor's bytes are weighed as they are fetched).
     */
    record Weighed(Outcome outcome, long documents, long bytes) {
        static Weighed unweighed(Outcome outcome) {
            return new Weighed(outcome, 0, 0);
        }
    }

    /** The outcome, once the statements asked for with {@code answers} ran. */
    Supplier<Weighed> ask(Answers answers, Function<String, Outcome> missing) {
        return recipe.ask(answers, missing);
    }
}
