package io.pushgate.gateway.security;

import java.time.Instant;
import java.util.List;

/** Who a session is, from a verified token: principal, roles, and when the rights end. */
public record Credentials(String principal, List<String> roles, Instant expiresAt) {

    public Credentials {
        roles = List.copyOf(roles);
    }
}
