package io.pushgate.jwt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the roles of a token are, in its claims or in an introspection answer about it: {@code roles}
 * (the auth-service), else Keycloak's {@code realm_access.roles}, else none.
 */
public final class RoleClaims {

    private RoleClaims() {
    }

    /**
     * The roles in {@code claims}; {@code malformed} makes the error for a member (named as
     * {@code roles} or {@code realm_access.roles}) that is not an array of strings.
     */
    public static List<String> of(Map<String, ?> claims, Function<String, RuntimeException> malformed) {
        Object roles = claims.get("roles");
        if (roles != null) {
            return strings(roles, "roles", malformed);
        }
        if (claims.get("realm_access") instanceof Map<?, ?> realmAccess && realmAccess.containsKey("roles")) {
            return strings(realmAccess.get("roles"), "realm_access.roles", malformed);
        }
        return List.of();
    }

    private static List<String> strings(Object value, String member, Function<String, RuntimeException> malformed) {
        if (!(value instanceof Collection<?> items)) {
            throw malformed.apply(member);
        }
        List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String s)) {
                throw malformed.apply(member);
            }
            out.add(s);
        }
        return out;
    }
}
