package org.kernelci.batch.plan;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.schema.Field;

/**
 * Plans a comparison from its request body (CONTRACT.md section 12.5): a JSON object naming the
 * baseline, with {@code compare_to}, a non-empty array of targets named alike. Every problem of
 * the body is listed in one 400, each naming the member at fault; the contract's own reasons are
 * {@value #MISSING} (the baseline's, or prefixed with the target's place) and {@value #NO_TARGETS}.
 * A member that is {@code null} or empty counts as absent, as in the original; when an id member
 * is given it selects alone.
 */
public final class ComparePlanner {
    static final String MISSING = "Missing mandatory data to perform a comparison";
    static final String NO_TARGETS = "No data provided to compare to";
    private static final String COMPARE_TO = "compare_to";
    private static final JsonProvider JSON = JsonProvider.provider();
    /** Hex digits of an id: as many as an ObjectId's, so that an id is one of the original's. */
    private static final int ID_DIGITS = 24;

    private final int maxTargets;

    /** @param maxTargets the most targets a request may name (the batch's operation limit) */
    public ComparePlanner(int maxTargets) {
        this.maxTargets = maxTargets;
    }

    /** A client's request. */
    public ComparePlan plan(CompareKind kind, JsonValue body) {
        return plan(kind, body, maxTargets);
    }

    /** A kept request, planned as when it was kept (whatever the limit is now). */
    public ComparePlan kept(CompareKind kind, JsonValue request) {
        return plan(kind, request, Integer.MAX_VALUE);
    }

    private static ComparePlan plan(CompareKind kind, JsonValue body, int maxTargets) {
        if (!(body instanceof JsonObject request)) {
            throw ApiException.badRequest("Provided JSON is not valid: expected an object with the baseline and '"
                    + COMPARE_TO + "'");
        }
        StringJoiner problems = new StringJoiner("; ");
        List<ComparePlan.Target> targets = new ArrayList<>();
        Map<String, String> baseline = new TreeMap<>();
        target(kind, "baseline", "", request, baseline, problems).ifPresent(targets::add);
        JsonArrayBuilder keptTargets = JSON.createArrayBuilder();
        JsonValue compareTo = request.getOrDefault(COMPARE_TO, JsonValue.NULL);
        if (compareTo == JsonValue.NULL || compareTo instanceof JsonArray array && array.isEmpty()) {
            problems.add(NO_TARGETS);
        } else if (!(compareTo instanceof JsonArray array)) {
            problems.add("'" + COMPARE_TO + "' must be an array of objects");
        } else if (array.size() > maxTargets) {
            problems.add("Too many targets in '" + COMPARE_TO + "': " + array.size() + ", at most " + maxTargets);
        } else {
            for (int i = 0; i < array.size(); i++) {
                String name = COMPARE_TO + "[" + i + "]";
                if (!(array.get(i) instanceof JsonObject object)) {
                    problems.add(name + ": expected an object");
                    continue;
                }
                Map<String, String> criteria = new TreeMap<>();
                target(kind, name, name + ": ", object, criteria, problems).ifPresent(targets::add);
                keptTargets.add(object(criteria));
            }
        }
        if (problems.length() > 0) {
            throw ApiException.badRequest(problems.toString());
        }
        JsonObjectBuilder kept = JSON.createObjectBuilder();
        baseline.forEach(kept::add);
        String text = kept.add(COMPARE_TO, keptTargets).build().toString();
        return new ComparePlan(kind, targets, text, id(kind, text));
    }

    /**
     * The baseline or a target, or its problems: the members it may have ({@code compare_to} too
     * for the baseline), each a string of its field's type; an id member, or all the members that
     * select without one. The members that select go into {@code criteria}, by name.
     */
    private static Optional<ComparePlan.Target> target(CompareKind kind, String name, String at, JsonObject object,
                                                       Map<String, String> criteria, StringJoiner problems) {
        int before = problems.length();
        Map<String, String> given = new TreeMap<>();
        // Members given a value, valid or not: an invalid one is its own problem, not a missing one.
        Set<String> present = new HashSet<>();
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            String key = member.getKey();
            JsonValue value = member.getValue();
            if (!kind.members().contains(key)) {
                if (!(at.isEmpty() && key.equals(COMPARE_TO))) {
                    problems.add(at + "Unknown member '" + key + "'");
                }
            } else if (value instanceof JsonString string && !string.getString().isEmpty()) {
                present.add(key);
                try {
                    given.put(key, (String) field(kind, key).type().parse(string.getString()));
                } catch (IllegalArgumentException e) {
                    problems.add(at + "'" + key + "' must be " + field(kind, key).type().expected() + ": '"
                            + string.getString() + "'");
                }
            } else if (value != JsonValue.NULL && !(value instanceof JsonString)) {
                present.add(key);
                problems.add(at + "'" + key + "' must be a string");
            }
        }
        boolean byId = present.contains(kind.idMember());
        if (!byId && !present.containsAll(kind.required())) {
            problems.add(at + MISSING);
        }
        if (problems.length() != before) {
            return Optional.empty();
        }
        if (byId) {
            criteria.put(kind.idMember(), given.get(kind.idMember()));
        } else {
            criteria.putAll(given);
        }
        List<Condition> conditions = new ArrayList<>();
        criteria.forEach((key, value) -> conditions.add(new Condition.Match(field(kind, key), List.of(value), false)));
        return Optional.of(new ComparePlan.Target(name, object(criteria).toString(), conditions));
    }

    /** The field a member selects by. */
    private static Field field(CompareKind kind, String member) {
        return member.equals(kind.idMember()) ? kind.idField() : kind.collection().field(member).orElseThrow();
    }

    private static JsonObject object(Map<String, String> members) {
        JsonObjectBuilder object = JSON.createObjectBuilder();
        members.forEach(object::add);
        return object.build();
    }

    /**
     * The first 24 hex digits of the SHA-256 of the kind and the kept request: the same request has
     * the same id on every node, and two requests share one only by a collision of 96 bits.
     */
    private static String id(CompareKind kind, String request) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((kind.route() + "\n" + request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, ID_DIGITS / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
