package io.pushgate.auth.health;

import io.pushgate.auth.keys.SigningKey;
import io.pushgate.auth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the signing key is loaded (from configuration, or from Redis, generated if need
 * be): a replica that cannot sign must not receive token requests. Next to the Redis check
 * that quarkus-redis-client contributes.
 */
@Readiness
@ApplicationScoped
public class SigningKeyHealthCheck implements HealthCheck {

    private final SigningKeys keys;

    public SigningKeyHealthCheck(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            SigningKey key = keys.current();
            return HealthCheckResponse.named("signing key").up().withData("kid", key.kid()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("signing key").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
