package io.pushgate.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.testsupport.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * The verification with no HTTP at all: keys handed over by a {@link SigningKeySource} of the
 * test's own. What the verifier asks of its source (once per issuer, again for an unknown kid but
 * not more often than the refresh interval) and what it makes of the answers.
 */
class SigningKeySourceTest {

    private static final String ISSUER = "https://issuer.example";

    private final TokenVerifierTest.MutableClock clock = new TokenVerifierTest.MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final PublicJsonWebKey k1 = TestIssuer.rsaKey("k1");
    private final PublicJsonWebKey k2 = TestIssuer.rsaKey("k2");

    /** Answers with the key set it holds now, or with {@code failure}; counts the fetches. */
    private final class HeldKeys implements SigningKeySource {
        final List<String> asked = new ArrayList<>();
        String keySet = keySet(k1);
        RuntimeException failure;

        @Override
        public CompletableFuture<String> fetchKeySet(String issuer) {
            asked.add(issuer);
            return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(keySet);
        }
    }

    private final HeldKeys keys = new HeldKeys();
    private final TokenVerifier verifier = TokenVerifier.builder(keys).issuer(ISSUER).clock(clock)
            .minRefreshInterval(Duration.ofSeconds(30)).build();

    @Test
    void aTokenSignedByAKeyOfTheSourcePasses() {
        VerifiedToken token = verify(token(k1, "alice"));

        assertThat(token.principal()).isEqualTo("alice");
        assertThat(token.roles()).containsExactly("CLIENT");
        assertThat(keys.asked).containsExactly(ISSUER);
        verify(token(k1, "bob"));
        assertThat(keys.asked).as("the keys are kept").hasSize(1);
    }

    @Test
    void anUnknownKidFetchesAgainAtMostOncePerInterval() {
        verify(token(k1, "alice"));
        keys.keySet = keySet(k1, k2);
        assertRefused(token(k2, "bob"), "no RS256 key with kid 'k2'");
        assertThat(keys.asked).as("within the interval of the first fetch: not asked again").hasSize(1);

        clock.advance(Duration.ofSeconds(31));
        assertThat(verify(token(k2, "bob")).principal()).isEqualTo("bob");
        assertThat(keys.asked).hasSize(2);

        PublicJsonWebKey k3 = TestIssuer.rsaKey("k3");
        assertRefused(token(k3, "carol"), "no RS256 key with kid 'k3'");
        assertThat(keys.asked).as("within the interval: not asked again").hasSize(2);
        clock.advance(Duration.ofSeconds(31));
        assertRefused(token(k3, "carol"), "no RS256 key with kid 'k3'");
        assertThat(keys.asked).hasSize(3);
    }

    @Test
    void aFailingSourceRefusesTheTokenWithItsReason() {
        keys.failure = SigningKeySource.unavailable("the issuer is down");

        assertRefused(token(k1, "alice"), "cannot get the signing keys: the issuer is down");
    }

    @Test
    void aKeySetThatIsNotAJwksIsRefused() {
        keys.keySet = "{\"keys\": 42}";

        assertRefused(token(k1, "alice"), "cannot get the signing keys: the key set of issuer '" + ISSUER + "' is not a valid JWKS");
    }

    private String token(PublicJsonWebKey key, String subject) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setStringListClaim("roles", "CLIENT");
        claims.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() + 300_000));
        return TestIssuer.sign(claims, key);
    }

    private VerifiedToken verify(String token) {
        return verifier.verify(token).toCompletableFuture().join();
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> verify(token)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(ProtocolException.class, p -> {
                    assertThat(p.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                    assertThat(p.getMessage()).contains(reason);
                });
    }

    private static String keySet(PublicJsonWebKey... keys) {
        return new JsonWebKeySet(keys).toJson();
    }
}
