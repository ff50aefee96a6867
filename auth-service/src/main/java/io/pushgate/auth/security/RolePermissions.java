package io.pushgate.auth.security;

import io.pushgate.protocol.GlobalPermission;
import io.pushgate.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which global permissions a set of roles holds in the auth-service. Deliberately simpler than
 * the gateway's role store (which may be edited live): ADMINISTRATOR holds everything, the
 * roles of {@code auth.security-roles} hold VIEW_SECURITY and MODIFY_SECURITY, other roles
 * hold nothing here.
 */
@ApplicationScoped
public class RolePermissions {

    private final Set<String> securityRoles;

    public RolePermissions(AuthConfig config) {
        this.securityRoles = Set.copyOf(config.securityRoles());
    }

    public Set<GlobalPermission> of(Collection<String> roles) {
        if (roles.contains(Roles.ADMINISTRATOR)) {
            return EnumSet.allOf(GlobalPermission.class);
        }
        for (String role : roles) {
            if (securityRoles.contains(role)) {
                return EnumSet.of(GlobalPermission.VIEW_SECURITY, GlobalPermission.MODIFY_SECURITY);
            }
        }
        return EnumSet.noneOf(GlobalPermission.class);
    }
}
