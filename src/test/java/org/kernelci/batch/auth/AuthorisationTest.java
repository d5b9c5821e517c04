package org.kernelci.batch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.parse.BatchRequestParser;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.plan.Write;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

class AuthorisationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final QueryPlanner PLANNER = new QueryPlanner(CLOCK, 1000);
    private static final String ID = "5f0c1a2b3c4d5e6f70819203";
    /** Any operation: the step carries it for the answer, authorisation does not read it. */
    private static final BatchOperation OPERATION = BatchRequestParser.parse(
            "{\"batch\": [{\"method\": \"GET\", \"collection\": \"boot\"}]}".getBytes(StandardCharsets.UTF_8)).get(0);

    @Test
    @DisplayName("§5 what the token may not do is rejected as its plain request is (403); the rest is left as it was")
    void rejectsWhatTheTokenMayNotDo() {
        BatchStep bootRead = read(Collections.BOOT);
        BatchStep labRead = read(Collections.LAB);
        BatchStep delete = new BatchStep.Writing(OPERATION, new Write.Delete(Collections.BOOT, ID));
        BatchStep update = new BatchStep.Writing(OPERATION, new Write.Update(Collections.BOOT, ID, Map.of()));

        List<BatchStep> authorised = Authorisation.authorise(token(Permission.GET, Permission.POST),
                List.of(bootRead, labRead, delete, update));

        assertSame(bootRead, authorised.get(0));
        assertForbidden(authorised.get(1));
        assertForbidden(authorised.get(2));
        assertSame(update, authorised.get(3));
    }

    @Test
    @DisplayName("§5 a lab token reports and deletes what labs write only, and changes nothing")
    void labToken() {
        Token lab = token(Permission.LAB, Permission.POST, Permission.DELETE);
        List<BatchStep> authorised = Authorisation.authorise(lab, List.of(
                new BatchStep.Writing(OPERATION, new Write.Delete(Collections.BOOT, ID)),
                new BatchStep.Writing(OPERATION, new Write.Delete(Collections.JOB, ID)),
                new BatchStep.Writing(OPERATION, new Write.Create(Collections.BOOT, List.of())),
                new BatchStep.Writing(OPERATION, new Write.Create(Collections.JOB, List.of())),
                new BatchStep.Writing(OPERATION, new Write.Update(Collections.BOOT, ID, Map.of()))));

        assertInstanceOf(BatchStep.Writing.class, authorised.get(0));
        assertForbidden(authorised.get(1));
        assertInstanceOf(BatchStep.Writing.class, authorised.get(2));
        assertForbidden(authorised.get(3));
        assertForbidden(authorised.get(4));
    }

    @Test
    @DisplayName("a step the planner rejected keeps its own reason, whatever the token")
    void keepsThePlannersRejection() {
        BatchStep rejected = new BatchStep.Rejected(OPERATION, ApiException.badRequest("Missing 'method'"));
        assertSame(rejected, Authorisation.authorise(token(), List.of(rejected)).get(0));
    }

    @Test
    @DisplayName("§9 the reads of a batch of reads only are those the token may run, in order")
    void allowedReads() {
        BatchStep job = read(Collections.JOB);
        BatchStep lab = read(Collections.LAB);
        BatchStep boot = read(Collections.BOOT);
        BatchStep rejected = new BatchStep.Rejected(OPERATION, ApiException.badRequest("Missing 'method'"));

        List<BatchStep> steps = List.of(job, lab, rejected, boot);

        assertEquals(List.of(planned(job), planned(boot)), Authorisation.allowedReads(token(Permission.GET), steps));
        assertEquals(List.of(planned(job), planned(lab), planned(boot)),
                Authorisation.allowedReads(token(Permission.ADMIN), steps));
        assertEquals(List.of(), Authorisation.allowedReads(token(), steps));
    }

    private static BatchStep read(Collection collection) {
        return new BatchStep.Planned(OPERATION, new Read.Listing(PLANNER.plan(collection, QueryStringParser.parse(""))));
    }

    private static Read planned(BatchStep step) {
        return ((BatchStep.Planned) step).read();
    }

    private static Token token(Permission... permissions) {
        return new Token("token", "someone@example.org", "someone", CLOCK.instant(), null, false, List.of(),
                Set.of(permissions));
    }

    private static void assertForbidden(BatchStep step) {
        ApiException failure = assertInstanceOf(BatchStep.Rejected.class, step).failure();
        assertEquals(403, failure.status());
        assertEquals(ApiException.forbidden().reason(), failure.reason());
    }
}
