package io.pushgate.auth.principals;

import io.pushgate.auth.config.AuthConfig;
import io.pushgate.auth.errors.AuthException;
import io.pushgate.auth.security.Caller;
import io.pushgate.protocol.GlobalPermission;
import io.pushgate.auth.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of the principals API.
 *
 * <ul>
 * <li>Changes need MODIFY_SECURITY, reading another principal VIEW_SECURITY (anyone may read
 * themself).</li>
 * <li>Nobody grants a role they do not hold, nor changes or deletes a principal holding a role
 * they do not hold: a security manager cannot make or unmake an administrator.</li>
 * <li>Without a token, self sign-up (where enabled) creates CLIENT-only principals.</li>
 * <li>The built-in {@code admin} is configuration: it cannot be created, changed or deleted here.</li>
 * </ul>
 */
@ApplicationScoped
public class PrincipalService {

    private static final List<String> DEFAULT_ROLES = List.of(Roles.CLIENT);

    private final PrincipalStore store;
    private final BuiltInAdmin admin;
    private final PasswordHasher hasher;
    private final boolean selfSignup;

    public PrincipalService(PrincipalStore store, BuiltInAdmin admin, PasswordHasher hasher, AuthConfig config) {
        this.store = store;
        this.admin = admin;
        this.hasher = hasher;
        this.selfSignup = config.selfSignup();
    }

    /** Looks a principal up for a login: the built-in admin or a stored one; empty for names that cannot exist. */
    public Optional<Principal> find(String name) {
        if (!Validation.isValidName(name)) {
            return Optional.empty();
        }
        return BuiltInAdmin.is(name) ? Optional.of(admin.principal()) : store.find(name);
    }

    public PrincipalView create(Optional<Caller> caller, NewPrincipal request) {
        if (caller.isEmpty() && !selfSignup) {
            throw AuthException.unauthenticated("self sign-up is disabled: a Bearer token with MODIFY_SECURITY is required");
        }
        caller.ifPresent(c -> requirePermission(c, GlobalPermission.MODIFY_SECURITY));
        if (request == null) {
            throw AuthException.invalid("a body {name, password, roles} is required");
        }
        String name = Validation.name(request.name());
        String password = Validation.password(request.password());
        List<String> roles = Validation.roles(request.roles() == null ? DEFAULT_ROLES : request.roles());
        if (caller.isEmpty() && !DEFAULT_ROLES.containsAll(roles)) {
            throw AuthException.permissionDenied("self sign-up creates only CLIENT principals");
        }
        caller.ifPresent(c -> requireHolds(c, roles, "grant"));
        if (BuiltInAdmin.is(name)) {
            throw AuthException.conflict("a principal with this name exists");
        }
        Principal principal = new Principal(name, hasher.hash(password), roles);
        if (!store.create(principal)) {
            throw AuthException.conflict("a principal with this name exists");
        }
        return PrincipalView.of(principal);
    }

    public PrincipalView get(Caller caller, String name) {
        if (!caller.name().equals(name)) {
            requirePermission(caller, GlobalPermission.VIEW_SECURITY);
        }
        return PrincipalView.of(existing(name));
    }

    public void delete(Caller caller, String name) {
        requirePermission(caller, GlobalPermission.MODIFY_SECURITY);
        Principal target = changeable(caller, name);
        if (!store.delete(target.name())) {
            throw AuthException.notFound("no such principal");
        }
    }

    public PrincipalView setRoles(Caller caller, String name, List<String> requested) {
        requirePermission(caller, GlobalPermission.MODIFY_SECURITY);
        List<String> roles = Validation.roles(requested);
        Principal target = changeable(caller, name);
        requireHolds(caller, roles, "grant");
        Principal updated = target.withRoles(roles);
        if (!store.update(updated)) {
            throw AuthException.notFound("no such principal");
        }
        return PrincipalView.of(updated);
    }

    /** The principal, if the caller may change it. */
    private Principal changeable(Caller caller, String name) {
        if (BuiltInAdmin.is(name)) {
            throw AuthException.permissionDenied("the built-in admin is configured by auth.admin-password, not through the API");
        }
        Principal target = existing(name);
        requireHolds(caller, target.roles(), "change a principal holding");
        return target;
    }

    private Principal existing(String name) {
        return find(name).orElseThrow(() -> AuthException.notFound("no such principal"));
    }

    private static void requirePermission(Caller caller, GlobalPermission permission) {
        if (!caller.has(permission)) {
            throw AuthException.permissionDenied(permission + " is required");
        }
    }

    private static void requireHolds(Caller caller, List<String> roles, String action) {
        List<String> missing = new ArrayList<>();
        for (String role : roles) {
            if (!caller.holds(role)) {
                missing.add(role);
            }
        }
        if (!missing.isEmpty()) {
            throw AuthException.permissionDenied("cannot " + action + " roles you do not hold: " + String.join(", ", missing));
        }
    }
}
