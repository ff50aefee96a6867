package io.pushgate.gateway.security.introspection;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.security.Credentials;
import io.pushgate.jwt.TokenVerifier;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.testsupport.TestIssuer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offline verification first, then the issuer's introspection for the issuers configured for it:
 * real signed tokens from two local issuers, one of them introspected through an endpoint in memory.
 */
class IntrospectingAuthenticatorTest {

    private TestIssuer introspected;
    private TestIssuer offline;
    private PublicJsonWebKey introspectedKey;
    private PublicJsonWebKey offlineKey;
    private final FakeEndpoint endpoint = new FakeEndpoint();
    private TokenVerifier verifier;
    private IntrospectingAuthenticator authenticator;

    @BeforeEach
    void issuers() throws Exception {
        introspected = new TestIssuer("/realms/introspected");
        offline = new TestIssuer("/realms/offline");
        introspectedKey = introspected.addRsaKey("k1");
        offlineKey = offline.addRsaKey("k2");
        verifier = TokenVerifier.builder(HttpClient.newHttpClient())
                .issuers(List.of(introspected.issuer(), offline.issuer())).build();
        authenticator = authenticator(Duration.ofSeconds(5));
    }

    private IntrospectingAuthenticator authenticator(Duration cacheTtl) {
        TokenIntrospection introspection = new TokenIntrospection(endpoint, new TokenIntrospection.Settings(
                introspected.issuer(), cacheTtl, Duration.ofSeconds(7), Duration.ofSeconds(11)), System::nanoTime);
        return new IntrospectingAuthenticator(verifier::verify, List.of(introspection));
    }

    @AfterEach
    void stop() {
        introspected.close();
        offline.close();
    }

    private static String token(TestIssuer issuer, PublicJsonWebKey key, String subject, String... roles) {
        JwtClaims claims = issuer.claims(subject, System.currentTimeMillis());
        claims.setStringListClaim("roles", roles);
        return TestIssuer.sign(claims, key);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ProtocolException refusal(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).as("the bare exception, not a wrapper").isInstanceOf(ProtocolException.class);
            return (ProtocolException) e.getCause();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void tokensOfAnIssuerWithoutIntrospectionKeepTheirOwnRolesAndAreNotRechecked() throws Exception {
        Credentials credentials = get(authenticator.authenticate(token(offline, offlineKey, "carol", "TOPIC_CONTROL")));
        assertThat(credentials.principal()).isEqualTo("carol");
        assertThat(credentials.roles()).containsExactly("TOPIC_CONTROL");
        assertThat(credentials.recheck()).isNull();
        assertThat(endpoint.calls()).isZero();
        assertThat(authenticator.introspects(offline.issuer())).isFalse();
        assertThat(authenticator.introspects(introspected.issuer())).isTrue();
    }

    @Test
    void anIntrospectedTokenHasTheRolesTheIssuerReturnsNotTheOnesItCarries() throws Exception {
        String token = token(introspected, introspectedKey, "alice", "CLIENT", "TOPIC_CONTROL");
        endpoint.active(token, "alice", "CLIENT");
        Credentials credentials = get(authenticator.authenticate(token));
        assertThat(credentials.principal()).isEqualTo("alice");
        assertThat(credentials.roles()).containsExactly("CLIENT");
        assertThat(credentials.recheck()).isNotNull();
        assertThat(credentials.recheck().interval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(credentials.recheck().grace()).isEqualTo(Duration.ofSeconds(11));
        assertThat(credentials.recheck().toString()).doesNotContain(token);
        assertThat(credentials.toString()).doesNotContain(token);
    }

    @Test
    void theRecheckSeesRolesShrinkAndTheTokenGoInactive() throws Exception {
        String token = token(introspected, introspectedKey, "alice", "CLIENT");
        endpoint.active(token, "alice", "CLIENT");
        // without a cache, so that each check asks the issuer (TokenIntrospectionTest covers the cache)
        Credentials credentials = get(authenticator(Duration.ZERO).authenticate(token));
        assertThat(credentials.roles()).containsExactly("CLIENT");
        endpoint.active(token, "alice");
        Credentials shrunk = get(credentials.recheck().check());
        assertThat(shrunk.roles()).isEmpty();
        assertThat(shrunk.principal()).isEqualTo("alice");
        assertThat(shrunk.recheck()).isSameAs(credentials.recheck());

        endpoint.inactive(token);
        ProtocolException refused = refusal(credentials.recheck().check());
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(refused.getMessage()).contains("no longer accepts the token");
    }

    @Test
    void anInactiveTokenIsRefusedWithUnauthenticated() throws Exception {
        String token = token(introspected, introspectedKey, "alice", "CLIENT");
        endpoint.inactive(token);
        ProtocolException refused = refusal(authenticator.authenticate(token));
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(refused.getMessage()).contains(introspected.issuer()).doesNotContain(token);
    }

    @Test
    void withoutAnAnswerFromTheIssuerANewTokenIsRefusedWithUnavailable() throws Exception {
        String token = token(introspected, introspectedKey, "alice", "CLIENT");
        endpoint.active(token, "alice", "CLIENT");
        endpoint.down = true;
        ProtocolException refused = refusal(authenticator.authenticate(token));
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(refused.getMessage()).contains(introspected.issuer()).doesNotContain(token);
        // tokens of the other issuer are not affected
        assertThat(get(authenticator.authenticate(token(offline, offlineKey, "carol", "CLIENT"))).roles()).containsExactly("CLIENT");
    }

    @Test
    void aTokenThatFailsOfflineVerificationNeverReachesTheIssuer() throws Exception {
        String forged = TestIssuer.sign(introspected.claims("mallory", System.currentTimeMillis()), TestIssuer.rsaKey("k1"));
        endpoint.active(forged, "mallory", "ADMINISTRATOR");
        ProtocolException refused = refusal(authenticator.authenticate(forged));
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(refused.getMessage()).contains("bad signature");
        assertThat(endpoint.calls()).isZero();
    }

    @Test
    void anAnswerAboutAnotherSubjectIsRefused() throws Exception {
        String token = token(introspected, introspectedKey, "alice", "CLIENT");
        endpoint.active(token, "bob", "ADMINISTRATOR");
        assertThat(refusal(authenticator.authenticate(token)).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void theRightsEndAtTheEarlierOfTheTokensExpAndTheIssuers() throws Exception {
        String token = token(introspected, introspectedKey, "alice", "CLIENT");
        Instant soon = Instant.now().plusSeconds(60);
        endpoint.reply(token, Map.of("active", true, "sub", "alice", "exp", soon.getEpochSecond(), "roles", List.of("CLIENT")));
        assertThat(get(authenticator.authenticate(token)).expiresAt()).isEqualTo(Instant.ofEpochSecond(soon.getEpochSecond()));

        String other = token(introspected, introspectedKey, "bob", "CLIENT");
        endpoint.reply(other, Map.of("active", true, "sub", "bob", "exp", Instant.now().plusSeconds(86_400).getEpochSecond()));
        Credentials credentials = get(authenticator.authenticate(other));
        assertThat(credentials.expiresAt()).isBefore(Instant.now().plusSeconds(3_600));
    }

    @Test
    void theSameIssuerCannotBeIntrospectedTwice() {
        TokenIntrospection a = new TokenIntrospection(endpoint, new TokenIntrospection.Settings("http://x", Duration.ZERO,
                Duration.ZERO, Duration.ZERO), System::nanoTime);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IntrospectingAuthenticator(t -> null, List.of(a, a)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://x");
    }
}
