package io.pushgate.jwt;

import java.time.Instant;
import java.util.List;

/**
 * What a verified token says about its bearer.
 *
 * @param principal {@code preferred_username} if the token has one (Keycloak), else {@code sub}
 * @param subject   {@code sub} (a UUID in Keycloak's tokens, the principal's name in the auth-service's)
 * @param roles     the {@code roles} claim, else Keycloak's {@code realm_access.roles}, else none
 * @param expiresAt {@code exp}: the session's rights end then unless it presents a fresh token
 * @param issuer    {@code iss}, exactly one of the trusted issuers
 */
public record VerifiedToken(String principal, String subject, List<String> roles, Instant expiresAt, String issuer) {

    public VerifiedToken {
        roles = List.copyOf(roles);
    }
}
