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
 * when configured), the signing key's id in the {@code kid} header. The tokens of a sign-in
 * (password grant) also carry {@code auth_time}, when the password was checked: token exchange
 * renews only those, and never beyond {@code auth_time + auth.session-lifetime}.
 */
@ApplicationScoped
public class TokenIssuer {

    /** The claim the gateway reads roles from (Keycloak's tokens use {@code realm_access.roles}). */
    public static final String ROLES_CLAIM = "roles";
    /** When the principal signed in with its password (OpenID Connect's claim), in epoch seconds. */
    public static final String AUTH_TIME_CLAIM = "auth_time";

    private final AuthConfig config;
    private final SigningKeys keys;

    public TokenIssuer(AuthConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    /** A token of the client-credentials grant: no {@code auth_time}, so it cannot be renewed by exchange. */
    public IssuedToken issue(String subject, Collection<String> roles) {
        long now = Instant.now().getEpochSecond();
        return sign(subject, roles, null, now, now + config.tokenLifetime().toSeconds());
    }

    /** A token for a principal that has just given its password: its session starts now. */
    public IssuedToken issueForSignIn(String subject, Collection<String> roles) {
        long now = Instant.now().getEpochSecond();
        return sign(subject, roles, now, now, expiry(now, now));
    }

    /**
     * A renewed token of the sign-in made at {@code authTime}: a full lifetime from now, but not
     * past the end of the session.
     */
    public IssuedToken renew(String subject, Collection<String> roles, long authTime) {
        long now = Instant.now().getEpochSecond();
        return sign(subject, roles, authTime, now, expiry(now, authTime));
    }

    /** The end of a session that started at {@code authTime} (epoch seconds). */
    public long sessionEnd(long authTime) {
        return authTime + config.sessionLifetime().toSeconds();
    }

    private long expiry(long now, long authTime) {
        return Math.min(now + config.tokenLifetime().toSeconds(), sessionEnd(authTime));
    }

    private IssuedToken sign(String subject, Collection<String> roles, Long authTime, long now, long expiresAt) {
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(config.issuer())
                .subject(subject)
                .claim(ROLES_CLAIM, List.copyOf(roles))
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("jti", UUID.randomUUID().toString());
        if (authTime != null) {
            claims.claim(AUTH_TIME_CLAIM, authTime);
        }
        config.audience().ifPresent(claims::audience);
        SigningKey key = keys.current();
        String jwt = claims.jws().keyId(key.kid()).algorithm(SignatureAlgorithm.RS256).sign(key.privateKey());
        return IssuedToken.bearer(jwt, expiresAt - now);
    }
}
