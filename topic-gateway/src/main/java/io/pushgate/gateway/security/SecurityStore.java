package io.pushgate.gateway.security;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The port to the security definitions shared by the replicas: stored roles and principals'
 * overrides. Implementations: {@code redis.RedisSecurityStore}, {@code memory.MemorySecurityStore}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Each write is atomic with the change it publishes: every replica's {@link SecurityChanges}
 *       sees the changes of one role or principal in one order.</li>
 *   <li>Read your writes: when a write's stage completes, this replica's {@link SecurityService}
 *       already applies it (sessions here see it at once; others when the change reaches them).</li>
 *   <li>Failures complete the stage exceptionally with a {@code ProtocolException}
 *       ({@code UNAVAILABLE} when the store cannot be reached); a failed write changed nothing.</li>
 * </ul>
 */
public interface SecurityStore {

    /** What the store holds. */
    record Definitions(List<RoleDefinition> roles, List<PrincipalOverrides> principals) {
    }

    /** Stores a role: true if it is new. */
    CompletionStage<Boolean> putRole(RoleDefinition role);

    /** Removes a role: true if it existed. */
    CompletionStage<Boolean> removeRole(String name);

    /** Stores a principal's overrides (no path permissions: removes them): true if they changed. */
    CompletionStage<Boolean> putPrincipal(PrincipalOverrides overrides);

    /** Every stored role and principal's overrides (those that do not parse are left out, and logged). */
    CompletionStage<Definitions> loadAll();
}
