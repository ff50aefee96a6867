package io.pushgate.auth.principals;

import io.pushgate.auth.errors.AuthException;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the built-in {@code admin}'s password comes from: {@code auth.admin-password}, or, in
 * dev and test only, a random one. Plain logic, so that the prod refusal is tested without
 * starting the service in prod. It throws {@link ConfigurationException}, which Quarkus prints
 * as one line rather than a stack trace.
 *
 * @param password  the password
 * @param generated true when it was generated (and must be shown once to the developer)
 */
public record AdminPassword(String password, boolean generated) {

    static final String MISSING_IN_PROD = "auth.admin-password (env AUTH_ADMIN_PASSWORD) is not set: "
            + "the auth-service does not start in prod without a password for the built-in 'admin' principal";

    public static AdminPassword resolve(Optional<String> configured, LaunchMode mode) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            try {
                Validation.password(configured.get());
            } catch (AuthException e) {
                throw new ConfigurationException("auth.admin-password is not acceptable: " + e.getMessage());
            }
            return new AdminPassword(configured.get(), false);
        }
        if (!mode.isDevOrTest()) {
            throw new ConfigurationException(MISSING_IN_PROD);
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return new AdminPassword(Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
    }

    @Override
    public String toString() {
        return "AdminPassword[generated=" + generated + "]";
    }
}
