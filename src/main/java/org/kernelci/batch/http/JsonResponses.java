package org.kernelci.batch.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.kernelci.batch.render.JsonOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the JSON envelope responses: {@code {"code": <status>, ...members}}. */
final class JsonResponses {
    private static final Logger LOG = LoggerFactory.getLogger(JsonResponses.class);
    static final String CONTENT_TYPE = "application/json; charset=UTF-8";

    private JsonResponses() {
    }

    static Response ok(Consumer<JsonOutput> members) {
        return envelope(200, members).build();
    }

    /**
     * A body written while the client reads it. A client that leaves mid-way makes a write fail:
     * that is one short INFO line, and the request ends (its read transaction with it) rather than
     * a SEVERE stack trace from Jersey and the container.
     */
    static Response.ResponseBuilder envelope(int status, Consumer<JsonOutput> members) {
        StreamingOutput body = stream -> {
            try {
                JsonOutput json = new JsonOutput(stream);
                json.beginObject().name("code").value(status);
                members.accept(json);
                json.endObject();
                json.flush();
            } catch (UncheckedIOException e) {
                // JsonOutput reports the stream's failures unchecked.
                clientGone(e.getCause());
            }
        };
        return Response.status(status).entity(body).type(CONTENT_TYPE);
    }

    private static void clientGone(IOException e) {
        LOG.info("Client went away while its response was written ({})", e.toString().lines().findFirst().orElse(""));
    }

    /** A 200 whose body is not the envelope: what the writer writes (Appery's batch answer). */
    static Response.ResponseBuilder array(Consumer<JsonOutput> body) {
        StreamingOutput stream = output -> {
            try {
                JsonOutput json = new JsonOutput(output);
                body.accept(json);
                json.flush();
            } catch (UncheckedIOException e) {
                clientGone(e.getCause());
            }
        };
        return Response.status(200).entity(stream).type(CONTENT_TYPE);
    }

    static Response.ResponseBuilder error(int status, String reason) {
        return envelope(status, json -> json.name("reason").value(reason));
    }
}
