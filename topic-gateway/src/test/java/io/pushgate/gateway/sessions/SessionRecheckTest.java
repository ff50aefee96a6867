package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.security.CredentialCheck;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Open sessions whose credentials can be re-checked (token introspection): the answers applied on
 * the session's loop, on the core alone, with a clock the test moves and a check it answers by hand.
 */
class SessionRecheckTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final TopicTree tree = new TopicTree();
    private final GatewayStats stats = new GatewayStats();
    // sessions without credentials have a role without a definition: they may read nothing
    private final SecurityService security = new SecurityService(List.of("NOBODY"));
    private final Hub hub = new Hub(tree, stats, null, security);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ManualCheck check = new ManualCheck();
    private RecordingOutbound out;
    private Session session;

    /** A credential check whose answers the test gives. */
    private static final class ManualCheck implements CredentialCheck {
        final List<CompletableFuture<Credentials>> asked = new ArrayList<>();

        @Override
        public Duration interval() {
            return INTERVAL;
        }

        @Override
        public Duration grace() {
            return GRACE;
        }

        @Override
        public CompletionStage<Credentials> check() {
            CompletableFuture<Credentials> answer = new CompletableFuture<>();
            asked.add(answer);
            return answer;
        }

        CompletableFuture<Credentials> last() {
            return asked.get(asked.size() - 1);
        }
    }

    private Credentials alice(String... roles) {
        return new Credentials("alice", List.of(roles), Instant.now().plusSeconds(3_600), check);
    }

    @BeforeEach
    void open() {
        out = new RecordingOutbound();
        session = new Session(1, hub, out, DeltaFormat.JSON_PATCH, new Session.Limits(5_000_000_000L, 10), clock::get);
        tree.add("prices/btc", TopicSpec.of(TopicType.JSON), new Topic.State(1, TopicValue.fromText(TopicType.JSON, "43000")));
    }

    private void after(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    private JsonNode lastMessage() {
        return Json.parse(out.last().text());
    }

    @Test
    void theIssuerIsAskedOncePerIntervalAndNeverTwiceAtOnce() {
        session.authenticated(alice("CLIENT"));
        session.recheckCredentials();
        after(INTERVAL.minusSeconds(1));
        session.recheckCredentials();
        assertThat(check.asked).as("not before the interval").isEmpty();
        after(Duration.ofSeconds(1));
        session.recheckCredentials();
        assertThat(check.asked).hasSize(1);
        after(INTERVAL.multipliedBy(3));
        session.recheckCredentials();
        assertThat(check.asked).as("one question at a time").hasSize(1);
        check.last().complete(alice("CLIENT"));
        session.recheckCredentials();
        assertThat(check.asked).hasSize(2);
    }

    @Test
    void rolesThatShrankTakeTheRightsAwayAtOnceThroughTheLiveChangePath() {
        session.authenticated(alice("CLIENT"));
        session.subscribe(TopicSelector.parse("prices/btc"));
        assertThat(out.types()).containsExactly("subscription", "value");
        assertThat(session.access().canRead("prices/btc")).isTrue();

        after(INTERVAL);
        session.recheckCredentials();
        check.last().complete(alice());

        assertThat(lastMessage().path("type").asText()).isEqualTo("unsubscribed");
        assertThat(lastMessage().path("reason").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(session.subscribedPaths()).isEmpty();
        assertThat(session.access().canRead("prices/btc")).isFalse();
        assertThat(session.credentials().roles()).isEmpty();
        assertThat(session.isClosed()).isFalse();
        assertThat(session.principal()).isEqualTo("alice");
    }

    @Test
    void rolesThatGrewApplyToo() {
        session.authenticated(alice());
        session.subscribe(TopicSelector.parse("prices/btc"));
        assertThat(out.types()).isEmpty();
        after(INTERVAL);
        session.recheckCredentials();
        check.last().complete(alice("CLIENT"));
        assertThat(out.types()).containsExactly("subscription", "value");
    }

    @Test
    void theSameRolesChangeNothing() {
        session.authenticated(alice("CLIENT"));
        session.subscribe(TopicSelector.parse("prices/btc"));
        int frames = out.frames.size();
        after(INTERVAL);
        session.recheckCredentials();
        check.last().complete(alice("CLIENT"));
        assertThat(out.frames).hasSize(frames);
        assertThat(session.subscribedPaths()).containsExactly("prices/btc");
    }

    @Test
    void aTokenTheIssuerNoLongerAcceptsClosesTheSessionLikeAnExpiredOne() {
        session.authenticated(alice("CLIENT"));
        session.subscribe(TopicSelector.parse("prices/btc"));
        after(INTERVAL);
        session.recheckCredentials();
        check.last().completeExceptionally(new ProtocolException(ErrorCode.UNAUTHENTICATED, "revoked"));
        assertThat(out.closedWith).isEqualTo(CloseCodes.UNAUTHENTICATED);
        assertThat(session.isClosed()).isTrue();
        assertThat(stats.subscriptions.get()).isZero();
    }

    @Test
    void withoutAnAnswerTheSessionKeepsItsLastKnownRolesUntilTheGraceTimeThenIsToldToTryAgainLater() {
        session.authenticated(alice("CLIENT"));
        session.subscribe(TopicSelector.parse("prices/btc"));
        int frames = out.frames.size();

        after(INTERVAL);
        session.recheckCredentials();
        check.last().completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "issuer down"));
        after(INTERVAL);
        session.recheckCredentials();
        check.last().completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "issuer down"));
        assertThat(session.isClosed()).as("20 s without an answer, grace 30 s").isFalse();
        assertThat(session.subscribedPaths()).containsExactly("prices/btc");
        assertThat(session.access().canRead("prices/btc")).isTrue();
        assertThat(out.frames).hasSize(frames);

        after(INTERVAL);
        session.recheckCredentials();
        check.last().completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "issuer down"));
        assertThat(session.isClosed()).as("exactly 30 s").isFalse();
        after(INTERVAL);
        session.recheckCredentials();
        check.last().completeExceptionally(new java.util.concurrent.CompletionException(
                new ProtocolException(ErrorCode.UNAVAILABLE, "issuer down")));
        assertThat(out.closedWith).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(CloseCodes.shouldReconnect(out.closedWith)).isTrue();
        assertThat(session.isClosed()).isTrue();
    }

    @Test
    void anAnswerInBetweenStartsTheGraceTimeAgain() {
        session.authenticated(alice("CLIENT"));
        for (int round = 0; round < 3; round++) {
            after(INTERVAL);
            session.recheckCredentials();
            check.last().completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "issuer down"));
            after(INTERVAL);
            session.recheckCredentials();
            check.last().complete(alice("CLIENT"));
        }
        after(INTERVAL.multipliedBy(2));
        session.recheckCredentials();
        check.last().completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "issuer down"));
        assertThat(session.isClosed()).isFalse();
    }

    @Test
    void anAnswerAboutCredentialsTheSessionNoLongerHoldsIsDropped() {
        session.authenticated(alice("CLIENT"));
        session.subscribe(TopicSelector.parse("prices/btc"));
        after(INTERVAL);
        session.recheckCredentials();
        CompletableFuture<Credentials> stale = check.last();
        session.authenticated(alice("CLIENT")); // a fresh token through "auth"
        stale.completeExceptionally(new ProtocolException(ErrorCode.UNAUTHENTICATED, "the old token was revoked"));
        assertThat(session.isClosed()).isFalse();
        assertThat(session.subscribedPaths()).containsExactly("prices/btc");
    }

    @Test
    void credentialsWithoutACheckAreNeverRechecked() {
        session.authenticated(new Credentials("carol", List.of("CLIENT"), Instant.now().plusSeconds(3_600)));
        after(INTERVAL.multipliedBy(100));
        session.recheckCredentials();
        assertThat(check.asked).isEmpty();
        Session anonymous = new Session(2, hub, new RecordingOutbound(), DeltaFormat.JSON_PATCH,
                new Session.Limits(5_000_000_000L, 10), clock::get);
        anonymous.recheckCredentials();
        assertThat(check.asked).isEmpty();
    }

    @Test
    void aClosedSessionIsNotRechecked() {
        session.authenticated(alice("CLIENT"));
        session.close();
        after(INTERVAL);
        session.recheckCredentials();
        assertThat(check.asked).isEmpty();
    }
}
