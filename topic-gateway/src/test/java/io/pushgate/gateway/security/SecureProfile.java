package io.pushgate.gateway.security;

import io.pushgate.testsupport.TestIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;

/**
 * The gateway as deployed: sessions without credentials get the role ANONYMOUS, tokens come
 * from a real local OIDC issuer (discovery and JWKS over HTTP), signed with its key.
 */
public class SecureProfile implements QuarkusTestProfile {

    static TestIssuer issuer;
    static PublicJsonWebKey key;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.security.anonymous-roles", "ANONYMOUS");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Issuer.class));
    }

    /** Starts the issuer before the gateway and points the gateway at it. */
    public static class Issuer implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                issuer = new TestIssuer("/realms/test");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            key = issuer.addRsaKey("k1");
            return Map.of("gateway.security.issuers", issuer.issuer());
        }

        @Override
        public void stop() {
            if (issuer != null) {
                issuer.close();
            }
        }
    }

    /** A token for the principal with these roles, valid for the given seconds. */
    static String token(String principal, long validSeconds, String... roles) {
        JwtClaims claims = issuer.claims(principal, System.currentTimeMillis());
        claims.setStringListClaim("roles", roles);
        claims.setExpirationTimeMinutesInTheFuture(validSeconds / 60f);
        return TestIssuer.sign(claims, key);
    }

    static String token(String principal, String... roles) {
        return token(principal, 300, roles);
    }

    /** The claims of a valid token, to spoil one way or another. */
    static JwtClaims claims(String principal) {
        return issuer.claims(principal, System.currentTimeMillis());
    }
}
