package io.pushgate.auth.tokens;

import io.pushgate.auth.errors.AuthException;
import io.pushgate.auth.principals.PasswordHasher;
import io.pushgate.auth.principals.Principal;
import io.pushgate.auth.principals.PrincipalService;
import io.pushgate.auth.ratelimit.FailedLoginLimiter;
import io.pushgate.protocol.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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
    /** RFC 8693 token exchange: here, a sign-in's valid access token for a fresh one. */
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** The subject token types accepted: this service's access tokens are JWTs. */
    private static final List<String> SUBJECT_TOKEN_TYPES =
            List.of(IssuedToken.ACCESS_TOKEN_TYPE, "urn:ietf:params:oauth:token-type:jwt");

    private final PrincipalService principals;
    private final PasswordHasher hasher;
    private final ClientRegistry clients;
    private final FailedLoginLimiter limiter;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;
    private final LoginMetrics metrics;

    public TokenService(PrincipalService principals, PasswordHasher hasher, ClientRegistry clients,
            FailedLoginLimiter limiter, TokenIssuer issuer, TokenVerifier verifier, LoginMetrics metrics) {
        this.principals = principals;
        this.hasher = hasher;
        this.clients = clients;
        this.limiter = limiter;
        this.issuer = issuer;
        this.verifier = verifier;
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
        return issuer.issueForSignIn(principal.get().name(), principal.get().roles());
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

    /**
     * Renews a sign-in without its password: a valid access token of a password grant (one with
     * {@code auth_time}) for a new one with the principal's current roles, while the session
     * lasts ({@code auth.session-lifetime} from {@code auth_time}). A client's token is refused:
     * a client asks again with its credentials. Every refusal is RFC 8693's {@code invalid_request}.
     */
    public IssuedToken tokenExchange(String subjectToken, String subjectTokenType) {
        required(subjectToken, "subject_token");
        required(subjectTokenType, "subject_token_type");
        if (!SUBJECT_TOKEN_TYPES.contains(subjectTokenType)) {
            throw new AuthException(ErrorCode.INVALID, "subject_token_type must be " + IssuedToken.ACCESS_TOKEN_TYPE,
                    "invalid_request");
        }
        TokenVerifier.VerifiedToken token = verifier.verify(subjectToken)
                .orElseThrow(() -> refusedExchange("the subject_token is not a valid token of this service"));
        if (token.authTime() == null) {
            throw refusedExchange("only the token of a sign-in can be renewed; a client asks with its credentials");
        }
        if (Instant.now().getEpochSecond() >= issuer.sessionEnd(token.authTime())) {
            throw refusedExchange("the sign-in is older than the session lifetime: sign in again");
        }
        Principal principal = principals.find(token.subject())
                .orElseThrow(() -> refusedExchange("the principal of the subject_token no longer exists"));
        metrics.issued("token_exchange");
        return issuer.renew(principal.name(), principal.roles(), token.authTime()).exchanged();
    }

    private static AuthException refusedExchange(String message) {
        return new AuthException(ErrorCode.INVALID, message, "invalid_request");
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
