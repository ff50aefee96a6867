package io.pushgate.gateway.memory;

import io.pushgate.gateway.security.PrincipalOverrides;
import io.pushgate.gateway.security.RoleDefinition;
import io.pushgate.gateway.security.SecurityStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Roles and principals' overrides in memory. A write's stage completes once its change was
 * delivered by the {@link MemoryChangeStream}, so this node applies it before answering.
 */
public final class MemorySecurityStore implements SecurityStore {

    private final Map<String, RoleDefinition> roles = new HashMap<>();
    private final Map<String, PrincipalOverrides> principals = new HashMap<>();
    private final MemoryChangeStream changes;

    public MemorySecurityStore(MemoryChangeStream changes) {
        this.changes = changes;
    }

    @Override
    public synchronized CompletionStage<Boolean> putRole(RoleDefinition role) {
        boolean created = roles.put(role.name(), role) == null;
        return changes.publish(l -> l.security().roleChanged(role.name(), role), created);
    }

    @Override
    public synchronized CompletionStage<Boolean> removeRole(String name) {
        if (roles.remove(name) == null) {
            return CompletableFuture.completedFuture(false);
        }
        return changes.publish(l -> l.security().roleChanged(name, null), true);
    }

    /** Overrides without path permissions remove the principal's entry, as the Redis store does. */
    @Override
    public synchronized CompletionStage<Boolean> putPrincipal(PrincipalOverrides overrides) {
        String principal = overrides.principal();
        boolean changed;
        PrincipalOverrides delivered;
        if (overrides.pathPermissions().isEmpty()) {
            changed = principals.remove(principal) != null;
            delivered = null;
        } else {
            changed = principals.put(principal, overrides) == null;
            delivered = overrides;
        }
        if (!changed && delivered == null) {
            return CompletableFuture.completedFuture(false);
        }
        return changes.publish(l -> l.security().principalChanged(principal, delivered), changed);
    }

    @Override
    public synchronized CompletionStage<Definitions> loadAll() {
        return CompletableFuture.completedFuture(new Definitions(new ArrayList<>(roles.values()), new ArrayList<>(principals.values())));
    }
}
