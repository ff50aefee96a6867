package io.pushgate.gateway.security;

import java.time.Instant;
import java.util.List;

/**
 * Who a session is, from a verified token: principal, roles, and when the rights end.
 *
 * @param recheck how an open session learns of changes to these credentials before {@code expiresAt}
 *                (token introspection), or null when the token is only verified offline
 */
public record Credentials(String principal, List<String> roles, Instant expiresAt, CredentialCheck recheck) {

    public Credentials {
        roles = List.copyOf(roles);
    }

    /** Credentials that nothing re-checks: they hold until {@code expiresAt}. */
    public Credentials(String principal, List<String> roles, Instant expiresAt) {
        this(principal, roles, expiresAt, null);
    }
}
