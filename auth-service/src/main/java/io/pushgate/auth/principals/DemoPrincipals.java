package io.pushgate.auth.principals;

import io.pushgate.auth.config.AuthConfig;
import io.pushgate.auth.security.Roles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * With {@code auth.demo-principals=true}, creates the demo principals at start when they are
 * missing (an existing one is left alone, password and roles included). The same names and
 * passwords as the Keycloak demo realm in {@code deploy/keycloak}. Demo only: the passwords
 * are in the README.
 */
@ApplicationScoped
public class DemoPrincipals {

    /** A demo principal: name, password, roles. */
    record Demo(String name, String password, List<String> roles) {
    }

    static final List<Demo> DEMOS = List.of(
            new Demo("alice", "alice-password", List.of(Roles.CLIENT)),
            new Demo("bob", "bob-password", List.of(Roles.CLIENT)),
            new Demo("carol", "carol-password", List.of(Roles.TOPIC_CONTROL)));

    private static final Logger LOG = Logger.getLogger(DemoPrincipals.class);

    private final boolean enabled;
    private final PrincipalStore store;
    private final PasswordHasher hasher;

    public DemoPrincipals(AuthConfig config, PrincipalStore store, PasswordHasher hasher) {
        this.enabled = config.demoPrincipals();
        this.store = store;
        this.hasher = hasher;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        try {
            for (Demo demo : DEMOS) {
                if (store.find(demo.name()).isEmpty()
                        && store.create(new Principal(demo.name(), hasher.hash(demo.password()), demo.roles()))) {
                    LOG.infof("Created demo principal %s with roles %s", demo.name(), demo.roles());
                }
            }
        } catch (RuntimeException e) {
            // a demo convenience must not keep the service down; the principals come with the next start
            LOG.warnf("Could not create the demo principals (is Redis up?): %s", e.getMessage());
        }
    }
}
