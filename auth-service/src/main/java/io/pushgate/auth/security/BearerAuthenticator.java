package io.pushgate.auth.security;

import io.pushgate.auth.errors.AuthException;
import io.pushgate.auth.tokens.TokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. No header is no caller (the API
 * decides whether that is enough, as for self sign-up); a header that does not hold a valid
 * Bearer token of this service is a 401, never a silent fall-back to anonymous.
 */
@ApplicationScoped
public class BearerAuthenticator {

    private static final String BEARER = "Bearer ";

    private final TokenVerifier verifier;
    private final RolePermissions permissions;

    public BearerAuthenticator(TokenVerifier verifier, RolePermissions permissions) {
        this.verifier = verifier;
        this.permissions = permissions;
    }

    public Optional<Caller> authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw AuthException.unauthenticated("only Bearer tokens are accepted");
        }
        TokenVerifier.VerifiedToken token = verifier.verify(authorization.substring(BEARER.length()).trim())
                .orElseThrow(() -> AuthException.unauthenticated("the token is not valid"));
        return Optional.of(new Caller(token.subject(), Set.copyOf(token.roles()), permissions.of(token.roles())));
    }

    /** The caller, or 401 when there is none. */
    public Caller require(String authorization) {
        return authenticate(authorization)
                .orElseThrow(() -> AuthException.unauthenticated("a Bearer token is required"));
    }
}
