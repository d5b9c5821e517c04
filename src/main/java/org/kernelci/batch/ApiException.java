package org.kernelci.batch;

/**
 * A failure the client should see as an HTTP status and a reason. Every client mistake is one of
 * these, raised by the stage that detects it and rendered by one mapper; the factories keep the
 * reasons uniform: each names the key and the value at fault.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final int retryAfterSeconds;

    public ApiException(int status, String reason) {
        this(status, reason, 0);
    }

    /** @param retryAfterSeconds the answer's Retry-After; 0 for none */
    public ApiException(int status, String reason, int retryAfterSeconds) {
        super(reason, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** When to ask again, in seconds; 0: no Retry-After. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String reason() {
        return getMessage();
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(400, reason);
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

    public static ApiException forbidden() {
        return new ApiException(403, "Operation not permitted: provided token is not authorized");
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
