package org.kernelci.batch;

/**
 * A {@link Problem} thrown: every client mistake is one, raised by the stage that detects it, and
 * so is every failure the database classifier ({@code execute.Fault}) tells (its subclasses in
 * {@code execute}, which code that must tell one kind from another catches). One mapper renders
 * them; the factories keep the reasons uniform: each names the key and the value at fault.
 */
public class ApiException extends RuntimeException {
    private final transient Problem problem;

    /** A problem of the kind this status names (any status but 503: see {@link Problem.Kind#of}). */
    public ApiException(int status, String reason) {
        this(new Problem(Problem.Kind.of(status), reason));
    }

    public ApiException(Problem problem) {
        super(problem.reason(), null, false, false);
        this.problem = problem;
    }

    /**
     * A problem met in a failure the log should keep: {@code message} says more than the
     * client's reason (where the database was, why), and the cause is kept.
     */
    protected ApiException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    /** When to ask again, in seconds; 0: no Retry-After. */
    public int retryAfterSeconds() {
        return problem.retryAfterSeconds();
    }

    /** What the client is told (the message may say more, for the log). */
    public String reason() {
        return problem.reason();
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(Problem.clientError(reason));
    }

    /** A key that is neither a control key nor a field, with the value it was given. */
    public static ApiException unknownKey(String key, String value) {
        return badRequest("Unknown query key '" + key + "' (value '" + value + "')");
    }

    public static ApiException unknownField(String key, String field) {
        return badRequest("Invalid value for '" + key + "': unknown field '" + field + "'");
    }

    public static ApiException invalidValue(String key, String value, String expected) {
        return badRequest("Invalid value for '" + key + "': '" + value + "' (expected " + expected + ")");
    }

    /** A collection name no declaration answers to. */
    public static ApiException unknownCollection(String name) {
        return notFound("Collection " + name + " not found");
    }

    public static ApiException notFound(String reason) {
        return new ApiException(404, reason);
    }

    /** No document (or other resource named by id) has that id. */
    public static ApiException missing(String id) {
        return new ApiException(Problem.missing(id));
    }

    public static ApiException forbidden() {
        return new ApiException(Problem.forbidden());
    }

    /** A body of another media type than the one the route reads (415). */
    public static ApiException wrongContentType(String expected) {
        return new ApiException(415, "Wrong content type defined: use " + expected);
    }

    /** A body past the route's limit (413). */
    public static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "Request body larger than " + maxBytes + " bytes");
    }
}
