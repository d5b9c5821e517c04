package org.kernelci.batch.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.kernelci.batch.Problem;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.ArangoEnvelope;

/**
 * ArangoDB's batch answer (CONTRACT.md section 8): one part per request part, each a raw
 * HTTP/1.1 response, framed by the request's boundary; and the plain request's exact body for
 * an outcome of the shared model, so that a part answers what its request sent alone answers.
 */
public final class ArangoParts {
    /** The envelope's media type; the boundary is added as its parameter. */
    public static final String MEDIA_TYPE = "multipart/form-data";
    /**
     * What every plain JSON answer declares, as Jersey spells it in the parts it answers in
     * process (a container may respell it on the wire, e.g. Jetty's {@code charset=utf-8}).
     */
    public static final String JSON_TYPE = "application/json;charset=UTF-8";
    private static final byte[] CRLF = {'\r', '\n'};

    private ArangoParts() {
    }

    /**
     * One part of the answer: the {@code Content-Id} to echo (null: none) and the response, its
     * headers without {@code Content-Length}, which is written from the body.
     */
    public record Answer(String contentId, int status, List<ArangoEnvelope.Header> headers, byte[] body) {
        public Answer {
            headers = List.copyOf(headers);
        }

            /** A JSON answer: {@code {"code":N,"reason":"..."}}, as the error mapper writes it. */
        public static Answer error(String contentId, int status, String reason) {
            return new Answer(contentId, status, List.of(new ArangoEnvelope.Header("Content-Type", JSON_TYPE)),
                    errorBody(status, reason));
        }
    }

    /** The Content-Type of the answer: the request's boundary, quoted when it is not a token. */
    public static String contentType(String boundary) {
        return MEDIA_TYPE + "; boundary=" + (boundary.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")
                ? boundary : "\"" + boundary.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    /** Writes one part, opening delimiter included. */
    public static void writePart(OutputStream out, String boundary, boolean first, Answer answer) throws IOException {
        if (!first) {
            out.write(CRLF);
        }
        line(out, "--" + boundary);
        line(out, "Content-Type: " + ArangoEnvelope.PART_TYPE);
        if (answer.contentId() != null) {
            line(out, "Content-Id: " + answer.contentId());
        }
        out.write(CRLF);
        line(out, "HTTP/1.1 " + answer.status() + " " + reasonPhrase(answer.status()));
        for (ArangoEnvelope.Header header : answer.headers()) {
            line(out, header.name() + ": " + header.value());
        }
        line(out, "Content-Length: " + answer.body().length);
        out.write(CRLF);
        out.write(answer.body());
    }

    /** The closing delimiter after the last part. */
    public static void writeEnd(OutputStream out, String boundary) throws IOException {
        out.write(CRLF);
        line(out, "--" + boundary + "--");
    }

    /** The status code an outcome of the shared model answers as a plain request. */
    public static int status(Outcome outcome) {
        return outcome.failure().map(Problem::status).orElse(outcome instanceof Outcome.Created ? 201 : 200);
    }

    /**
     * The body the plain request answers for an outcome: the envelope {@code {"code":N,...}} with
     * the members the plain resource writes (a listing, a document, counts, distinct values, the
     * ids of stored reports, a deletion, an error).
     */
    public static byte[] body(Outcome outcome) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonOutput json = new JsonOutput(bytes);
        json.beginObject().name("code").value(status(outcome));
        if (outcome instanceof Outcome.Created created) {
            IngestWriter.writeIds(json, created.ids());
        } else if (outcome instanceof Outcome.Updated updated) {
            OutcomeWriter.writeMembers(json, updated.document(), "collection", false);
        } else if (outcome instanceof Outcome.Deleted deleted) {
            json.name("reason").value("Resource '" + deleted.id() + "' deleted");
        } else {
            OutcomeWriter.writeMembers(json, outcome, "collection", false);
        }
        json.endObject();
        json.flush();
        return bytes.toByteArray();
    }

    private static byte[] errorBody(int status, String reason) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonOutput json = new JsonOutput(bytes);
        json.beginObject().name("code").value(status).name("reason").value(reason).endObject();
        json.flush();
        return bytes.toByteArray();
    }

    /** The reason phrase of a status line (RFC 9110 section 15). */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 424 -> "Failed Dependency";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }

    private static void line(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.write(CRLF);
    }
}
