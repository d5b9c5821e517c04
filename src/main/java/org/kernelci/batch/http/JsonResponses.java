package org.kernelci.batch.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.function.Consumer;
import org.kernelci.batch.render.JsonOutput;

/** Builds the JSON envelope responses: {@code {"code": <status>, ...members}}. */
final class JsonResponses {
    static final String CONTENT_TYPE = "application/json; charset=UTF-8";

    private JsonResponses() {
    }

    static Response ok(Consumer<JsonOutput> members) {
        return envelope(200, members).build();
    }

    /**
     * A body written when the response is: into the answer {@link WholeAnswers} holds (a listing's
     * rows are fetched from their cursor meanwhile), which then leaves whole.
     */
    static Response.ResponseBuilder envelope(int status, Consumer<JsonOutput> members) {
        StreamingOutput body = stream -> {
            JsonOutput json = new JsonOutput(stream);
            json.beginObject().name("code").value(status);
            members.accept(json);
            json.endObject();
            json.flush();
        };
        return Response.status(status).entity(body).type(CONTENT_TYPE);
    }

    /** A 200 whose body is not the envelope: what the writer writes (Appery's batch answer). */
    static Response.ResponseBuilder array(Consumer<JsonOutput> body) {
        StreamingOutput stream = output -> {
            JsonOutput json = new JsonOutput(output);
            body.accept(json);
            json.flush();
        };
        return Response.status(200).entity(stream).type(CONTENT_TYPE);
    }

    static Response.ResponseBuilder error(int status, String reason) {
        return envelope(status, json -> json.name("reason").value(reason));
    }
}
