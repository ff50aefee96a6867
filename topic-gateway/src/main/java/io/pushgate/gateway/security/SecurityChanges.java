package io.pushgate.gateway.security;

/**
 * The listener of security definition changes (roles, principals' overrides), as every replica
 * receives them from the {@link SecurityStore} (through {@code store.ChangeStream}).
 *
 * <p>Guarantees: the changes of one role or principal arrive in the order the store applied
 * them, from one thread at a time; delivery is at most once, and after an interruption (and once,
 * when the stream begins) {@link #resync} says that everything must be read again.
 */
public interface SecurityChanges {

    /** A role was stored ({@code role}) or removed (null). */
    void roleChanged(String name, RoleDefinition role);

    /** A principal's overrides were stored ({@code overrides}) or removed (null). */
    void principalChanged(String principal, PrincipalOverrides overrides);

    /** Changes may have been missed: read every definition again ({@link SecurityStore#loadAll}). */
    void resync();
}
