package org.kernelci.batch.parse;

import jakarta.json.JsonValue;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * What each part of ArangoDB's batch asks (CONTRACT.md section 8), read once from the request it
 * holds ({@link ArangoEnvelope}): an operation of the shared model whose target is a collection,
 * a count or distinct values; a request that runs alone, through the application (another route,
 * or a request of a model's route that the model does not run as sent: conditional, encoded, with
 * its own Idempotency-Key, a body that is not plain JSON); or a part refused (its target is no
 * plain path, or a batch).
 */
public final class ArangoRequests {
    /** The count route, as the planner names it. */
    private static final String COUNT = "count";
    private static final String JSON = "application/json";

    private ArangoRequests() {
    }

    /** What a part asks. */
    public sealed interface Request {
    }

    /**
     * An operation of the shared model: a listing, a document, a count, distinct values, a report,
     * a PUT or a DELETE. Whether its caller may run it so is not read here.
     *
     * @param collections what it reads or writes, which its caller must be allowed
     * @param contentType the Content-Type of the JSON body it sends, or null when it sends none
     * @param alone       the same request run alone: what runs when the model would not run it as
     *                    its plain resource would (the caller's permissions, its body's media type)
     */
    public record Operation(BatchOperation operation, List<Collection> collections, String contentType, Alone alone)
            implements Request {
        public Operation {
            collections = List.copyOf(collections);
        }
    }

    /**
     * A request run alone, through the application, as it would be sent by itself.
     *
     * @param path   the raw path, from the service's root
     * @param query  the raw query, or null
     * @param writes unless GET or HEAD: what came before it runs first, and an atomic batch refuses it
     */
    public record Alone(String path, String query, boolean writes) implements Request {
    }

    /** Not run: its part answers this. */
    public record Refused(int status, String reason) implements Request {
    }

