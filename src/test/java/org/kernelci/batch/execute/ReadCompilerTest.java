package org.kernelci.batch.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.FieldType;
import org.kernelci.batch.sql.ReadStatement;
import org.kernelci.batch.sql.ResultRows;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;

/** Each read variant's statements (those of the plain GET) and its outcome from their answers. */
class ReadCompilerTest {
    private static final QueryPlanner PLANNER = new QueryPlanner(
            Clock.fixed(Instant.parse("2014-12-08T10:00:00Z"), ZoneOffset.UTC), 10_000);
    private static final String ID = "54856af59e2a1e7ec4a4d07a";

    /** Answers given in order, recording what was asked and how. */
    private static final class Given implements CompiledRead.Answers {
        private final Deque<Object> answers;
        final List<SqlQuery> asked = new ArrayList<>();
        final List<SqlQuery> streamed = new ArrayList<>();

        Given(Object... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public <T> Supplier<T> of(ReadStatement<T> statement) {
            asked.add(statement.sql());
            Object answer = answers.removeFirst();
            // The test's answers are what the statements decode to: a Long or a list of rows.
            return () -> statement.decode(new Decoded(answer));
        }

        @Override
        public Supplier<? extends Iterable<Object[]>> streamed(ReadStatement.Rows statement) {
            streamed.add(statement.sql());
            return of(statement);
        }
    }

    /** A given answer (a count, or rows), read back through the statement's own decoding. */
    private static final class Decoded implements ResultRows {
        private final List<Object[]> rows = new ArrayList<>();
        private long count;
        private int next = -1;

        Decoded(Object answer) {
            if (answer instanceof Long given) {
                count = given;
                rows.add(new Object[] {given});
            } else {
                for (Object row : (List<?>) answer) {
                    rows.add((Object[]) row);
                }
            }
        }

        @Override
        public boolean next() {
            return ++next < rows.size();
        }

        @Override
        public long whole(int column) {
            return count;
        }

        @Override
        public String text(int column) {
            return (String) rows.get(next)[column - 1];
        }

        @Override
        public Object value(int column, FieldType type) {
            return rows.get(next)[column - 1];
        }
    }

    private static QueryPlan plan(String query) {
        return PLANNER.plan(Collections.JOB, QueryStringParser.parse(query));
    }

    /** A row of the plan's projection, every column this text. */
    private static Object[] row(QueryPlan plan, String text) {
        Object[] row = new Object[plan.projection().size()];
        java.util.Arrays.fill(row, text);
        return row;
    }

    private static Outcome missing(String id) {
        return new Outcome.Missing("job", id);
    }

    @Test
    @DisplayName("a listing is its count, then its page; it weighs the documents it returns and their bytes")
    void listing() {
        QueryPlan plan = plan("limit=2&skip=1&field=job");
        CompiledRead read = ReadCompiler.compile(new Read.Listing(plan));
        assertEquals(List.of(SqlCompiler.count(plan), SqlCompiler.select(plan)), read.statements());
        assertFalse(read.streamed());
        Given given = new Given(5L, List.of(row(plan, "next"), row(plan, "mainline")));
        CompiledRead.Weighed weighed = read.ask(given, ReadCompilerTest::missing).get();
        Outcome.Documents documents = (Outcome.Documents) weighed.outcome();
        assertEquals(5, documents.count());
        assertEquals(2, documents.limit());
        assertEquals(1, documents.skip());
        assertEquals(Outcome.Shape.LIST, documents.shape());
        assertEquals(2, weighed.documents());
        assertEquals(plan.projection().size() * ("next".length() + "mainline".length()), weighed.bytes());
        assertEquals(read.statements(), given.asked);
        assertEquals(List.of(), given.streamed);
    }

    @Test
    @DisplayName("a listing of more than STREAMED_ROWS documents is streamed: its bytes are weighed as they are fetched")
    void streamedListing() {
        QueryPlan plan = plan("limit=" + (CursorRows.STREAMED_ROWS + 1));
        CompiledRead read = ReadCompiler.compile(new Read.Listing(plan));
        assertTrue(read.streamed());
        Given given = new Given(3L, List.of());
        CompiledRead.Weighed weighed = read.ask(given, ReadCompilerTest::missing).get();
        assertEquals(List.of(SqlCompiler.select(plan)), given.streamed);
        assertEquals(3, weighed.documents());
        assertEquals(0, weighed.bytes());
    }

    @Test
    @DisplayName("a document by id is its select; none is the caller's missing outcome, weighing nothing")
    void byId() {
        QueryPlan plan = PLANNER.planById(Collections.JOB, ID, QueryStringParser.parse("field=job"));
        CompiledRead read = ReadCompiler.compile(new Read.ById(plan, ID));
        assertEquals(List.of(SqlCompiler.select(plan)), read.statements());
        CompiledRead.Weighed found = read.ask(new Given(List.<Object[]>of(row(plan, "next"))),
                ReadCompilerTest::missing).get();
        assertEquals("next", ((Outcome.Document) found.outcome()).row()[0]);
        assertEquals(1, found.documents());
        assertEquals(plan.projection().size() * "next".length(), found.bytes());
        CompiledRead.Weighed none = read.ask(new Given(List.of()), ReadCompilerTest::missing).get();
        assertEquals(new CompiledRead.Weighed(missing(ID), 0, 0), none);
    }

    @Test
    @DisplayName("counts are one count per collection, tallied under the names asked")
    void counts() {
        CountPlan plan = new CountPlan(List.of(new CountPlan.Target("job", Collections.JOB, List.of()),
                new CountPlan.Target("boot", Collections.BOOT, List.of())));
        CompiledRead read = ReadCompiler.compile(new Read.Count(plan));
        assertEquals(List.of(SqlCompiler.count(Collections.JOB, List.of()), SqlCompiler.count(Collections.BOOT, List.of())),
                read.statements());
        assertEquals(new Outcome.Counts(List.of(new Outcome.Tally("job", 4), new Outcome.Tally("boot", 9))),
                read.ask(new Given(4L, 9L), ReadCompilerTest::missing).get().outcome());
    }

    @Test
    @DisplayName("a kept read compiles to the statements the runner's static view lists")
    void statementsAsListed() {
        Read read = new Read.Listing(plan("job=next"));
        assertEquals(ReadCompiler.compile(read).statements(), BatchRunner.statements(read));
        assertSame(read, ReadCompiler.compile(read).read());
    }
}
