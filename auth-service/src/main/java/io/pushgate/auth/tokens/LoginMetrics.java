package io.pushgate.auth.tokens;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counters on {@code /q/metrics}: {@code auth_tokens_issued_total{grant}} and
 * {@code auth_logins_failed_total{grant, reason}} (reason {@code credentials} or
 * {@code rate_limited}), so that an operator sees a password-guessing wave.
 */
@ApplicationScoped
public class LoginMetrics {

    private final MeterRegistry registry;

    public LoginMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered up front so that dashboards see zeros rather than missing series
        for (String grant : new String[] {"password", "client_credentials"}) {
            registry.counter("auth.tokens.issued", "grant", grant);
            registry.counter("auth.logins.failed", "grant", grant, "reason", "credentials");
            registry.counter("auth.logins.failed", "grant", grant, "reason", "rate_limited");
        }
        registry.counter("auth.tokens.issued", "grant", "token_exchange");
    }

    public void issued(String grant) {
        registry.counter("auth.tokens.issued", "grant", grant).increment();
    }

    public void failed(String grant, String reason) {
        registry.counter("auth.logins.failed", "grant", grant, "reason", reason).increment();
    }
}
