package io.pushgate.auth.tokens;

import io.pushgate.auth.config.AuthConfig;
import io.pushgate.auth.keys.SigningKey;
import io.pushgate.auth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jboss.logging.Logger;

/**
 * Verifies tokens this service issued, for its own API, with the keys it holds: no HTTP
 * round trip to its own JWKS. Only RS256 is accepted, so neither {@code alg: none} nor an
 * HMAC signature keyed with the public key can pass.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);
    private static final int CLOCK_SKEW_SECONDS = 30;

    private final AuthConfig config;
    private final SigningKeys keys;

    public TokenVerifier(AuthConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    /** The subject and roles of a valid token; empty for any token that is not (the reason goes to the debug log only). */
    public Optional<VerifiedToken> verify(String jwt) {
        try {
            JwtClaims claims = consumer().processToClaims(jwt);
            List<String> roles = claims.hasClaim(TokenIssuer.ROLES_CLAIM)
                    ? claims.getStringListClaimValue(TokenIssuer.ROLES_CLAIM)
                    : List.of();
            Object authTime = claims.getClaimValue(TokenIssuer.AUTH_TIME_CLAIM);
            return Optional.of(new VerifiedToken(claims.getSubject(), roles,
                    authTime instanceof Number n ? Long.valueOf(n.longValue()) : null));
        } catch (InvalidJwtException | MalformedClaimException e) {
            LOG.debugf("refused a token: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private JwtConsumer consumer() {
        List<JsonWebKey> jwks = keys.verificationKeys().stream().map(SigningKey::publicJwk).map(JsonWebKey.class::cast).toList();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks))
                .setExpectedIssuer(config.issuer())
                .setRequireSubject()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS);
        if (config.audience().isPresent()) {
            builder.setExpectedAudience(config.audience().get());
        } else {
            builder.setSkipDefaultAudienceValidation();
        }
        return builder.build();
    }

    /**
     * What the API needs from a verified token.
     *
     * @param authTime {@code auth_time} (epoch seconds) of a sign-in's token; null for a client's
     */
    public record VerifiedToken(String subject, List<String> roles, Long authTime) {
    }
}
