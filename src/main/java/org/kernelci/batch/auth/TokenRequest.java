package org.kernelci.batch.auth;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.kernelci.batch.ApiException;

/**
 * The members of a {@code POST /token} body ({@code post_token.json}), checked: every bad member
 * is named in one 400. Absent members are empty, so that an update changes only what it names.
 *
 * @param grants      the permissions the request sets, to true or false
 * @param ipAddresses addresses or CIDR ranges the token is restricted to
 * @param expiresOn   the expiry instant, or empty; {@code Optional.empty()} inside means "never"
 */
public record TokenRequest(
        Optional<String> email,
        Optional<String> username,
        Optional<Boolean> expired,
        Optional<Optional<Instant>> expiresOn,
        Optional<List<String>> ipAddresses,
        Map<Permission, Boolean> grants) {

    private static final Set<String> OTHER_MEMBERS =
            Set.of("email", "username", "expired", "expires_on", "ip_address", "version");

    public TokenRequest {
        grants = Map.copyOf(grants);
    }

    /** Reads and checks a request body; {@code creating} makes {@code email} required. */
    public static TokenRequest parse(JsonValue body, boolean creating) {
        if (!(body instanceof JsonObject object)) {
            throw ApiException.badRequest("Invalid token request: expected a JSON object");
        }
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>(object.keySet());
        unknown.removeAll(OTHER_MEMBERS);
        Map<Permission, Boolean> grants = new EnumMap<>(Permission.class);
        for (Permission permission : Permission.values()) {
            unknown.remove(permission.member());
            JsonValue value = object.get(permission.member());
            if (value == null || value == JsonValue.NULL) {
                continue;
            }
            if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                grants.put(permission, value == JsonValue.TRUE);
            } else {
                problems.add("'" + permission.member() + "' must be a boolean");
            }
        }
        for (String member : unknown) {
            problems.add("unknown member '" + member + "'");
        }
        Optional<String> email = text(object, "email", problems);
        if (creating && email.isEmpty() && !problems.contains("'email' must be a string")) {
            problems.add("'email' is required");
        }
        Optional<String> username = text(object, "username", problems);
        Optional<Boolean> expired = Optional.empty();
        JsonValue expiredValue = object.get("expired");
        if (expiredValue == JsonValue.TRUE || expiredValue == JsonValue.FALSE) {
            expired = Optional.of(expiredValue == JsonValue.TRUE);
        } else if (expiredValue != null && expiredValue != JsonValue.NULL) {
            problems.add("'expired' must be a boolean");
        }
        Optional<Optional<Instant>> expiresOn = Optional.empty();
        JsonValue expiresValue = object.get("expires_on");
        if (expiresValue == JsonValue.NULL) {
            expiresOn = Optional.of(Optional.empty());
        } else if (expiresValue instanceof JsonString string) {
            Instant instant = instant(string.getString());
            if (instant == null) {
                problems.add("'expires_on' must be a date as YYYY-MM-DD or an ISO-8601 date-time, not '"
                        + string.getString() + "'");
            } else {
                expiresOn = Optional.of(Optional.of(instant));
            }
        } else if (expiresValue != null) {
            problems.add("'expires_on' must be a date as YYYY-MM-DD");
        }
        Optional<List<String>> addresses = Optional.empty();
        JsonValue addressValue = object.get("ip_address");
        if (addressValue instanceof JsonArray array) {
            List<String> list = new ArrayList<>();
            for (JsonValue item : array) {
                if (item instanceof JsonString string) {
                    try {
                        AddressRange.parse(string.getString());
                        list.add(string.getString().strip());
                    } catch (IllegalArgumentException e) {
                        problems.add("'ip_address' has '" + string.getString() + "', not an IP address or CIDR range");
                    }
                } else {
                    problems.add("'ip_address' must hold strings");
                }
            }
            addresses = Optional.of(list);
        } else if (addressValue instanceof JsonString string) {
            problems.add("'ip_address' must be an array, not '" + string.getString() + "'");
        } else if (addressValue != null && addressValue != JsonValue.NULL) {
            problems.add("'ip_address' must be an array");
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("Invalid token request: " + String.join("; ", problems));
        }
        return new TokenRequest(email, username, expired, expiresOn, addresses, grants);
    }

    /**
     * The permissions of a new token, with the original's cascade: admin grants everything but
     * the lab roles; superuser grants reading and writing.
     */
    Set<Permission> permissionsForNewToken() {
        Set<Permission> permissions = new TreeSet<>();
        grants.forEach((permission, granted) -> {
            if (granted) {
                permissions.add(permission);
            }
        });
        if (permissions.contains(Permission.ADMIN)) {
            permissions.addAll(List.of(Permission.SUPERUSER, Permission.GET, Permission.POST, Permission.DELETE,
                    Permission.CREATE_TOKEN, Permission.UPLOAD));
        }
        if (permissions.contains(Permission.SUPERUSER)) {
            permissions.addAll(List.of(Permission.GET, Permission.POST, Permission.DELETE, Permission.UPLOAD));
        }
        return permissions;
    }

    /** The same request without its permissions (applied separately, with the cascade). */
    TokenRequest withoutGrants() {
        return new TokenRequest(email, username, expired, expiresOn, ipAddresses, Map.of());
    }

    private static Optional<String> text(JsonObject object, String member, List<String> problems) {
        JsonValue value = object.get(member);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString string && !string.getString().isBlank()) {
            return Optional.of(string.getString().strip());
        }
        problems.add("'" + member + "' must be a string");
        return Optional.empty();
    }

    private static Instant instant(String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
