package io.pushgate.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.sessions.Frame;
import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Outbound;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.delta.DeltaFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The messaging core on one replica, with a clock of its own: who answers, what each failure
 * looks like, and that every table entry leaves (answer, timeout, a session closing). Across
 * replicas through Redis: {@code replicas.MessagingReplicasIT}.
 */
class MessagingTest {

    /** The port to other replicas, on one replica: nobody else has handlers, nobody else listens. */
    static final class NoOtherReplicas implements Messaging.Router {
        final List<String> added = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        final List<String> sent = new ArrayList<>();

        @Override
        public CompletionStage<Boolean> send(String replica, String message) {
            sent.add(replica + " " + message);
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public CompletionStage<Map<String, Set<String>>> handlers(List<String> paths) {
            return CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public CompletionStage<Void> handlerAdded(String path) {
            added.add(path);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void handlerRemoved(String path) {
            removed.add(path);
        }
    }

    /** A client end that records what it is sent. */
    static final class Client implements Outbound {
        final List<JsonNode> received = new ArrayList<>();

        @Override
        public void send(Frame frame) {
            received.add(Json.parse(frame.text()));
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        List<JsonNode> requests() {
            return received.stream().filter(m -> m.path("type").asText().equals("request")).toList();
        }

        String lastRid() {
            List<JsonNode> requests = requests();
            return requests.get(requests.size() - 1).path("rid").asText();
        }
    }

    static final Messaging.Limits LIMITS = new Messaging.Limits(3, 2, 1000, 2, 100, 100, 1_000, 5_000, 3);

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final SecurityService security = new SecurityService(List.of("ADMINISTRATOR"));
    private final Hub hub = new Hub(new TopicTree(), new GatewayStats(), null, security);
    private final NoOtherReplicas router = new NoOtherReplicas();
    private final Messaging messaging = new Messaging("aaaa", router, LIMITS, clock::get, RandomGenerator.of("L64X128MixRandom"));
    private final Access admin = security.accessFor("admin", List.of("ADMINISTRATOR"));
    private long ids;

    @BeforeEach
    void wire() {
        hub.addSessionListener(messaging.sessionListener());
    }

    private Session open(Client client) {
        return new Session(++ids, hub, client, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), System::nanoTime);
    }

    private CompletableFuture<Messaging.Response> send(Session from, String path, Object request) {
        return messaging.sendToHandler(admin, messaging.caller(from), path, Json.MAPPER.valueToTree(request), null).toCompletableFuture();
    }

    private static MessagingException.Reason reasonOf(CompletableFuture<?> answer) {
        assertThat(answer).isCompletedExceptionally();
        Throwable cause = answer.handle((v, e) -> e instanceof CompletionException ce ? ce.getCause() : e).join();
        assertThat(cause).isInstanceOf(MessagingException.class);
        return ((MessagingException) cause).reason();
    }

    @Test
    void aHandlerGetsTheRequestWithItsSenderAndItsResponseReachesTheSender() {
        Client handlerEnd = new Client();
        Session handler = open(handlerEnd);
        Session sender = open(new Client());
        messaging.addHandler(handler, admin, "service/echo");
        CompletableFuture<Messaging.Response> answer = send(sender, "service/echo", Map.of("q", 1));
        assertThat(answer).isNotDone();
        JsonNode request = handlerEnd.requests().get(0);
        assertThat(request.path("path").asText()).isEqualTo("service/echo");
        assertThat(request.path("handler").asText()).isEqualTo("service/echo");
        assertThat(request.path("request").toString()).isEqualTo("{\"q\":1}");
        assertThat(request.path("sessionId").asText()).isEqualTo(messaging.sessionId(sender)).startsWith("aaaa-");
        messaging.respond(handler, request.path("rid").asText(), Json.parse("{\"a\":2}"));
        assertThat(answer.join().value().toString()).isEqualTo("{\"a\":2}");
        assertThat(messaging.waitingCount()).isZero();
        assertThat(messaging.deliveredCount()).isZero();
        assertThat(router.sent).as("nothing left this replica").isEmpty();
    }

    @Test
    void theMostSpecificRegistrationAnswersAndHandlersOfOnePathTakeTurns() {
        Client general = new Client();
        Client specificOne = new Client();
        Client specificTwo = new Client();
        Session g = open(general);
        Session s1 = open(specificOne);
        Session s2 = open(specificTwo);
        messaging.addHandler(g, admin, "a");
        messaging.addHandler(s1, admin, "a/b");
        messaging.addHandler(s2, admin, "a/b");
        for (int i = 0; i < 4; i++) {
            send(open(new Client()), "a/b/c", i);
        }
        send(open(new Client()), "a/x", "general");
        assertThat(specificOne.requests()).hasSize(2);
        assertThat(specificTwo.requests()).hasSize(2);
        assertThat(general.requests()).hasSize(1);
        assertThat(general.requests().get(0).path("handler").asText()).isEqualTo("a");
        assertThat(router.added).as("the registry is told once per path").containsExactly("a", "a/b");
    }

    @Test
    void noHandlerIsNoHandler() {
        Session sender = open(new Client());
        CompletableFuture<Messaging.Response> answer = send(sender, "nobody/here", 1);
        assertThat(reasonOf(answer)).isEqualTo(MessagingException.Reason.NO_HANDLER);
        assertThat(MessagingException.Reason.NO_HANDLER.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(messaging.waitingCount()).isZero();
    }

    @Test
    void aHandlerThatRejectsGivesTheSenderItsMessage() {
        Client handlerEnd = new Client();
        Session handler = open(handlerEnd);
        messaging.addHandler(handler, admin, "svc");
        CompletableFuture<Messaging.Response> answer = send(open(new Client()), "svc", 1);
        messaging.reject(handler, handlerEnd.lastRid(), "out of stock");
        assertThat(reasonOf(answer)).isEqualTo(MessagingException.Reason.REJECTED);
        assertThat(answer.handle((v, e) -> (e instanceof CompletionException ? e.getCause() : e).getMessage()).join())
                .isEqualTo("out of stock");
    }

    @Test
    void aHandlerThatClosesFailsItsRequestsAtOnceAndLeavesTheRegistry() {
        Client handlerEnd = new Client();
        Session handler = open(handlerEnd);
        messaging.addHandler(handler, admin, "svc");
        Session sender = open(new Client());
        CompletableFuture<Messaging.Response> first = send(sender, "svc", 1);
        CompletableFuture<Messaging.Response> second = send(sender, "svc", 2);
        handler.close();
        assertThat(reasonOf(first)).isEqualTo(MessagingException.Reason.HANDLER_GONE);
        assertThat(reasonOf(second)).isEqualTo(MessagingException.Reason.HANDLER_GONE);
        assertThat(messaging.waitingCount()).isZero();
        assertThat(messaging.deliveredCount()).isZero();
        assertThat(router.removed).containsExactly("svc");
        assertThat(reasonOf(send(sender, "svc", 3))).isEqualTo(MessagingException.Reason.NO_HANDLER);
    }

    @Test
    void removingAHandlerFailsOnlyTheRequestsDeliveredToIt() {
        Client handlerEnd = new Client();
        Session handler = open(handlerEnd);
        messaging.addHandler(handler, admin, "one");
        messaging.addHandler(handler, admin, "two");
        Session sender = open(new Client());
        CompletableFuture<Messaging.Response> toOne = send(sender, "one", 1);
        CompletableFuture<Messaging.Response> toTwo = send(sender, "two", 2);
        assertThat(messaging.removeHandler(handler, "one")).isTrue();
        assertThat(reasonOf(toOne)).isEqualTo(MessagingException.Reason.HANDLER_GONE);
        assertThat(toTwo).isNotDone();
        messaging.respond(handler, handlerEnd.lastRid(), Json.parse("\"two\""));
        assertThat(toTwo.join().value().asText()).isEqualTo("two");
        assertThat(messaging.removeHandler(handler, "one")).isFalse();
    }

    @Test
    void aHandlerThatNeverAnswersHoldsNothingPastTheTimeoutAndItsLateAnswerIsRefused() {
        Client handlerEnd = new Client();
        Session handler = open(handlerEnd);
        messaging.addHandler(handler, admin, "slow");
        Session sender = open(new Client());
        CompletableFuture<Messaging.Response> answer = messaging.sendToHandler(admin, messaging.caller(sender), "slow",
                Json.parse("1"), 300L).toCompletableFuture();
        clock.addAndGet(299);
        messaging.expire();
        assertThat(answer).isNotDone();
        clock.addAndGet(1);
        messaging.expire();
        assertThat(reasonOf(answer)).isEqualTo(MessagingException.Reason.TIMEOUT);
        assertThat(messaging.waitingCount()).isZero();
        assertThat(messaging.deliveredCount()).isZero();
        assertThatThrownBy(() -> messaging.respond(handler, handlerEnd.lastRid(), Json.parse("1")))
                .isInstanceOf(ProtocolException.class).extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        // Without a timeout of its own, the default applies.
        CompletableFuture<Messaging.Response> byDefault = send(sender, "slow", 2);
        clock.addAndGet(LIMITS.defaultTimeoutMillis());
        messaging.expire();
        assertThat(reasonOf(byDefault)).isEqualTo(MessagingException.Reason.TIMEOUT);
    }

    @Test
    void everyLimitIsEnforced() {
        Client handlerEnd = new Client();
        Session handler = open(handlerEnd);
        Session sender = open(new Client());
        Client secondEnd = new Client();
        Session second = open(secondEnd);
        messaging.addHandler(handler, admin, "h1");
        messaging.addHandler(handler, admin, "h3");
        messaging.addHandler(second, admin, "h2");
        assertThat(code(() -> messaging.addHandler(handler, admin, "h4"))).as("handlers per session").isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(code(() -> send(sender, "h1", "x".repeat(100)))).as("request bytes").isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(code(() -> messaging.sendToHandler(admin, messaging.caller(sender), "h1", Json.parse("1"), 5_001L)))
                .as("timeout over the maximum").isEqualTo(ErrorCode.INVALID);
        assertThat(code(() -> messaging.sendToHandler(admin, messaging.caller(sender), "h1", Json.parse("1"), 0L)))
                .as("timeout under 1 ms").isEqualTo(ErrorCode.INVALID);
        // The handler may hold 2 unanswered requests; the third is BUSY at once.
        send(sender, "h1", 1);
        send(sender, "h1", 2);
        CompletableFuture<Messaging.Response> third = send(sender, "h1", 3);
        assertThat(reasonOf(third)).isEqualTo(MessagingException.Reason.BUSY);
        // The sender may await 3 at once (two are waiting): one more, then RATE_LIMITED.
        send(sender, "h2", 4);
        assertThat(code(() -> send(sender, "h2", 5))).as("pending per session").isEqualTo(ErrorCode.RATE_LIMITED);
        // A response over the limit is refused and the request still waits for a smaller one.
        String rid = secondEnd.lastRid();
        assertThat(code(() -> messaging.respond(second, rid, Json.MAPPER.valueToTree("y".repeat(100))))).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(code(() -> messaging.reject(second, rid, "z".repeat(101)))).isEqualTo(ErrorCode.TOO_LARGE);
        messaging.respond(second, rid, Json.parse("\"small\""));
        assertThat(messaging.waitingCount()).isEqualTo(2);
        // Another session's request is not this one's to answer.
        assertThatThrownBy(() -> messaging.respond(sender, handlerEnd.requests().get(0).path("rid").asText(), Json.parse("1")))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void withoutThePermissionsNothingIsRegisteredOrSent() {
        Access client = security.accessFor("bob", List.of("CLIENT"));
        Session session = open(new Client());
        assertThat(code(() -> messaging.addHandler(session, client, "svc"))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(() -> messaging.sendToHandler(client, messaging.caller(session), "svc", Json.parse("1"), null)))
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(() -> messaging.sendToSession(client, messaging.caller(session), messaging.sessionId(session), "svc",
                Json.parse("1"), null))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(router.added).isEmpty();
        assertThat(messaging.waitingCount()).isZero();
    }

    @Test
    void aRequestToASessionReachesItsStreamAndTheResponseNamesIt() {
        Client targetEnd = new Client();
        Session target = open(targetEnd);
        Session sender = open(new Client());
        String targetId = messaging.sessionId(target);
        CompletableFuture<Messaging.Response> noStream = messaging.sendToSession(admin, messaging.caller(sender), targetId, "chat/ping",
                Json.parse("1"), null).toCompletableFuture();
        assertThat(reasonOf(noStream)).isEqualTo(MessagingException.Reason.NO_REQUEST_STREAM);
        messaging.addRequestStream(target, "chat");
        CompletableFuture<Messaging.Response> answer = messaging.sendToSession(admin, messaging.caller(sender), targetId, "chat/ping",
                Json.parse("{\"hi\":true}"), null).toCompletableFuture();
        JsonNode request = targetEnd.requests().get(0);
        assertThat(request.path("stream").asText()).isEqualTo("chat");
        assertThat(request.has("handler")).isFalse();
        messaging.respond(target, request.path("rid").asText(), Json.parse("\"pong\""));
        assertThat(answer.join().sessionId()).isEqualTo(targetId);
        assertThat(answer.join().value().asText()).isEqualTo("pong");

        CompletableFuture<Messaging.Response> gone = messaging.sendToSession(admin, messaging.caller(sender), targetId, "chat/ping",
                Json.parse("2"), null).toCompletableFuture();
        target.close();
        assertThat(reasonOf(gone)).isEqualTo(MessagingException.Reason.SESSION_GONE);
        CompletableFuture<Messaging.Response> none = messaging.sendToSession(admin, messaging.caller(sender), targetId, "chat/ping",
                Json.parse("3"), null).toCompletableFuture();
        assertThat(reasonOf(none)).isEqualTo(MessagingException.Reason.NO_SESSION);
        // A session of a replica nobody listens for any more.
        CompletableFuture<Messaging.Response> elsewhere = messaging.sendToSession(admin, messaging.caller(sender), "bbbb-7", "chat/ping",
                Json.parse("4"), null).toCompletableFuture();
        assertThat(reasonOf(elsewhere)).isEqualTo(MessagingException.Reason.NO_SESSION);
        assertThat(code(() -> messaging.sendToSession(admin, messaging.caller(sender), "not an id", "chat", Json.parse("1"), null)))
                .isEqualTo(ErrorCode.INVALID);
        assertThat(messaging.waitingCount()).isZero();
    }

    @Test
    void aSenderThatClosesLeavesNothingWaiting() {
        Session handler = open(new Client());
        messaging.addHandler(handler, admin, "svc");
        Session sender = open(new Client());
        CompletableFuture<Messaging.Response> answer = send(sender, "svc", 1);
        sender.close();
        assertThat(answer).isCompletedExceptionally();
        assertThat(messaging.waitingCount()).isZero();
    }

    @Test
    void aRequestToAFilterReachesEverySelectedSessionAndReportsEachAnswer() {
        Client oneEnd = new Client();
        Client twoEnd = new Client();
        Session one = open(oneEnd);
        Session two = open(twoEnd);
        Session silent = open(new Client());
        Session sender = open(new Client());
        messaging.addRequestStream(one, "room");
        messaging.addRequestStream(two, "room");
        List<String> asked = new ArrayList<>();
        messaging.sessionFinder((access, filter) -> {
            asked.add(filter);
            return CompletableFuture.completedFuture(filter.equals("all")
                    ? List.of(messaging.sessionId(one), messaging.sessionId(two), messaging.sessionId(silent))
                    : List.of(messaging.sessionId(one), messaging.sessionId(two), messaging.sessionId(silent), "aaaa-99"));
        });
        List<Messaging.TargetAnswer> answers = new ArrayList<>();
        CompletableFuture<Messaging.FilterOutcome> outcome = messaging.sendToFilter(admin, messaging.caller(sender), "all", "room/x",
                Json.parse("\"who is here?\""), null, answers::add).toCompletableFuture();
        assertThat(asked).containsExactly("all");
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).sessionId()).isEqualTo(messaging.sessionId(silent));
        assertThat(answers.get(0).error()).isInstanceOf(MessagingException.class);
        assertThat(((MessagingException) answers.get(0).error()).reason()).isEqualTo(MessagingException.Reason.NO_REQUEST_STREAM);
        messaging.respond(one, oneEnd.lastRid(), Json.parse("\"one\""));
        assertThat(outcome).isNotDone();
        messaging.reject(two, twoEnd.lastRid(), "busy");
        assertThat(outcome.join()).isEqualTo(new Messaging.FilterOutcome(3, 1, 2));
        assertThat(answers).extracting(Messaging.TargetAnswer::sessionId)
                .containsExactly(messaging.sessionId(silent), messaging.sessionId(one), messaging.sessionId(two));
        assertThat(answers.get(1).response().asText()).isEqualTo("one");
        assertThat(messaging.waitingCount()).isZero();

        // More than max-filter-targets (3): refused, nothing sent.
        CompletableFuture<Messaging.FilterOutcome> tooMany = messaging.sendToFilter(admin, messaging.caller(sender), "more", "room",
                Json.parse("1"), null, answers::add).toCompletableFuture();
        assertThat(tooMany).isCompletedExceptionally();
        assertThat(oneEnd.requests()).hasSize(1);
        assertThat(messaging.waitingCount()).isZero();
    }

    @Test
    void aRequestToAFilterNeedsSendToSessionAndViewSession() {
        messaging.sessionFinder((access, filter) -> CompletableFuture.completedFuture(List.of()));
        Session sender = open(new Client());
        SecurityService roles = new SecurityService(List.of());
        roles.roleChanged("SENDER", io.pushgate.gateway.security.RoleCodec.decode(
                "{\"name\":\"SENDER\",\"defaultPathPermissions\":[\"SEND_TO_SESSION\"]}"));
        roles.roleChanged("VIEWER", io.pushgate.gateway.security.RoleCodec.decode(
                "{\"name\":\"VIEWER\",\"defaultPathPermissions\":[\"SEND_TO_SESSION\"],\"globalPermissions\":[\"VIEW_SESSION\"]}"));
        Access sendOnly = roles.accessFor("s", List.of("SENDER"));
        Access both = roles.accessFor("v", List.of("VIEWER"));
        assertThat(code(() -> messaging.sendToFilter(sendOnly, messaging.caller(sender), "all", "p", Json.parse("1"), null, a -> { })))
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(messaging.sendToFilter(both, messaging.caller(sender), "all", "p", Json.parse("1"), null, a -> { })
                .toCompletableFuture().join()).isEqualTo(new Messaging.FilterOutcome(0, 0, 0));
    }

    private static ErrorCode code(Runnable action) {
        try {
            action.run();
        } catch (ProtocolException e) {
            return e.code();
        }
        throw new AssertionError("no error");
    }
}
