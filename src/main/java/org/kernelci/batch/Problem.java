package org.kernelci.batch;

/**
 * Why a request, or one operation of a batch, has no answer of its own: what every failure is
 * for the client, whichever stage met it. Outcomes carry it ({@code execute.Outcome.Failure}),
 * {@code ApiException} throws it, and each dialect's renderer and the one exception mapper write
 * it: its kind's status, its reason and, when above 0, its Retry-After. The classifier of database
 * failures ({@code execute.Fault}) makes the kinds from unavailable down.
 *
 * @param retryAfterSeconds the answer's Retry-After; 0 for none (see {@link Kind#retryAfterSeconds})
 */
public record Problem(Kind kind, String reason, int retryAfterSeconds) {
    /** A closed set: each kind has one status, and says whether its answer tells when to ask again. */
    public enum Kind {
        /** A request the service cannot read or plan: a key, a field, a value, a body (400). */
        CLIENT_ERROR(400),
        /** The token may not do this (403). */
        FORBIDDEN(403),
        /** No resource at that name or id (404). */
        NOT_FOUND(404),
        /** The route has no such method (405). */
        NOT_ALLOWED(405),
        /** The answer cannot be in a type the client accepts (406). */
        NOT_ACCEPTABLE(406),
        /** The body did not arrive in time (408). */
        BODY_TIMEOUT(408),
        /** A concurrent write or request got in the way: send it again (409). */
        CONFLICT(409),
        /** A body, or an answer, past its limit (413). */
        TOO_LARGE(413),
        /** A body of another media type than the route reads (415). */
        UNSUPPORTED_TYPE(415),
        /** A body read but meaningless, or a key reused for another request (422). */
        UNPROCESSABLE(422),
        /** An atomic batch's operation not applied because another failed (424). */
        NOT_APPLIED(424),
        /** One caller past its share or its rate; others keep their answers (429, Retry-After as given). */
        CALLER_LIMIT(429),
        /** The service's own fault: the reason names only the id it was logged under (500). */
        INTERNAL(500),
        /** A method no route implements (501). */
        NOT_IMPLEMENTED(501),
        /** A COMMIT whose answer never came: the write may or may not be stored (502, never 503). */
        OUTCOME_UNKNOWN(502),
        /** Unavailable: the database does not answer (an outage) (503, Retry-After 5). */
        UNAVAILABLE(503),
        /** Unavailable: the service's database role lacks a grant; an operator decides when (503, no Retry-After). */
        MISSING_GRANT(503),
        /** Unavailable: the database lacks a resource (disk, memory, a limit) (503, Retry-After as given). */
        EXHAUSTED(503),
        /** The database answers but no capacity came free in time (503, Retry-After 1: it frees up in moments). */
        BUSY(503),
        /** Past its deadline, or cancelled (504). */
        TIMEOUT(504);

        /** An outage lasts longer than a busy moment. */
        private static final int OUTAGE_RETRY_AFTER_SECONDS = 5;
        private static final int BUSY_RETRY_AFTER_SECONDS = 1;

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /**
         * The Retry-After a problem of this kind answers: fixed for an outage and a busy service,
         * the given one (at least a second) where the cause tells it, else none (0).
         */
        int retryAfterSeconds(int given) {
            return switch (this) {
                case UNAVAILABLE -> OUTAGE_RETRY_AFTER_SECONDS;
                case BUSY -> BUSY_RETRY_AFTER_SECONDS;
                case CALLER_LIMIT, EXHAUSTED -> Math.max(1, given);
                default -> 0;
            };
        }

        /**
         * The kind a status names, for the statuses only one kind has (every one but 503, whose
         * reasons differ in their Retry-After).
         */
        static Kind of(int status) {
            Kind found = null;
            for (Kind kind : values()) {
                if (kind.status == status) {
                    if (found != null) {
                        throw new IllegalArgumentException("Status " + status + " is more than one kind of problem");
                    }
                    found = kind;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("No kind of problem has status " + status);
            }
            return found;
        }
    }

    public Problem {
        retryAfterSeconds = kind.retryAfterSeconds(retryAfterSeconds);
    }

    /** A problem whose Retry-After, if any, is its kind's own. */
    public Problem(Kind kind, String reason) {
        this(kind, reason, 0);
    }

    public int status() {
        return kind.status();
    }

    /** The same problem, its reason followed by {@code more} (what a write that stopped had stored). */
    public Problem followedBy(String more) {
        return new Problem(kind, reason + more, retryAfterSeconds);
    }


    public static Problem clientError(String reason) {
        return new Problem(Kind.CLIENT_ERROR, reason);
    }

    /** No document (or other resource a request names by id) has that id: the one wording of that 404. */
    public static Problem missing(String id) {
        return new Problem(Kind.NOT_FOUND, "Resource '" + id + "' not found");
    }

    public static Problem forbidden() {
        return new Problem(Kind.FORBIDDEN, "Operation not permitted: provided token is not authorized");
    }

    /** A failure of the service's own, logged under {@code id} by whoever met it. */
    public static Problem internal(String id) {
        return new Problem(Kind.INTERNAL, "Internal error (logged as " + id + ")");
    }
}
