package org.kernelci.batch.auth;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The servlet container's roles and the token permissions each grants ({@code KCI_AUTH_ROLES}): a
 * user the container signed in acts as a token holding the permissions of all its mapped roles, so
 * that every check made of a token is made of the user the same way.
 *
 * @param roles each role's permissions, in the setting's order
 */
public record RoleMapping(Map<String, Set<Permission>> roles) {
    /** What a role may grant: not ip_restricted, which restricts a token to its stored addresses. */
    private static final Set<Permission> GRANTED = EnumSet.complementOf(EnumSet.of(Permission.IP_RESTRICTED));
    /** Characters of a user name that a log line may hold as they are; the others become '?'. */
    private static final String PLAIN = "[^A-Za-z0-9._@+-]";
    private static final int LABEL_LENGTH = 64;

    public RoleMapping {
        roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    /**
     * Reads {@code role=permission,permission;role=permission}: roles as the container names them,
     * permissions by their names in a token request ({@code get}, {@code post}, {@code delete},
     * {@code admin}...).
     *
     * @throws IllegalArgumentException naming the entry at fault
     */
    public static RoleMapping parse(String text) {
        Map<String, Set<Permission>> roles = new LinkedHashMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + entry.strip() + "' is not role=permission,permission");
            }
            String role = entry.substring(0, equals).strip();
            if (role.isEmpty()) {
                throw new IllegalArgumentException("'" + entry.strip() + "' has no role name before '='");
            }
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (String name : entry.substring(equals + 1).split(",")) {
                if (!name.isBlank()) {
                    permissions.add(permission(role, name.strip()));
                }
            }
            if (permissions.isEmpty()) {
                throw new IllegalArgumentException("role '" + role + "' grants no permission");
            }
            if (roles.put(role, permissions) != null) {
                throw new IllegalArgumentException("role '" + role + "' is mapped twice");
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("no role is mapped");
        }
        return new RoleMapping(roles);
    }

    private static Permission permission(String role, String name) {
        return GRANTED.stream().filter(permission -> permission.member().equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("role '" + role + "': unknown permission '" + name
                        + "' (one of " + GRANTED.stream().map(Permission::member).collect(Collectors.joining(", "))
                        + ")"));
    }

    /** The mapped roles' names, in the setting's order. */
    public List<String> names() {
        return List.copyOf(roles.keySet());
    }

    /**
     * The token a signed-in user acts with: the permissions of the mapped roles it is in; none
     * when it is in none of them. Its id, which log lines show, is the user's name with only
     * plain characters; its username is the name as the container gave it.
     */
    public Optional<Token> token(String user, Predicate<String> inRole) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        roles.forEach((role, granted) -> {
            if (inRole.test(role)) {
                permissions.addAll(granted);
            }
        });
        if (permissions.isEmpty()) {
            return Optional.empty();
        }
        String label = user.replaceAll(PLAIN, "?");
        label = "user:" + label.substring(0, Math.min(label.length(), LABEL_LENGTH));
        return Optional.of(new Token(label, null, user, null, null, false, List.of(), permissions));
    }
}
