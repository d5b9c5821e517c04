package org.kernelci.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each kind of problem has one status and its own Retry-After rule. */
class ProblemTest {
    @Test
    @DisplayName("an outage says come back in 5 s, a busy service in 1 s, whatever is given")
    void fixedRetryAfter() {
        assertEquals(5, new Problem(Problem.Kind.UNAVAILABLE, "Database unavailable, retry later").retryAfterSeconds());
        assertEquals(5, new Problem(Problem.Kind.UNAVAILABLE, "x", 30).retryAfterSeconds());
        assertEquals(1, new Problem(Problem.Kind.BUSY, "Service busy, retry later").retryAfterSeconds());
        assertEquals(503, new Problem(Problem.Kind.BUSY, "x").status());
    }

    @Test
    @DisplayName("a caller past its limit and a resource the database lacks tell when, at least a second")
    void givenRetryAfter() {
        assertEquals(7, new Problem(Problem.Kind.CALLER_LIMIT, "x", 7).retryAfterSeconds());
        assertEquals(1, new Problem(Problem.Kind.CALLER_LIMIT, "x", 0).retryAfterSeconds());
        assertEquals(30, new Problem(Problem.Kind.EXHAUSTED, "x", 30).retryAfterSeconds());
        assertEquals(429, new Problem(Problem.Kind.CALLER_LIMIT, "x", 7).status());
    }

    @Test
    @DisplayName("a missing grant, a timeout, an unknown outcome and client mistakes carry no Retry-After")
    void noRetryAfter() {
        for (Problem.Kind kind : new Problem.Kind[] {Problem.Kind.MISSING_GRANT, Problem.Kind.TIMEOUT,
            Problem.Kind.OUTCOME_UNKNOWN, Problem.Kind.CLIENT_ERROR, Problem.Kind.INTERNAL, Problem.Kind.CONFLICT}) {
            assertEquals(0, new Problem(kind, "x", 9).retryAfterSeconds(), kind.name());
        }
        assertEquals(503, new Problem(Problem.Kind.MISSING_GRANT, "x").status());
        assertEquals(504, new Problem(Problem.Kind.TIMEOUT, "x").status());
        assertEquals(502, new Problem(Problem.Kind.OUTCOME_UNKNOWN, "x").status());
    }

    @Test
    @DisplayName("a status names its kind, except 503, whose reasons differ in their Retry-After")
    void kindOfStatus() {
        assertEquals(Problem.Kind.CLIENT_ERROR, new ApiException(400, "x").problem().kind());
        assertEquals(Problem.Kind.NOT_ALLOWED, new ApiException(405, "Operation not allowed").problem().kind());
        assertEquals(Problem.Kind.NOT_APPLIED, new ApiException(424, "x").problem().kind());
        assertEquals(Problem.Kind.NOT_IMPLEMENTED, new ApiException(501, "x").problem().kind());
        assertThrows(IllegalArgumentException.class, () -> new ApiException(503, "x"));
        assertThrows(IllegalArgumentException.class, () -> new ApiException(418, "x"));
    }

    @Test
    @DisplayName("a missing resource is worded once; a 500 names only its id; the thrown form carries the problem")
    void wordings() {
        assertEquals(new Problem(Problem.Kind.NOT_FOUND, "Resource 'abc' not found"), Problem.missing("abc"));
        assertEquals("Resource 'abc' not found", ApiException.missing("abc").reason());
        assertEquals("Internal error (logged as 42)", Problem.internal("42").reason());
        assertEquals("Operation not permitted: provided token is not authorized", ApiException.forbidden().reason());
        Problem problem = Problem.clientError("Bad");
        assertSame(problem, new ApiException(problem).problem());
        assertEquals("Bad; lines 1 to 2 were imported", problem.followedBy("; lines 1 to 2 were imported").reason());
    }
}
