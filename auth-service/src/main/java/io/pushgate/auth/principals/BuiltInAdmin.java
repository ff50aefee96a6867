package io.pushgate.auth.principals;

import io.pushgate.auth.config.AuthConfig;
import io.pushgate.auth.security.Roles;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The principal {@code admin} with role ADMINISTRATOR. It lives in configuration, not in Redis:
 * changing {@code auth.admin-password} and restarting is how an operator recovers access, and no
 * API call can delete or demote it. Created at start, so that a prod start without a password
 * fails at once with {@link AdminPassword#MISSING_IN_PROD}.
 */
@Startup
@ApplicationScoped
public class BuiltInAdmin {

    public static final String NAME = "admin";

    private static final Logger LOG = Logger.getLogger(BuiltInAdmin.class);

    private final Principal principal;

    public BuiltInAdmin(AuthConfig config, PasswordHasher hasher) {
        AdminPassword password = AdminPassword.resolve(config.adminPassword(), LaunchMode.current());
        if (password.generated()) {
            // the one place a password is ever logged: a generated dev/test password the developer needs
            LOG.warnf("auth.admin-password is not set: generated a password for '%s' (dev/test only, changes at each start): %s",
                    NAME, password.password());
        }
        this.principal = new Principal(NAME, hasher.hash(password.password()), List.of(Roles.ADMINISTRATOR));
    }

    public Principal principal() {
        return principal;
    }

    public static boolean is(String name) {
        return NAME.equals(name);
    }
}
