package io.pushgate.gateway.security.introspection;

import io.pushgate.protocol.Causes;
import io.pushgate.gateway.security.Authenticator;
import io.pushgate.gateway.security.CredentialCheck;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.jwt.VerifiedToken;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's {@link Authenticator}: a token is verified offline first (signature, issuer,
 * expiry: {@code TokenVerifier}); for an issuer with token introspection it must then also be
 * {@code active} at the issuer, and its roles are the ones the issuer returns now rather than the
 * ones written into the token. Such credentials carry a {@link CredentialCheck}, so that open
 * sessions ask again while they last. Tokens of other issuers are taken as verified.
 *
 * <p>Refusals: what the verifier refuses ({@code UNAUTHENTICATED}) never reaches the issuer; a token
 * the issuer calls inactive is {@code UNAUTHENTICATED}; no answer from the issuer is
 * {@code UNAVAILABLE} (fail closed: the token is not taken on its own word). The returned stage
 * fails with the bare {@link ProtocolException}.
 */
public final class IntrospectingAuthenticator implements Authenticator {

    /** Offline verification: {@code TokenVerifier::verify}. */
    @FunctionalInterface
    public interface Verifier {
        CompletionStage<VerifiedToken> verify(String token);
    }

    private final Verifier verifier;
    private final Map<String, TokenIntrospection> byIssuer = new HashMap<>();

    public IntrospectingAuthenticator(Verifier verifier, Collection<TokenIntrospection> introspections) {
        this.verifier = verifier;
        for (TokenIntrospection introspection : introspections) {
            if (byIssuer.putIfAbsent(introspection.issuer(), introspection) != null) {
                throw new IllegalArgumentException("token introspection is configured twice for issuer '" + introspection.issuer() + "'");
            }
        }
    }

    /** True when tokens of this issuer are introspected. */
    public boolean introspects(String issuer) {
        return byIssuer.containsKey(issuer);
    }

    @Override
    public CompletionStage<Credentials> authenticate(String token) {
        CompletableFuture<Credentials> result = new CompletableFuture<>();
        CompletionStage<VerifiedToken> verified;
        try {
            verified = verifier.verify(token);
        } catch (RuntimeException e) {
            verified = CompletableFuture.failedFuture(e);
        }
        verified.whenComplete((checked, error) -> {
            if (error != null) {
                result.completeExceptionally(Causes.unwrap(error));
                return;
            }
            TokenIntrospection introspection = byIssuer.get(checked.issuer());
            if (introspection == null) {
                result.complete(new Credentials(checked.principal(), checked.roles(), checked.expiresAt()));
                return;
            }
            new IntrospectedCheck(introspection, token, checked).check().whenComplete((credentials, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(Causes.unwrap(failure));
                } else {
                    result.complete(credentials);
                }
            });
        });
        return result;
    }


    /** The re-check of one verified token: the issuer's current answer about it, as credentials. */
    private static final class IntrospectedCheck implements CredentialCheck {
        private final TokenIntrospection introspection;
        private final String token;
        private final VerifiedToken verified;

        IntrospectedCheck(TokenIntrospection introspection, String token, VerifiedToken verified) {
            this.introspection = introspection;
            this.token = token;
            this.verified = verified;
        }

        @Override
        public Duration interval() {
            return introspection.settings().recheckInterval();
        }

        @Override
        public Duration grace() {
            return introspection.settings().grace();
        }

        @Override
        public CompletionStage<Credentials> check() {
            return introspection.standing(token).thenApply(this::credentials);
        }

        private Credentials credentials(TokenIntrospection.Standing standing) {
            if (!standing.active()) {
                throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "issuer '" + verified.issuer()
                        + "' no longer accepts the token (revoked, its session ended or the user was disabled)");
            }
            if (standing.subject() != null && !standing.subject().equals(verified.subject())) {
                throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "issuer '" + verified.issuer()
                        + "' describes the token as another subject's");
            }
            Instant expiresAt = standing.expiresAt() != null && standing.expiresAt().isBefore(verified.expiresAt())
                    ? standing.expiresAt() : verified.expiresAt();
            return new Credentials(verified.principal(), standing.roles(), expiresAt, this);
        }

        @Override
        public String toString() {
            // never the token
            return "introspection at issuer '" + verified.issuer() + "' of a token of " + verified.principal();
        }
    }
}
