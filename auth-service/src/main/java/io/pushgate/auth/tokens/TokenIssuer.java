package io.pushgate.auth.tokens;

import io.pushgate.auth.config.AuthConfig;
import io.pushgate.auth.keys.SigningKey;
import io.pushgate.auth.keys.SigningKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Signs access tokens: RS256 JWTs with {@code iss, sub, roles, iat, exp, jti} (and {@code aud}
 * when configured), the signing key's id in the {@code kid} header.
 */
@ApplicationScoped
public class TokenIssuer {

    /** The claim the gateway reads roles from (Keycloak's tokens use {@code realm_access.roles}). */
    public static final String ROLES_CLAIM = "roles";

    private final AuthConfig config;
    private final SigningKeys keys;

    public TokenIssuer(AuthConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    public IssuedToken issue(String subject, Collection<String> roles) {
        long lifetime = config.tokenLifetime().toSeconds();
        long now = Instant.now().getEpochSecond();
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(config.issuer())
                .subject(subject)
                .claim(ROLES_CLAIM, List.copyOf(roles))
                .issuedAt(now)
                .expiresAt(now + lifetime)
                .claim("jti", UUID.randomUUID().toString());
        config.audience().ifPresent(claims::audience);
        SigningKey key = keys.current();
        String jwt = claims.jws().keyId(key.kid()).algorithm(SignatureAlgorithm.RS256).sign(key.privateKey());
        return IssuedToken.bearer(jwt, lifetime);
    }
}