    /**
     * What the part asks.
     *
     * @param maxBodyBytes the most bytes a PUT's or a report's body may hold; a larger one runs
     *                     alone, whose resource answers it
     */
    public static Request read(ArangoEnvelope.Part part, int maxBodyBytes) {
        String where = "part[" + part.index() + "]: ";
        String target = part.target();
        int mark = target.indexOf('?');
        String path = mark < 0 ? target : target.substring(0, mark);
        String query = mark < 0 ? null : target.substring(mark + 1);
        if (!path.startsWith("/")) {
            path = "/" + path; // relative to the service's root, as ArangoDB reads it
        }
        URI uri;
        try {
            uri = URI.create(path + (query == null ? "" : "?" + encodeUnsafeCharacters(query)));
        } catch (IllegalArgumentException e) {
            return new Refused(400, where + "the target '" + target + "' is not a path with an optional query");
        }
        if (target.contains("#") || uri.getRawPath() == null) {
            return new Refused(400, where + "the target '" + target + "' is not a path with an optional query");
        }
        String[] split = uri.getPath().split("/", -1);
        List<String> segments = new ArrayList<>(Arrays.asList(split).subList(1, split.length));
        if (segments.size() > 1 && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1); // a trailing '/' is the same route
        }
        if (segments.stream().anyMatch(s -> s.equals(".") || s.equals(".."))
                || segments.subList(0, Math.max(0, segments.size() - 1)).stream().anyMatch(String::isEmpty)) {
            return new Refused(400, where + "the target '" + target + "' is not a plain path ('//', '.' or '..')");
        }
        if (segments.equals(List.of("batch")) || segments.equals(List.of("_api", "batch"))) {
            return new Refused(400, where + "a batch cannot hold a batch");
        }
        boolean writes = !(part.method().equals("GET") || part.method().equals("HEAD"));
        Alone alone = new Alone(uri.getRawPath(), query, writes);
        if (writes && part.header("Idempotency-Key") != null) {
            return alone; // its own key: it runs as its plain request, which keeps its answer with its key
        }
        String accept = part.header("Accept");
        boolean plain = uri.getRawPath().matches("[A-Za-z0-9._~/-]*")
                && part.header("If-None-Match") == null
                && part.header("Content-Encoding") == null
                && (accept == null || accept.equals("*/*") || accept.equals(JSON));
        if (!plain) {
            return alone;
        }
        return operation(part, segments, query, alone, maxBodyBytes).<Request>map(operation -> operation).orElse(alone);
    }

    /** The part as an operation of the model, when its route is one. */
    private static Optional<Operation> operation(ArangoEnvelope.Part part, List<String> segments, String query,
                                                 Alone alone, int maxBodyBytes) {
        String method = part.method();
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        String first = segments.get(0);
        if (first.equals(COUNT)) {
            if (!method.equals("GET") || segments.size() > 2) {
                return Optional.empty();
            }
            List<Collection> counted = segments.size() == 1 ? Collections.COUNTED_BY_DEFAULT
                    : Collections.byName(segments.get(1)).map(List::of).orElse(List.of());
            if (counted.isEmpty()) {
                return Optional.empty();
            }
            String named = segments.size() == 2 ? segments.get(1) : null;
            return Optional.of(new Operation(operation(part, "GET", COUNT, named, query, null, null), counted, null,
                    alone));
        }
        // A collection's path is one segment or two (test/group): the segments after it are the route's.
        Optional<Collection> found = segments.size() > 1 ? Collections.atPath(first + "/" + segments.get(1))
                : Optional.empty();
        if (found.isPresent()) {
            segments = segments.subList(1, segments.size());
        } else {
            found = Collections.atPath(first);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Collection collection = found.get();
        List<Collection> collections = List.of(collection);
        // The name an entry answers with: an alias as requested (build), else the collection's (a path
        // such as statistics or test/group is no name).
        String name = collection.answersTo(first) ? first : collection.name();
        if (segments.size() == 1 && method.equals("GET")) {
            return Optional.of(new Operation(operation(part, method, name, null, query, null, null), collections, null,
                    alone));
        }
        if (segments.size() == 1 && method.equals("POST")) {
            return jsonBody(part, maxBodyBytes).map(data -> new Operation(
                    operation(part, method, name, null, null, null, data), collections, part.header("Content-Type"),
                    alone));
        }
        if (segments.size() == 3 && segments.get(1).equals("distinct") && method.equals("GET")) {
            return Optional.of(new Operation(operation(part, method, name, null, query, segments.get(2), null),
                    collections, null, alone));
        }
        if (segments.size() != 2 || CollectionRoutes.isOtherRoute(segments.get(1))) {
            return Optional.empty();
        }
        String id = segments.get(1);
        return switch (method) {
            case "GET" -> Optional.of(new Operation(operation(part, method, name, id, query, null, null), collections,
                    null, alone));
            case "PUT" -> jsonBody(part, maxBodyBytes).map(data -> new Operation(
                    operation(part, method, name, id, null, null, data), collections, part.header("Content-Type"),
                    alone));
            case "DELETE" -> Optional.of(new Operation(operation(part, method, name, id, null, null, null), collections,
                    null, alone));
            default -> Optional.empty();
        };
    }

    /** The JSON a PUT or a report sends, when its resource would read it: JSON content type, size, syntax. */
    private static Optional<JsonValue> jsonBody(ArangoEnvelope.Part part, int maxBodyBytes) {
        String contentType = part.header("Content-Type");
        if (!isJson(contentType) || part.body().length > maxBodyBytes) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonBody.read(part.body()));
        } catch (ApiException e) {
            return Optional.empty(); // its resource answers the mistake
        }
    }

    /**
     * {@code application/json}, with parameters or none. Whether its parameters read as the
     * container reads a media type is the HTTP edge's to tell.
     */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals(JSON);
    }

    /**
     * The query with the characters a URI may not hold but a request line may percent-encoded,
     * as the container (Jersey's {@code ContainerUtils}) encodes a request's query.
     */
    static String encodeUnsafeCharacters(String query) {
        return query.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C").replace("^", "%5E")
                .replace("|", "%7C").replace("`", "%60");
    }

    private static BatchOperation operation(ArangoEnvelope.Part part, String method, String collection, String document,
                                            String query, String distinct, JsonValue data) {
        return new BatchOperation(part.index(), null, method, collection, document, query, distinct, "collection", data,
                null);
    }
}
