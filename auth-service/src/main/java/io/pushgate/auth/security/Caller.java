package io.pushgate.auth.security;

import io.pushgate.protocol.GlobalPermission;
import java.util.Set;

/**
 * Who makes a request, as proven by a Bearer token this service issued, with the global
 * permissions its roles give here (see {@link RolePermissions}).
 *
 * @param name        the token's {@code sub}
 * @param roles       the token's {@code roles}
 * @param permissions what those roles allow in the auth-service
 */
public record Caller(String name, Set<String> roles, Set<GlobalPermission> permissions) {

    public Caller {
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
    }

    public boolean has(GlobalPermission permission) {
        return permissions.contains(permission);
    }

    /** ADMINISTRATOR holds every role, so it may grant any of them. */
    public boolean holds(String role) {
        return roles.contains(role) || roles.contains(Roles.ADMINISTRATOR);
    }

    public boolean holdsAll(Iterable<String> wanted) {
        for (String role : wanted) {
            if (!holds(role)) {
                return false;
            }
        }
        return true;
    }
}
