package io.pushgate.gateway.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's live security state: the role definitions (built-in ones and those stored in
 * Redis) and the principals' overrides, as every replica receives them from the change stream.
 * Sessions ask it for their {@link Access}; when anything changes, its listeners (the hub) make
 * open sessions re-resolve theirs, so a change applies to sessions already open.
 */
public final class SecurityService {

    private volatile SecurityModel model = SecurityModel.builtIn();
    private final Map<String, PrincipalOverrides> overrides = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<String> anonymousRoles;
    private volatile long version;

    public SecurityService(List<String> anonymousRoles) {
        this.anonymousRoles = List.copyOf(anonymousRoles);
    }

    /** What a session with this principal and these roles may do now. */
    public Access accessFor(String principal, Collection<String> roles) {
        Access access = model.accessFor(principal, roles);
        PrincipalOverrides own = overrides.get(principal);
        // The gateway's own paths ($presence/...) follow their source topics' rights (ReservedPathAccess).
        return ReservedPathAccess.over(own == null || own.pathPermissions().isEmpty() ? access : new OverriddenAccess(access, own));
    }

    /** The roles of a session without credentials. */
    public List<String> anonymousRoles() {
        return anonymousRoles;
    }

    /** What a session without credentials may do: the configured anonymous roles. */
    public Access anonymous() {
        return accessFor("anonymous", anonymousRoles);
    }

    public SecurityModel model() {
        return model;
    }

    public PrincipalOverrides overridesOf(String principal) {
        return overrides.getOrDefault(principal, new PrincipalOverrides(principal, Map.of()));
    }

    /** A stored role changed ({@code role}), or was removed (null): the built-in one applies again. */
    public void roleChanged(String name, RoleDefinition role) {
        model = role == null ? model.withoutRole(name) : model.withRole(role);
        changed();
    }

    public void principalChanged(String principal, PrincipalOverrides value) {
        if (value == null || value.pathPermissions().isEmpty()) {
            overrides.remove(principal);
        } else {
            overrides.put(principal, value);
        }
        changed();
    }

    /** Replaces everything (a full load after the change stream reconnected). */
    public void replaceAll(Collection<RoleDefinition> roles, Collection<PrincipalOverrides> principals) {
        model = SecurityModel.of(roles, model.evaluation());
        overrides.clear();
        principals.forEach(p -> overrides.put(p.principal(), p));
        changed();
    }

    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Grows with every change: a session whose access is older resolves it again before using it. */
    public long version() {
        return version;
    }

    private void changed() {
        version++;
        listeners.forEach(Runnable::run);
    }
}
