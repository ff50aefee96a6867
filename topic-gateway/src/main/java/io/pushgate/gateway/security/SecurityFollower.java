package io.pushgate.gateway.security;

import org.jboss.logging.Logger;

/** Keeps a {@link SecurityService} up to date with the store's changes, reloading all of it at a resync. */
public final class SecurityFollower implements SecurityChanges {

    private static final Logger LOG = Logger.getLogger(SecurityFollower.class);

    private final SecurityService security;
    private final SecurityStore store;

    public SecurityFollower(SecurityService security, SecurityStore store) {
        this.security = security;
        this.store = store;
    }

    @Override
    public void roleChanged(String name, RoleDefinition role) {
        security.roleChanged(name, role);
    }

    @Override
    public void principalChanged(String principal, PrincipalOverrides overrides) {
        security.principalChanged(principal, overrides);
    }

    @Override
    public void resync() {
        store.loadAll().whenComplete((all, error) -> {
            if (error != null) {
                LOG.warnv("cannot load the security store: {0}", error.getMessage());
            } else {
                security.replaceAll(all.roles(), all.principals());
            }
        });
    }
}
