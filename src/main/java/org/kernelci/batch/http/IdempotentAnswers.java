package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.execute.IdempotentWrite;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.pipeline.BatchPipeline;

/**
 * Writes sent with an {@code Idempotency-Key} (the IETF draft; Stripe-style replay): the key of
 * a request, its replay when its first request is done, and its answer rendered whole so that it
 * is kept in the write's transaction and sent as kept.
 */
final class IdempotentAnswers {
    static final String KEY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    /** The headers of an answer that are kept with it: the ones a write's answer means something by. */
    private static final List<String> KEPT_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION,
            BatchPipeline.ERRORS_HEADER, ArangoBatch.ERRORS_HEADER);

    private final IdempotencyKeys keys;

    IdempotentAnswers(IdempotencyKeys keys) {
        this.keys = keys;
    }

    /**
     * The request's key, if it sent one: a bare value of 1 to 255 visible ASCII characters, or the
     * draft's sf-string (in double quotes, printable ASCII, {@code \"} and {@code \\} escaped),
     * which is the same key as its content; anything else, or the header twice, is a 400.
     */
    static Optional<String> header(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders(KEY_HEADER));
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("Idempotency-Key: send one key");
        }
        String value = values.get(0).strip();
        boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
        String key = quoted ? unquoted(value) : value;
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e) || (!quoted && key.contains(" "))) {
            throw ApiException.badRequest("Idempotency-Key: not a key (1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters, e.g. a UUID)");
        }
        return Optional.of(key);
    }

    /** An sf-string's content, or null when it is not one. */
    private static String unquoted(String quoted) {
        StringBuilder key = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                if (++i == quoted.length() - 1 || (quoted.charAt(i) != '"' && quoted.charAt(i) != '\\')) {
                    return null;
                }
                c = quoted.charAt(i);
            } else if (c == '"') {
                return null;
            }
            key.append(c);
        }
        return key.toString();
    }

    /**
     * The key of a write, when the request sent one. Its fingerprint is the method, the path in
     * the application (so that nodes deployed at other context paths agree) and the raw query as
     * sent, and a SHA-256 of the body as the resource read it (decompressed): what decides what
     * the write does; headers such as Accept-Encoding or a tracing id do not.
     */
    static Optional<IdempotencyKeys.Key> key(HttpServletRequest request, Token token, byte[] body) {
        return header(request).map(value -> new IdempotencyKeys.Key(scope(token), value, fingerprint(request, body)));
    }

    /** A token's keys are its own; a container's user's are the user's (its token id is a label, possibly cut). */
    private static String scope(Token token) {
        return token.id().startsWith("user:") ? "user:" + token.username() : token.id();
    }

    private static String fingerprint(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String query = request.getQueryString();
            String path = request.getRequestURI().substring(request.getContextPath().length());
            digest.update((request.getMethod() + " " + path + (query == null ? "" : "?" + query) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kept answer of the key's first request, replayed, when it is done. */
    Optional<Response> replay(IdempotencyKeys.Key key) {
        return keys.kept(key).map(IdempotentAnswers::replayed);
    }

    /** A kept answer sent again to a later request with its key. */
    static Response replayed(IdempotencyKeys.Answer answer) {
        return response(answer).header(REPLAYED_HEADER, "true").build();
    }

    /** A kept answer as its own request sends it. */
    static Response sent(IdempotencyKeys.Answer answer) {
        return response(answer).build();
    }

    /** Keeps the answer in the write's transaction; returns it as it will be sent. */
    private Response keep(Handle handle, IdempotencyKeys.Key key, Response answer) {
        IdempotencyKeys.Answer kept = rendered(answer);
        keys.keep(handle, key, kept);
        return response(kept).build();
    }

    /**
     * What a write through the executor does for its key; {@link Keeping#answer} is then the
     * answer its outcomes made, kept and committed.
     */
    Keeping keeping(IdempotencyKeys.Key key, Function<List<Outcome>, Response> answer) {
        return new Keeping(key, answer);
    }

    final class Keeping implements IdempotentWrite {
        private final IdempotencyKeys.Key key;
        private final Function<List<Outcome>, Response> render;
        private Response answer;

        private Keeping(IdempotencyKeys.Key key, Function<List<Outcome>, Response> render) {
            this.key = key;
            this.render = render;
        }

        @Override
        public void claim(Handle handle) {
            answer = null;
            keys.claim(handle, key);
        }

        @Override
        public void keep(Handle handle, List<Outcome> outcomes) {
            answer = IdempotentAnswers.this.keep(handle, key, render.apply(outcomes));
        }

        /** The answer kept, once the write committed; empty when nothing was kept (it failed as a whole). */
        Optional<Response> answer() {
            return Optional.ofNullable(answer);
        }
    }

    private static IdempotencyKeys.Answer rendered(Response answer) {
        List<String> headers = new ArrayList<>();
        for (String name : KEPT_HEADERS) {
            String value = answer.getHeaderString(name);
            if (value != null) {
                headers.add(name + ": " + value);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            ((StreamingOutput) answer.getEntity()).write(body); // every write's answer is written so (JsonResponses)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new IdempotencyKeys.Answer(answer.getStatus(), headers, body.toByteArray());
    }

    private static Response.ResponseBuilder response(IdempotencyKeys.Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body());
        for (String header : answer.headers()) {
            int colon = header.indexOf(": ");
            response.header(header.substring(0, colon), header.substring(colon + 2));
        }
        return response;
    }
}
