package io.pushgate.gateway.security.introspection;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache, the coalescing and the reading of replies, with an endpoint in memory and a clock the test moves. */
class TokenIntrospectionTest {

    private static final String ISSUER = "http://127.0.0.1:1/realms/test";

    private final FakeEndpoint endpoint = new FakeEndpoint();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private TokenIntrospection introspection(Duration ttl) {
        return new TokenIntrospection(endpoint, new TokenIntrospection.Settings(ISSUER, ttl, Duration.ofSeconds(30),
                Duration.ofSeconds(60)), clock::get);
    }

    private static TokenIntrospection.Standing get(CompletionStage<TokenIntrospection.Standing> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ProtocolException failure(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
            return (ProtocolException) e.getCause();
        }
        throw new AssertionError("the stage completed normally");
    }

    @Test
    void anAnswerIsUsedAgainForTheTtlThenTheEndpointIsAskedAgain() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        endpoint.active("t1", "alice-id", "CLIENT");

        for (int i = 0; i < 100; i++) {
            assertThat(get(introspection.standing("t1")).roles()).containsExactly("CLIENT");
        }
        assertThat(endpoint.calls()).isEqualTo(1);

        endpoint.active("t1", "alice-id");  // the role is removed at the issuer
        clock.addAndGet(Duration.ofMillis(4_900).toNanos());
        assertThat(get(introspection.standing("t1")).roles()).as("still within the TTL").containsExactly("CLIENT");
        clock.addAndGet(Duration.ofMillis(200).toNanos());
        TokenIntrospection.Standing after = get(introspection.standing("t1"));
        assertThat(after.active()).isTrue();
        assertThat(after.roles()).isEmpty();
        assertThat(endpoint.calls()).isEqualTo(2);
    }

    @Test
    void eachTokenHasItsOwnAnswer() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        endpoint.active("t1", "alice-id", "CLIENT");
        endpoint.active("t2", "bob-id", "TOPIC_CONTROL");
        assertThat(get(introspection.standing("t1")).roles()).containsExactly("CLIENT");
        assertThat(get(introspection.standing("t2")).roles()).containsExactly("TOPIC_CONTROL");
        assertThat(get(introspection.standing("t2")).subject()).isEqualTo("bob-id");
        assertThat(endpoint.calls()).isEqualTo(2);
    }

    @Test
    void callersThatAskWhileACallIsUnderWayShareIt() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        endpoint.active("t1", "alice-id", "CLIENT");
        endpoint.holding = true;
        List<CompletionStage<TokenIntrospection.Standing>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(introspection.standing("t1"));
        }
        assertThat(endpoint.calls()).isEqualTo(1);
        assertThat(waiting).allSatisfy(s -> assertThat(s.toCompletableFuture()).isNotDone());
        endpoint.release();
        for (CompletionStage<TokenIntrospection.Standing> s : waiting) {
            assertThat(get(s).roles()).containsExactly("CLIENT");
        }
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void callersOfAFailedCallEachGetTheBareUnavailable() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        endpoint.down = true;
        endpoint.holding = true;
        CompletionStage<TokenIntrospection.Standing> first = introspection.standing("t1");
        CompletionStage<TokenIntrospection.Standing> second = introspection.standing("t1");
        endpoint.release();
        assertThat(failure(first).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failure(second).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void anInactiveAnswerIsKeptForTheTtlToo() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        endpoint.inactive("t1");
        for (int i = 0; i < 10; i++) {
            TokenIntrospection.Standing standing = get(introspection.standing("t1"));
            assertThat(standing.active()).isFalse();
            assertThat(standing.roles()).isEmpty();
        }
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void anUnreachableEndpointIsUnavailableSayingWhyWithoutTheTokenAndIsNotRemembered() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        String token = "eyJhbGciOiJSUzI1NiJ9.secret-payload.signature";
        endpoint.active(token, "alice-id", "CLIENT");
        endpoint.down = true;
        ProtocolException refused = failure(introspection.standing(token));
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(refused.getMessage()).contains(ISSUER).contains("cannot reach").contains("try again later")
                .doesNotContain(token).doesNotContain("secret-payload");
        failure(introspection.standing(token));
        assertThat(endpoint.calls()).as("a failure is not cached: the next request asks again").isEqualTo(2);

        endpoint.down = false;
        assertThat(get(introspection.standing(token)).roles()).containsExactly("CLIENT");
    }

    @Test
    void anEndpointThatThrowsInsteadOfFailingTheStageIsUnavailableToo() throws Exception {
        TokenIntrospection introspection = new TokenIntrospection(token -> {
            throw new IllegalStateException("boom");
        }, new TokenIntrospection.Settings(ISSUER, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60)), clock::get);
        assertThat(failure(introspection.standing("t")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void rolesAreTheRolesMemberElseRealmAccessRolesElseNone() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ZERO);
        endpoint.reply("own", Map.of("active", true, "roles", List.of("A"), "realm_access", Map.of("roles", List.of("B"))));
        endpoint.reply("keycloak", Map.of("active", true, "realm_access", Map.of("roles", List.of("B", "C"))));
        // what Keycloak answers once the user's last realm role is gone: no realm_access at all
        endpoint.reply("none", Map.of("active", true, "preferred_username", "alice"));
        assertThat(get(introspection.standing("own")).roles()).containsExactly("A");
        assertThat(get(introspection.standing("keycloak")).roles()).containsExactly("B", "C");
        assertThat(get(introspection.standing("none")).roles()).isEmpty();
    }

    @Test
    void expAndSubAreRead() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ZERO);
        endpoint.reply("t", Map.of("active", true, "exp", 1_800_000_000L, "sub", "alice-id"));
        TokenIntrospection.Standing standing = get(introspection.standing("t"));
        assertThat(standing.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_800_000_000L));
        assertThat(standing.subject()).isEqualTo("alice-id");
    }

    @Test
    void malformedRepliesAreUnavailableNotActive() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        Map<String, Map<String, Object>> malformed = Map.of(
                "no active", Map.of("sub", "x"),
                "active as text", Map.of("active", "true"),
                "roles not an array", Map.of("active", true, "roles", "CLIENT"),
                "roles not strings", Map.of("active", true, "realm_access", Map.of("roles", List.of(1, 2))),
                "exp not a number", Map.of("active", true, "exp", "soon"),
                "sub not a string", Map.of("active", true, "sub", 7));
        for (Map.Entry<String, Map<String, Object>> e : malformed.entrySet()) {
            endpoint.reply(e.getKey(), e.getValue());
            ProtocolException refused = failure(introspection.standing(e.getKey()));
            assertThat(refused.code()).as(e.getKey()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
        endpoint.reply("no active", Map.of("active", true));
        assertThat(get(introspection.standing("no active")).active()).as("a malformed reply is not remembered").isTrue();
    }

    @Test
    void aZeroTtlAsksEveryTime() throws Exception {
        TokenIntrospection introspection = introspection(Duration.ZERO);
        endpoint.active("t1", "alice-id", "CLIENT");
        for (int i = 0; i < 5; i++) {
            get(introspection.standing("t1"));
        }
        assertThat(endpoint.calls()).isEqualTo(5);
        assertThat(introspection.cachedAnswers()).isZero();
    }

    @Test
    void theCacheHoldsHashesOfTokensAndStaysBounded() throws Exception {
        assertThat(TokenIntrospection.key("a.b.c")).isNotEqualTo("a.b.c").doesNotContain("a.b.c")
                .isEqualTo(TokenIntrospection.key("a.b.c")).isNotEqualTo(TokenIntrospection.key("a.b.d"));
        TokenIntrospection introspection = introspection(Duration.ofSeconds(5));
        for (int i = 0; i < TokenIntrospection.MAX_ENTRIES + 10; i++) {
            get(introspection.standing("token-" + i));
        }
        assertThat(introspection.cachedAnswers()).isLessThanOrEqualTo(TokenIntrospection.MAX_ENTRIES);
    }

    @Test
    void settingsRefuseNegativeDurations() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TokenIntrospection.Settings(ISSUER, Duration.ofSeconds(-1),
                Duration.ofSeconds(30), Duration.ofSeconds(60))).isInstanceOf(IllegalArgumentException.class);
    }
}
