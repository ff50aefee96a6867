package io.pushgate.auth.tokens;

import io.pushgate.auth.errors.AuthException;
import io.pushgate.auth.principals.PasswordHasher;
import io.pushgate.auth.principals.Principal;
import io.pushgate.auth.principals.PrincipalService;
import io.pushgate.auth.ratelimit.FailedLoginLimiter;
import io.pushgate.protocol.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The two grants. Every failure of one grant gives the same answer, whatever went wrong (no
 * such name, wrong password, disabled client), so that answers never tell which names exist;
 * an unknown name also costs one bcrypt verification, so that timing does not tell either.
 */
@ApplicationScoped
public class TokenService {

    static final String PASSWORD = "password";
    static final String CLIENT_CREDENTIALS = "client_credentials";

    private final PrincipalService principals;
    private final PasswordHasher hasher;
    private final ClientRegistry clients;
    private final FailedLoginLimiter limiter;
    private final TokenIssuer issuer;
    private final LoginMetrics metrics;

    public TokenService(PrincipalService principals, PasswordHasher hasher, ClientRegistry clients,
            FailedLoginLimiter limiter, TokenIssuer issuer, LoginMetrics metrics) {
        this.principals = principals;
        this.hasher = hasher;
        this.clients = clients;
        this.limiter = limiter;
        this.issuer = issuer;
        this.metrics = metrics;
    }

    public IssuedToken passwordGrant(String username, String password, String address) {
        required(username, "username");
        required(password, "password");
        String limitKey = "principal:" + username;
        checkLimit(PASSWORD, limitKey, address);
        Optional<Principal> principal = principals.find(username);
        boolean ok = principal.isPresent()
                ? hasher.matches(password, principal.get().passwordHash())
                : hasher.matchesNothing(password);
        if (!ok) {
            failed(PASSWORD, limitKey, address, "invalid_grant", "invalid username or password");
        }
        metrics.issued(PASSWORD);
        return issuer.issue(principal.get().name(), principal.get().roles());
    }

    public IssuedToken clientCredentialsGrant(String clientId, String secret, String address) {
        required(clientId, "client_id");
        required(secret, "client_secret");
        String limitKey = "client:" + clientId;
        checkLimit(CLIENT_CREDENTIALS, limitKey, address);
        Optional<List<String>> roles = clients.authenticate(clientId, secret);
        if (roles.isEmpty()) {
            failed(CLIENT_CREDENTIALS, limitKey, address, "invalid_client", "invalid client credentials");
        }
        metrics.issued(CLIENT_CREDENTIALS);
        return issuer.issue(clientId, roles.get());
    }

    private void checkLimit(String grant, String limitKey, String address) {
        if (limiter.isBlocked(limitKey, address)) {
            metrics.failed(grant, "rate_limited");
            throw new AuthException(ErrorCode.RATE_LIMITED, "too many failed logins; try again later",
                    "temporarily_unavailable");
        }
    }

    private void failed(String grant, String limitKey, String address, String oauthError, String message) {
        limiter.recordFailure(limitKey, address);
        metrics.failed(grant, "credentials");
        throw new AuthException(ErrorCode.UNAUTHENTICATED, message, oauthError);
    }

    private static void required(String value, String parameter) {
        if (value == null || value.isEmpty()) {
            throw new AuthException(ErrorCode.INVALID, parameter + " is required", "invalid_request");
        }
    }
}
