package org.kernelci.batch.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.sql.ReadStatement;
import org.kernelci.batch.sql.SqlQuery;

/** Steps are cut into pipelines below the protocol's limit on binds, in order. */
class StatementPipelineTest {
    private static Step step(int binds) {
        return new Step.Answered<>(new ReadStatement.Count(new SqlQuery("SELECT count(*) FROM t",
                new ArrayList<>(Collections.nCopies(binds, (Object) "x")))));
    }

    @Test
    @DisplayName("an ordinary batch is one pipeline")
    void one() {
        List<Step> steps = List.of(step(0), step(3), step(10));
        assertEquals(List.of(steps), StatementPipeline.cut(steps));
    }

    @Test
    @DisplayName("past 30,000 binds the next step starts a new pipeline; a step is never split")
    void cut() {
        Step big = step(20_000);
        Step bigger = step(15_000);
        Step small = step(1);
        assertEquals(List.of(List.of(big), List.of(bigger, small)), StatementPipeline.cut(List.of(big, bigger, small)));
        Step huge = step(40_000);
        assertEquals(List.of(List.of(huge), List.of(small)), StatementPipeline.cut(List.of(huge, small)));
    }
}
