package io.pushgate.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.testsupport.TestIssuer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TokenVerifier} against real HTTP: local issuers serving discovery documents and JWKS. */
class TokenVerifierTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<TestIssuer> issuers = new ArrayList<>();
    private TestIssuer issuer;
    private PublicJsonWebKey key;

    @BeforeEach
    void startIssuer() throws Exception {
        issuer = issuer("");
        key = issuer.addRsaKey("k1");
    }

    @AfterEach
    void stopIssuers() {
        issuers.forEach(TestIssuer::close);
    }

    private TestIssuer issuer(String path) throws Exception {
        TestIssuer i = new TestIssuer(path);
        issuers.add(i);
        return i;
    }

    private TokenVerifier.Builder verifierFor(String... trusted) {
        return TokenVerifier.builder(http).issuers(List.of(trusted)).clock(clock);
    }

    private TokenVerifier verifier() {
        return verifierFor(issuer.issuer()).build();
    }

    private JwtClaims claims() {
        return issuer.claims("alice", clock.millis());
    }

    private static VerifiedToken accepted(CompletionStage<VerifiedToken> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Asserts the token is refused as UNAUTHENTICATED with the reason, and that the message does not carry the token. */
    private static void assertRefused(TokenVerifier verifier, String token, String reason) throws Exception {
        try {
            VerifiedToken t = verifier.verify(token).toCompletableFuture().get(10, TimeUnit.SECONDS);
            fail("accepted " + t);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
            ProtocolException p = (ProtocolException) e.getCause();
            assertThat(p.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(p.getMessage()).contains(reason);
            for (String part : token.split("\\.")) {
                if (part.length() > 8) {
                    assertThat(p.getMessage()).doesNotContain(part);
                }
            }
        }
    }

    @Test
    void aValidTokenIsAccepted() throws Exception {
        JwtClaims claims = claims();
        claims.setStringListClaim("roles", "CLIENT", "TOPIC_CONTROL");
        VerifiedToken t = accepted(verifier().verify(TestIssuer.sign(claims, key)));
        assertThat(t.principal()).isEqualTo("alice");
        assertThat(t.subject()).isEqualTo("alice");
        assertThat(t.roles()).containsExactly("CLIENT", "TOPIC_CONTROL");
        assertThat(t.issuer()).isEqualTo(issuer.issuer());
        assertThat(t.expiresAt()).isEqualTo(clock.instant().plusSeconds(300));
    }

    @Test
    void onceTheKeysAreKnownVerificationCompletesAtOnceWithoutHttp() throws Exception {
        TokenVerifier verifier = verifier();
        accepted(verifier.verify(TestIssuer.sign(claims(), key)));
        assertThat(issuer.discoveryRequests()).isEqualTo(1);
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        CompletableFuture<VerifiedToken> second = verifier.verify(TestIssuer.sign(issuer.claims("bob", clock.millis()), key))
                .toCompletableFuture();
        assertThat(second).isDone();
        assertThat(second.get().principal()).isEqualTo("bob");
        assertThat(issuer.requests()).isEqualTo(2);
    }

    @Test
    void concurrentFirstTokensShareOneFetch() throws Exception {
        TokenVerifier verifier = verifier();
        List<CompletableFuture<VerifiedToken>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(verifier.verify(TestIssuer.sign(issuer.claims("user" + i, clock.millis()), key)).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(issuer.discoveryRequests()).isEqualTo(1);
        assertThat(issuer.jwksRequests()).isEqualTo(1);
    }

    @Test
    void aRefusalIsTheBareProtocolExceptionWhetherOrNotKeysWereFetched() throws Exception {
        TokenVerifier verifier = verifier();
        PublicJsonWebKey impostor = TestIssuer.rsaKey("k1");
        for (int i = 0; i < 2; i++) { // the first needs a fetch, the second is answered from the cache
            AtomicReference<Throwable> seen = new AtomicReference<>();
            verifier.verify(TestIssuer.sign(claims(), impostor)).whenComplete((t, e) -> seen.set(e))
                    .toCompletableFuture().handle((t, e) -> null).get(10, TimeUnit.SECONDS);
            assertThat(seen.get()).isInstanceOf(ProtocolException.class).hasMessage("bad signature");
        }
        assertThat(issuer.jwksRequests()).isEqualTo(1);
    }

    @Test
    void prefetchLoadsTheKeysBeforeTheFirstToken() throws Exception {
        TokenVerifier verifier = verifier();
        verifier.prefetch().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(issuer.jwksRequests()).isEqualTo(1);
        assertThat(verifier.verify(TestIssuer.sign(claims(), key)).toCompletableFuture()).isDone();
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        String token = jws.getCompactSerialization();
        assertThat(token).endsWith(".");
        assertRefused(verifier(), token, "unsupported alg 'none'");
        assertThat(issuer.requests()).isZero();
    }

    @Test
    void aTokenWithoutSignatureIsRefused() throws Exception {
        String signed = TestIssuer.sign(claims(), key);
        String stripped = signed.substring(0, signed.lastIndexOf('.') + 1);
        assertRefused(verifier(), stripped, "not signed");
        String twoParts = signed.substring(0, signed.lastIndexOf('.'));
        assertRefused(verifier(), twoParts, "not a signed JWT");
    }

    @Test
    void aSignatureByAnUntrustedKeyWithTheSameKidIsRefused() throws Exception {
        PublicJsonWebKey impostor = TestIssuer.rsaKey("k1");
        assertRefused(verifier(), TestIssuer.sign(claims(), impostor), "bad signature");
    }

    @Test
    void aSignatureByAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
        PublicJsonWebKey stranger = TestIssuer.rsaKey("stranger");
        assertRefused(verifier(), TestIssuer.sign(claims(), stranger), "has no RS256 key with kid 'stranger'");
    }

    @Test
    void hmacSignedWithThePublicKeyAsSecretIsRefused() throws Exception {
        byte[] publicKeyBytes = key.getPublicKey().getEncoded();
        String token = TestIssuer.sign(claims(), key, AlgorithmIdentifiers.HMAC_SHA256, jws -> {
            jws.setKey(new HmacKey(publicKeyBytes));
            jws.setDoKeyValidation(false);
        });
        assertRefused(verifier(), token, "unsupported alg 'HS256'");
        // the same with the JWKS's own text of the key as the secret
        String jwkSecret = TestIssuer.sign(claims(), key, AlgorithmIdentifiers.HMAC_SHA512, jws ->
                jws.setKey(new HmacKey(key.toJson().getBytes(StandardCharsets.UTF_8))));
        assertRefused(verifier(), jwkSecret, "unsupported alg 'HS512'");
        assertThat(issuer.requests()).isZero();
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JwtClaims claims = claims();
        claims.setIssuedAt(NumericDate.fromMilliseconds(clock.millis() - 900_000));
        claims.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() - 600_000));
        assertRefused(verifier(), TestIssuer.sign(claims, key), "token expired at 2026-11-22T11:50:00Z");
    }

    @Test
    void theClockSkewIsAllowed() throws Exception {
        JwtClaims claims = claims();
        claims.setIssuedAt(NumericDate.fromMilliseconds(clock.millis() - 300_000));
        claims.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() - 20_000));
        String token = TestIssuer.sign(claims, key);
        assertThat(accepted(verifier().verify(token)).principal()).isEqualTo("alice"); // default skew 30 s
        assertRefused(verifierFor(issuer.issuer()).clockSkew(Duration.ofSeconds(5)).build(), token, "token expired");
    }

    @Test
    void aTokenNotYetValidIsRefused() throws Exception {
        JwtClaims claims = claims();
        claims.setNotBefore(NumericDate.fromMilliseconds(clock.millis() + 600_000));
        claims.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() + 1_200_000));
        assertRefused(verifier(), TestIssuer.sign(claims, key), "token not yet valid: not before 2026-11-22T12:10:00Z");
    }

    @Test
    void anIssuerThatIsNotExactlyTheConfiguredOneIsRefused() throws Exception {
        JwtClaims trailingSlash = claims();
        trailingSlash.setIssuer(issuer.issuer() + "/");
        assertRefused(verifier(), TestIssuer.sign(trailingSlash, key), "is not trusted");
        JwtClaims otherHost = claims();
        otherHost.setIssuer(issuer.issuer().replace("127.0.0.1", "localhost"));
        assertRefused(verifier(), TestIssuer.sign(otherHost, key), "the token's issuer 'http://localhost:");
        JwtClaims none = claims();
        none.unsetClaim("iss");
        assertRefused(verifier(), TestIssuer.sign(none, key), "missing claim iss");
    }

    @Test
    void anIssuerThatIsNotConfiguredIsRefusedWithoutAskingIt() throws Exception {
        TestIssuer other = issuer("/realms/other");
        PublicJsonWebKey otherKey = other.addRsaKey("o1");
        assertRefused(verifier(), TestIssuer.sign(other.claims("mallory", clock.millis()), otherKey), "is not trusted");
        assertThat(other.requests()).isZero();
    }

    @Test
    void aTokenSignedByAnotherTrustedIssuersKeyIsRefused() throws Exception {
        TestIssuer other = issuer("/realms/other");
        PublicJsonWebKey otherKey = other.addRsaKey("o1");
        TokenVerifier verifier = verifierFor(issuer.issuer(), other.issuer()).build();
        JwtClaims claims = claims(); // iss: the first issuer, signed with the second issuer's key
        assertRefused(verifier, TestIssuer.sign(claims, otherKey), "has no RS256 key with kid 'o1'");
        PublicJsonWebKey sameKid = other.addRsaKey("k1"); // the second issuer even has a key with the first one's kid
        assertRefused(verifier, TestIssuer.sign(claims, sameKid), "bad signature");
    }

    @Test
    void theAudienceIsCheckedWhenOneIsConfigured() throws Exception {
        TokenVerifier verifier = verifierFor(issuer.issuer()).audience(Optional.of("pushgate-gateway")).build();
        JwtClaims wrong = claims();
        wrong.setAudience("someone-else");
        assertRefused(verifier, TestIssuer.sign(wrong, key), "wrong audience");
        assertRefused(verifier, TestIssuer.sign(claims(), key), "wrong audience");
        JwtClaims right = claims();
        right.setAudience("account", "pushgate-gateway");
        assertThat(accepted(verifier.verify(TestIssuer.sign(right, key))).principal()).isEqualTo("alice");
        // without a configured audience, aud is not looked at
        assertThat(accepted(verifier().verify(TestIssuer.sign(wrong, key))).principal()).isEqualTo("alice");
    }

    @Test
    void inconsistentTimesAreRefused() throws Exception {
        JwtClaims claims = claims();
        claims.setIssuedAt(NumericDate.fromMilliseconds(clock.millis() + 120_000));
        claims.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() + 60_000));
        assertRefused(verifier(), TestIssuer.sign(claims, key), "invalid token: The Expiration Time");
    }

    @Test
    void subAndExpAreRequired() throws Exception {
        JwtClaims noSub = claims();
        noSub.unsetClaim("sub");
        assertRefused(verifier(), TestIssuer.sign(noSub, key), "missing claim sub");
        JwtClaims blankSub = claims();
        blankSub.setSubject(" ");
        assertRefused(verifier(), TestIssuer.sign(blankSub, key), "missing claim sub");
        JwtClaims noExp = claims();
        noExp.unsetClaim("exp");
        assertRefused(verifier(), TestIssuer.sign(noExp, key), "missing claim exp");
    }

    @Test
    void aKeycloakShapedTokenGivesUsernameAndRealmRoles() throws Exception {
        TestIssuer keycloak = issuer("/realms/pushgate");
        PublicJsonWebKey kcKey = keycloak.addRsaKey("kc-rsa");
        JwtClaims claims = new JwtClaims();
        String uuid = UUID.randomUUID().toString();
        claims.setIssuer(keycloak.issuer());
        claims.setSubject(uuid);
        claims.setAudience("account");
        claims.setClaim("typ", "Bearer");
        claims.setClaim("azp", "pushgate-web");
        claims.setClaim("preferred_username", "alice");
        claims.setClaim("realm_access", Map.of("roles", List.of("CLIENT", "default-roles-pushgate", "offline_access")));
        claims.setClaim("resource_access", Map.of("account", Map.of("roles", List.of("view-profile"))));
        claims.setIssuedAt(NumericDate.fromMilliseconds(clock.millis()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() + 300_000));
        VerifiedToken t = accepted(verifierFor(keycloak.issuer()).build().verify(TestIssuer.sign(claims, kcKey)));
        assertThat(t.principal()).isEqualTo("alice");
        assertThat(t.subject()).isEqualTo(uuid);
        assertThat(t.roles()).containsExactly("CLIENT", "default-roles-pushgate", "offline_access");
        assertThat(t.issuer()).isEqualTo(keycloak.issuer());

        claims.setClaim("typ", "ID");
        assertRefused(verifierFor(keycloak.issuer()).build(), TestIssuer.sign(claims, kcKey), "not an access token");
    }

    @Test
    void aTokenWithoutRolesHasNone() throws Exception {
        JwtClaims claims = claims();
        claims.unsetClaim("roles");
        assertThat(accepted(verifier().verify(TestIssuer.sign(claims, key))).roles()).isEmpty();
        claims.setClaim("roles", "ADMINISTRATOR");
        assertRefused(verifier(), TestIssuer.sign(claims, key), "malformed claim roles");
    }

    @Test
    void twoIssuersAtOnceEachWithItsOwnKeysAndAlgorithm() throws Exception {
        TestIssuer ec = issuer("/realms/ec");
        PublicJsonWebKey ecKey = ec.addEcKey("ec1");
        TokenVerifier verifier = verifierFor(issuer.issuer(), ec.issuer()).build();
        VerifiedToken rsa = accepted(verifier.verify(TestIssuer.sign(claims(), key)));
        VerifiedToken es = accepted(verifier.verify(TestIssuer.sign(ec.claims("bob", clock.millis()), ecKey)));
        assertThat(rsa.issuer()).isEqualTo(issuer.issuer());
        assertThat(es.issuer()).isEqualTo(ec.issuer());
        assertThat(es.principal()).isEqualTo("bob");
        assertThat(verifier.issuers()).containsExactlyInAnyOrder(issuer.issuer(), ec.issuer());
    }

    @Test
    void otherAllowedAlgorithmsWork() throws Exception {
        for (String alg : List.of(AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
                AlgorithmIdentifiers.RSA_PSS_USING_SHA256)) {
            assertThat(accepted(verifier().verify(TestIssuer.sign(claims(), key, alg, jws -> { }))).principal())
                    .as(alg).isEqualTo("alice");
        }
        assertRefused(verifier(), TestIssuer.sign(claims(), key, AlgorithmIdentifiers.RSA_PSS_USING_SHA512, jws -> { }),
                "unsupported alg 'PS512'");
    }

    @Test
    void aRotatedKeyIsFetchedOnItsFirstTokenAtMostOncePer30Seconds() throws Exception {
        TokenVerifier verifier = verifier();
        accepted(verifier.verify(TestIssuer.sign(claims(), key)));
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        PublicJsonWebKey rotated = issuer.addRsaKey("k2");
        clock.advance(Duration.ofSeconds(10));
        // the last fetch was 10 s ago: no new fetch yet, the unknown kid is refused
        assertRefused(verifier, TestIssuer.sign(claims(), rotated), "has no RS256 key with kid 'k2'");
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(21));
        VerifiedToken t = accepted(verifier.verify(TestIssuer.sign(claims(), rotated)));
        assertThat(t.principal()).isEqualTo("alice");
        assertThat(issuer.jwksRequests()).isEqualTo(2);

        // made-up key ids right after cannot make the verifier ask the issuer again
        for (int i = 0; i < 5; i++) {
            assertRefused(verifier, TestIssuer.sign(claims(), TestIssuer.rsaKey("made-up-" + i)), "has no RS256 key");
        }
        assertThat(issuer.jwksRequests()).isEqualTo(2);
        // the old key still works, from the cache
        assertThat(verifier.verify(TestIssuer.sign(claims(), key)).toCompletableFuture()).isDone();
    }

    @Test
    void anUnreachableIssuerRefusesTokensAsUnauthenticated() throws Exception {
        TestIssuer gone = issuer("/realms/gone");
        PublicJsonWebKey goneKey = gone.addRsaKey("g1");
        String token = TestIssuer.sign(gone.claims("alice", clock.millis()), goneKey);
        gone.close();
        TokenVerifier verifier = verifierFor(gone.issuer()).fetchTimeout(Duration.ofSeconds(2)).build();
        assertRefused(verifier, token, "cannot get the signing keys: cannot reach " + gone.issuer());
        assertRefused(verifier, token, "are unavailable; retrying later");
    }

    @Test
    void malformedTokensAreRefused() throws Exception {
        TokenVerifier verifier = verifier();
        assertRefused(verifier, "", "missing token");
        assertRefused(verifier, "not-a-jwt", "not a signed JWT");
        assertRefused(verifier, "a.b.c.d.e", "not a signed JWT");
        assertRefused(verifier, "!!!.???.sig", "malformed token");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(verifier, header + ".e30.c2ln", "no alg");
        assertRefused(verifier, "x".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1), "longer than");
        assertThat(issuer.requests()).isZero();
    }

    @Test
    void aConfiguredIssuerMustBeAnHttpUrl() {
        try {
            TokenVerifier.builder(http).issuer("ftp://example.org").build();
            fail("accepted an ftp issuer");
        } catch (IllegalArgumentException expected) {
            assertThat(expected).hasMessageContaining("not an http(s) URL");
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
