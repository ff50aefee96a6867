package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import static io.pushgate.protocol.GlobalPermission.MODIFY_SECURITY;
import static io.pushgate.protocol.GlobalPermission.REGISTER_HANDLER;
import static io.pushgate.gateway.security.PathPermission.SEND_TO_MESSAGE_HANDLER;
import static io.pushgate.gateway.security.PathPermission.SEND_TO_SESSION;
import static io.pushgate.protocol.GlobalPermission.VIEW_SECURITY;
import static io.pushgate.gateway.security.PathPermission.EDIT_OWN_TIME_SERIES_EVENTS;
import static io.pushgate.gateway.security.PathPermission.EDIT_TIME_SERIES_EVENTS;
import static io.pushgate.gateway.security.PathPermission.MODIFY_TOPIC;
import static io.pushgate.gateway.security.PathPermission.QUERY_OBSOLETE_TIME_SERIES_EVENTS;
import static io.pushgate.gateway.security.PathPermission.READ_TOPIC;
import static io.pushgate.gateway.security.PathPermission.SELECT_TOPIC;
import static io.pushgate.gateway.security.PathPermission.UPDATE_TOPIC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.SseClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every permission of the contract on every transport where an operation needs it (issue 4:
 * "tests for each permission on each transport"). For each case, two roles that differ in that
 * one permission only, on a topic root of the case's own:
 * <ul>
 * <li>without it the operation is refused as documented ({@code PERMISSION_DENIED} / 403; or, for
 * SELECT_TOPIC, exactly what a topic that does not exist gives, the path reaching the session
 * nowhere; or, for READ_TOPIC, the topic without its value, and subscriptions yielding nothing), and
 * nothing changed in Redis;
 * <li>with it the operation succeeds.
 * </ul>
 * Each role holds the tested permission plus only what the operation needs besides it (SELECT_TOPIC
 * and READ_TOPIC to receive values, UPDATE_TOPIC for edits, ...). The matrix is also in
 * {@code docs/security-model.md}.
 */
@QuarkusTest
@TestProfile(SecureProfile.class)
class PermissionMatrixTest extends SecureGatewayTestBase {

    /** The principal of the tested sessions; the fixture's first event is theirs. */
    static final String ME = "matrix-user";
    static final String OTHER = "matrix-other";

    @Inject
    RedisDataSource redis;

    enum Transport { WEBSOCKET, REST, SSE }

    /** How a refusal shows. */
    enum Refusal {
        /** {@code PERMISSION_DENIED} (WebSocket) or 403 {@code {code: PERMISSION_DENIED}} (REST). */
        DENIED,
        /**
         * Exactly what the same operation gives for a path where no topic exists (the path replaced),
         * and a selector that matches the topic gives nothing that names it.
         */
        AS_IF_ABSENT,
        /** The topic is there, without its value. */
        WITHOUT_VALUE
    }

    /** What a session or a REST caller got: a code ({@code OK} or the error's), and every message, in order. */
    record Outcome(String code, JsonNode reply, List<String> received) {
        String text() {
            return String.join("\n", received);
        }
    }

    /** One operation of one transport, run with a token on a path of the case's fixture. */
    interface Operation {
        Outcome run(PermissionMatrixTest test, String token, Fixture fixture, String path);
    }

    /**
     * The topics of a case, under its own root: {@code t} (JSON {@code {"v":1}}), {@code ts} (a STRING
     * time series: seq 1 by {@link #ME}, seq 2 by {@link #OTHER}, seq 3 an edit of seq 1), a view
     * {@code view} mapping {@code t} to {@code ref/t}, and a readable beacon outside the root.
     */
    record Fixture(String root) {
        String t() {
            return root + "/t";
        }

        String ts() {
            return root + "/ts";
        }

        String fresh() {
            return root + "/new";
        }

        String ghost() {
            return root + "/ghost";
        }

        String beacon() {
            return root + "-beacon";
        }

        /** The view of the fixture, named after the topic it maps (so that its ghost is a view that does not exist). */
        String view() {
            return viewName(t());
        }

        String role() {
            return root + "-role";
        }
    }

    /**
     * One cell of the matrix. {@code needs}: what the operation needs in all, the tested permission
     * included; the refused role holds the same less the tested one.
     */
    record Case(Enum<?> permission, Transport transport, String operation, Set<? extends Enum<?>> needs, Refusal refusal,
                Target target, Operation run, Consumer<Outcome> allowed) {
        @Override
        public String toString() {
            return permission + " / " + transport + " / " + operation;
        }
    }

    /** Which fixture path an operation acts on. */
    enum Target {
        VALUE, SERIES, NEW, NONE;

        String path(Fixture f) {
            return switch (this) {
                case VALUE -> f.t();
                case SERIES -> f.ts();
                case NEW -> f.fresh();
                case NONE -> f.root();
            };
        }
    }

    // ------------------------------------------------------------------ the matrix

    static Stream<Case> matrix() {
        List<Case> cases = new ArrayList<>();
        // SELECT_TOPIC: without it a topic is as if it did not exist, on every transport.
        cases.add(path(SELECT_TOPIC, Transport.WEBSOCKET, "subscribe", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                wsSubscribe(), o -> assertThat(o.text()).contains("\"type\":\"value\"").contains("{\"v\":1}")));
        cases.add(path(SELECT_TOPIC, Transport.WEBSOCKET, "fetch withValues=false", Set.of(SELECT_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                (t, token, f, p) -> t.ws(token, op("fetch", "selector", ">" + p, "withValues", false)),
                o -> assertThat(o.reply().path("results")).hasSize(1)));
        cases.add(path(SELECT_TOPIC, Transport.WEBSOCKET, "range", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT, Target.SERIES,
                wsRange("values"), o -> assertThat(o.reply().path("events")).hasSize(2)));
        cases.add(path(SELECT_TOPIC, Transport.WEBSOCKET, "remove", Set.of(SELECT_TOPIC, MODIFY_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                (t, token, f, p) -> t.ws(token, op("remove", "selector", ">" + p)),
                o -> assertThat(o.reply().path("removed").asInt()).isEqualTo(1)));
        cases.add(path(SELECT_TOPIC, Transport.REST, "GET /v1/topics/{path}", Set.of(SELECT_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                (t, token, f, p) -> rest(token, r -> r.get("/v1/topics/" + p)),
                o -> assertThat(o.reply().path("seq").asLong()).isEqualTo(1)));
        cases.add(path(SELECT_TOPIC, Transport.REST, "GET /v1/topics?selector", Set.of(SELECT_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                (t, token, f, p) -> rest(token, r -> r.queryParam("selector", ">" + p).get("/v1/topics")),
                o -> assertThat(o.reply().path("results")).hasSize(1)));
        cases.add(path(SELECT_TOPIC, Transport.REST, "GET /v1/timeseries/{path}", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT,
                Target.SERIES, (t, token, f, p) -> rest(token, r -> r.queryParam("fromLast", 10).get("/v1/timeseries/" + p)),
                o -> assertThat(o.reply().path("events")).hasSize(2)));
        cases.add(path(SELECT_TOPIC, Transport.REST, "DELETE /v1/topics/{path}", Set.of(SELECT_TOPIC, MODIFY_TOPIC), Refusal.AS_IF_ABSENT,
                Target.VALUE, (t, token, f, p) -> rest(token, r -> r.delete("/v1/topics/" + p)),
                o -> assertThat(o.reply().path("removed").asInt()).isEqualTo(1)));
        cases.add(path(SELECT_TOPIC, Transport.REST, "GET /v1/views/{name} (reference topics)", Set.of(SELECT_TOPIC), Refusal.AS_IF_ABSENT,
                Target.VALUE, (t, token, f, p) -> rest(token, r -> r.accept("application/json").get("/v1/views/" + viewName(p))),
                o -> assertThat(o.reply().path("referenceTopics").toString()).contains("/ref/t")));
        cases.add(path(SELECT_TOPIC, Transport.SSE, "?selector", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                sse(), o -> assertThat(o.text()).contains("{\"v\":1}")));
        cases.add(path(SELECT_TOPIC, Transport.SSE, "?selector (time series)", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT,
                Target.SERIES, sse(), o -> assertThat(o.text()).contains("\"event\":{")));

        // READ_TOPIC: the topic is visible, its values are not.
        cases.add(path(READ_TOPIC, Transport.WEBSOCKET, "subscribe", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                wsSubscribe(), o -> assertThat(o.text()).contains("{\"v\":1}")));
        cases.add(path(READ_TOPIC, Transport.WEBSOCKET, "subscribe (time series)", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT,
                Target.SERIES, wsSubscribe(), o -> assertThat(o.text()).contains("\"event\":{")));
        cases.add(path(READ_TOPIC, Transport.WEBSOCKET, "fetch", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.WITHOUT_VALUE, Target.VALUE,
                (t, token, f, p) -> t.ws(token, op("fetch", "selector", ">" + p)),
                o -> assertThat(o.reply().path("results").path(0).path("value").toString()).isEqualTo("{\"v\":1}")));
        cases.add(path(READ_TOPIC, Transport.WEBSOCKET, "range", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.DENIED, Target.SERIES,
                wsRange("values"), o -> assertThat(o.reply().path("events")).hasSize(2)));
        cases.add(path(READ_TOPIC, Transport.REST, "GET /v1/topics/{path}", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.WITHOUT_VALUE,
                Target.VALUE, (t, token, f, p) -> rest(token, r -> r.get("/v1/topics/" + p)),
                o -> assertThat(o.reply().path("value").toString()).isEqualTo("{\"v\":1}")));
        cases.add(path(READ_TOPIC, Transport.REST, "GET /v1/topics?selector", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.WITHOUT_VALUE,
                Target.VALUE, (t, token, f, p) -> rest(token, r -> r.queryParam("selector", ">" + p).get("/v1/topics")),
                o -> assertThat(o.reply().path("results").path(0).path("value").toString()).isEqualTo("{\"v\":1}")));
        cases.add(path(READ_TOPIC, Transport.REST, "GET /v1/timeseries/{path}", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.DENIED,
                Target.SERIES, (t, token, f, p) -> rest(token, r -> r.queryParam("fromLast", 10).get("/v1/timeseries/" + p)),
                o -> assertThat(o.reply().path("events")).hasSize(2)));
        cases.add(path(READ_TOPIC, Transport.SSE, "?selector", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT, Target.VALUE,
                sse(), o -> assertThat(o.text()).contains("{\"v\":1}")));
        cases.add(path(READ_TOPIC, Transport.SSE, "?selector (time series)", Set.of(SELECT_TOPIC, READ_TOPIC), Refusal.AS_IF_ABSENT,
                Target.SERIES, sse(), o -> assertThat(o.text()).contains("\"event\":{")));

        // UPDATE_TOPIC: set and append; edits need it too.
        cases.add(path(UPDATE_TOPIC, Transport.WEBSOCKET, "set", Set.of(UPDATE_TOPIC), Refusal.DENIED, Target.VALUE,
                (t, token, f, p) -> t.ws(token, op("set", "topic", p, "value", Map.of("v", 2))), seq(2)));
        cases.add(path(UPDATE_TOPIC, Transport.WEBSOCKET, "append", Set.of(UPDATE_TOPIC), Refusal.DENIED, Target.SERIES,
                (t, token, f, p) -> t.ws(token, op("append", "topic", p, "value", "new")), seq(4)));
        cases.add(path(UPDATE_TOPIC, Transport.WEBSOCKET, "edit", Set.of(UPDATE_TOPIC, EDIT_TIME_SERIES_EVENTS), Refusal.DENIED,
                Target.SERIES, wsEdit(2), seq(4)));
        cases.add(path(UPDATE_TOPIC, Transport.REST, "PUT /v1/topics/{path}", Set.of(UPDATE_TOPIC), Refusal.DENIED, Target.VALUE,
                (t, token, f, p) -> rest(token, r -> r.contentType("application/json").body("{\"v\":2}").put("/v1/topics/" + p)), seq(2)));
        cases.add(path(UPDATE_TOPIC, Transport.REST, "POST /v1/topics/{path}", Set.of(UPDATE_TOPIC), Refusal.DENIED, Target.SERIES,
                (t, token, f, p) -> rest(token, r -> r.contentType("text/plain").body("new").post("/v1/topics/" + p)), seq(4)));
        cases.add(path(UPDATE_TOPIC, Transport.REST, "PUT /v1/timeseries/{path}/{seq}", Set.of(UPDATE_TOPIC, EDIT_TIME_SERIES_EVENTS),
                Refusal.DENIED, Target.SERIES, restEdit(2), seq(4)));

        // MODIFY_TOPIC: add, add-and-set, remove, views.
        cases.add(path(MODIFY_TOPIC, Transport.WEBSOCKET, "add", Set.of(MODIFY_TOPIC), Refusal.DENIED, Target.NEW,
                (t, token, f, p) -> t.ws(token, op("add", "topic", p, "spec", "JSON")),
                o -> assertThat(o.reply().path("result").asText()).isEqualTo("CREATED")));
        cases.add(path(MODIFY_TOPIC, Transport.WEBSOCKET, "set with spec (add-and-set)", Set.of(MODIFY_TOPIC, UPDATE_TOPIC), Refusal.DENIED,
                Target.NEW, (t, token, f, p) -> t.ws(token, op("set", "topic", p, "value", 1, "spec", "INT64")), seq(1)));
        cases.add(path(MODIFY_TOPIC, Transport.WEBSOCKET, "remove", Set.of(SELECT_TOPIC, MODIFY_TOPIC), Refusal.DENIED, Target.VALUE,
                (t, token, f, p) -> t.ws(token, op("remove", "selector", ">" + p)),
                o -> assertThat(o.reply().path("removed").asInt()).isEqualTo(1)));
        cases.add(path(MODIFY_TOPIC, Transport.REST, "PUT /v1/topics/{path}?add=true", Set.of(MODIFY_TOPIC), Refusal.DENIED, Target.NEW,
                (t, token, f, p) -> rest(token, r -> r.queryParam("add", true).contentType("application/json").body("\"JSON\"")
                        .put("/v1/topics/" + p)),
                o -> assertThat(o.reply().path("result").asText()).isEqualTo("CREATED")));
        cases.add(path(MODIFY_TOPIC, Transport.REST, "PUT /v1/topics/{path}?type= (add-and-set)", Set.of(MODIFY_TOPIC, UPDATE_TOPIC),
                Refusal.DENIED, Target.NEW, (t, token, f, p) -> rest(token, r -> r.queryParam("type", "INT64").contentType("application/json")
                        .body("1").put("/v1/topics/" + p)), seq(1)));
        cases.add(path(MODIFY_TOPIC, Transport.REST, "DELETE /v1/topics/{path}", Set.of(SELECT_TOPIC, MODIFY_TOPIC), Refusal.DENIED,
                Target.VALUE, (t, token, f, p) -> rest(token, r -> r.delete("/v1/topics/" + p)),
                o -> assertThat(o.reply().path("removed").asInt()).isEqualTo(1)));
        cases.add(path(MODIFY_TOPIC, Transport.REST, "PUT /v1/views/{name}", Set.of(MODIFY_TOPIC), Refusal.DENIED, Target.NONE,
                (t, token, f, p) -> rest(token, r -> r.contentType("text/plain").body("map >" + f.t() + " to " + p + "/copy/t")
                        .put("/v1/views/" + f.view() + "-new")),
                o -> assertThat(o.reply().path("text").asText()).startsWith("map ")));
        // as for a topic, removing needs to see the view (SELECT_TOPIC on its roots): to a caller who
        // may not, it does not exist (404, tested in aTopicsPathNeverReachesASessionWithoutSelectTopic)
        cases.add(path(MODIFY_TOPIC, Transport.REST, "DELETE /v1/views/{name}", Set.of(SELECT_TOPIC, MODIFY_TOPIC), Refusal.DENIED, Target.NONE,
                (t, token, f, p) -> rest(token, r -> r.delete("/v1/views/" + f.view())),
                o -> assertThat(o.reply().path("removed").asText()).isNotEmpty()));

        // The time series permissions, on both transports that have the operations (SSE has none).
        cases.add(path(EDIT_TIME_SERIES_EVENTS, Transport.WEBSOCKET, "edit another's event", Set.of(UPDATE_TOPIC, EDIT_TIME_SERIES_EVENTS),
                Refusal.DENIED, Target.SERIES, wsEdit(2), seq(4)));
        cases.add(path(EDIT_TIME_SERIES_EVENTS, Transport.REST, "PUT /v1/timeseries/{path}/{seq} another's event",
                Set.of(UPDATE_TOPIC, EDIT_TIME_SERIES_EVENTS), Refusal.DENIED, Target.SERIES, restEdit(2), seq(4)));
        cases.add(path(EDIT_OWN_TIME_SERIES_EVENTS, Transport.WEBSOCKET, "edit one's own event", Set.of(UPDATE_TOPIC, EDIT_OWN_TIME_SERIES_EVENTS),
                Refusal.DENIED, Target.SERIES, wsEdit(1), seq(4)));
        cases.add(path(EDIT_OWN_TIME_SERIES_EVENTS, Transport.REST, "PUT /v1/timeseries/{path}/{seq} one's own event",
                Set.of(UPDATE_TOPIC, EDIT_OWN_TIME_SERIES_EVENTS), Refusal.DENIED, Target.SERIES, restEdit(1), seq(4)));
        cases.add(path(QUERY_OBSOLETE_TIME_SERIES_EVENTS, Transport.WEBSOCKET, "range view=edits",
                Set.of(SELECT_TOPIC, READ_TOPIC, QUERY_OBSOLETE_TIME_SERIES_EVENTS), Refusal.DENIED, Target.SERIES, wsRange("edits"),
                o -> assertThat(o.reply().path("events")).hasSize(3)));
        cases.add(path(QUERY_OBSOLETE_TIME_SERIES_EVENTS, Transport.REST, "GET /v1/timeseries/{path}?view=edits",
                Set.of(SELECT_TOPIC, READ_TOPIC, QUERY_OBSOLETE_TIME_SERIES_EVENTS), Refusal.DENIED, Target.SERIES,
                (t, token, f, p) -> rest(token, r -> r.queryParam("fromLast", 10).queryParam("view", "edits").get("/v1/timeseries/" + p)),
                o -> assertThat(o.reply().path("events")).hasSize(3)));

        // Messaging (issue 18): REGISTER_HANDLER is global, as in Diffusion; sending is path-scoped.
        cases.add(new Case(REGISTER_HANDLER, Transport.WEBSOCKET, "addRequestHandler", Set.of(REGISTER_HANDLER), Refusal.DENIED, Target.NONE,
                (t, token, f, p) -> t.wsThenForgetHandler(p, () -> t.ws(token, op("addRequestHandler", "path", p))),
                o -> assertThat(o.reply().path("type").asText()).isEqualTo("ok")));
        cases.add(path(SEND_TO_MESSAGE_HANDLER, Transport.WEBSOCKET, "sendRequest", Set.of(SEND_TO_MESSAGE_HANDLER), Refusal.DENIED,
                Target.NONE, (t, token, f, p) -> t.withEchoHandler(p, false, target -> t.ws(token, op("sendRequest", "path", p + "/x",
                        "request", Map.of("q", 1)))), echoed()));
        cases.add(path(SEND_TO_MESSAGE_HANDLER, Transport.REST, "POST /v1/messaging/requests/{path}", Set.of(SEND_TO_MESSAGE_HANDLER),
                Refusal.DENIED, Target.NONE, (t, token, f, p) -> t.withEchoHandler(p, false, target -> rest(token, r -> r
                        .contentType("application/json").body("{\"q\":1}").post("/v1/messaging/requests/" + p + "/x"))), echoed()));
        cases.add(path(SEND_TO_SESSION, Transport.WEBSOCKET, "sendToSession", Set.of(SEND_TO_SESSION), Refusal.DENIED, Target.NONE,
                (t, token, f, p) -> t.withEchoHandler(p, true, target -> t.ws(token, op("sendToSession", "sessionId", target, "path", p + "/x",
                        "request", Map.of("q", 1)))), echoed()));
        cases.add(path(SEND_TO_SESSION, Transport.REST, "POST /v1/messaging/sessions/{sessionId}/{path}", Set.of(SEND_TO_SESSION),
                Refusal.DENIED, Target.NONE, (t, token, f, p) -> t.withEchoHandler(p, true, target -> rest(token, r -> r
                        .contentType("application/json").body("{\"q\":1}").post("/v1/messaging/sessions/" + target + "/" + p + "/x"))),
                echoed()));

        // Global permissions: the security store (REST only; the other four have no operation in the gateway).
        cases.add(global(VIEW_SECURITY, "GET /v1/security/roles", (t, token, f, p) -> rest(token, r -> r.get("/v1/security/roles")),
                o -> assertThat(o.reply().path("roles").toString()).contains(quoted("ADMINISTRATOR"))));
        cases.add(global(VIEW_SECURITY, "GET /v1/security/roles/{role}", (t, token, f, p) -> rest(token, r -> r.get("/v1/security/roles/CLIENT")),
                o -> assertThat(o.reply().path("name").asText()).isEqualTo("CLIENT")));
        cases.add(global(VIEW_SECURITY, "GET /v1/security/principals/{name}",
                (t, token, f, p) -> rest(token, r -> r.get("/v1/security/principals/" + f.role())),
                o -> assertThat(o.reply().has("pathPermissions")).isTrue()));
        cases.add(global(MODIFY_SECURITY, "PUT /v1/security/roles/{role}", (t, token, f, p) -> rest(token, r -> r.contentType("application/json")
                        .body("{\"globalPermissions\":[\"VIEW_SECURITY\"]}").put("/v1/security/roles/" + f.role())),
                o -> assertThat(o.reply().path("name").asText()).endsWith("-role")));
        cases.add(global(MODIFY_SECURITY, "DELETE /v1/security/roles/{role}",
                (t, token, f, p) -> rest(token, r -> r.delete("/v1/security/roles/" + f.role() + "-stored")),
                o -> assertThat(o.reply().path("removed").asText()).endsWith("-stored")));
        cases.add(global(MODIFY_SECURITY, "PUT /v1/security/principals/{name}", (t, token, f, p) -> rest(token, r -> r.contentType("application/json")
                        .body("{\"pathPermissions\":{\"" + f.root() + "\":[\"SELECT_TOPIC\"]}}").put("/v1/security/principals/" + f.role())),
                o -> assertThat(o.reply().path("pathPermissions").size()).isEqualTo(1)));
        cases.add(global(MODIFY_SECURITY, "DELETE /v1/security/principals/{name}",
                (t, token, f, p) -> rest(token, r -> r.delete("/v1/security/principals/" + f.role() + "-stored")),
                o -> assertThat(o.code()).isEqualTo("OK")));
        sessionCases(cases);
        return cases.stream();
    }

    // ------------------------------------------------------------------ session control (issue 18)

    /**
     * VIEW_SESSION and MODIFY_SESSION, on the WebSocket and over REST: each operation acts on a
     * target session of its own (a CLIENT session with the user property {@code matrix} unique to
     * the run) and checks, refused, that the target is untouched and, allowed, that the operation
     * did what it says (listed, closed with 4101, properties set, subscribed, unsubscribed).
     */
    private static void sessionCases(List<Case> cases) {
        for (Transport transport : List.of(Transport.WEBSOCKET, Transport.REST)) {
            cases.add(session(GlobalPermission.VIEW_SESSION, transport, "listSessions", "GET /v1/sessions",
                    filter -> Map.of("filter", filter), (target, o, tag) -> {
                        if (o.code().equals("OK")) {
                            assertThat(o.reply().path("sessions")).hasSize(1);
                            assertThat(o.reply().path("sessions").get(0).path("properties").path("matrix").asText()).isEqualTo(tag);
                            assertThat(o.reply().path("sessions").get(0).path("properties").path("$Principal").asText()).isEqualTo("matrix-target");
                        } else {
                            assertThat(o.text()).doesNotContain(tag);
                        }
                    }));
            cases.add(session(GlobalPermission.MODIFY_SESSION, transport, "closeSessions", "POST /v1/sessions/close",
                    filter -> Map.of("filter", filter, "reason", "matrix"), (target, o, tag) -> {
                        if (o.code().equals("OK")) {
                            assertThat(o.reply().path("sessions").asInt()).isEqualTo(1);
                            assertThat(target.closed().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()[0]).isEqualTo(4101);
                        } else {
                            assertThat(target.call(op("ping")).path("type").asText()).as("the target is still open").isEqualTo("pong");
                        }
                    }));
            cases.add(session(GlobalPermission.MODIFY_SESSION, transport, "setSessionProperties", "POST /v1/sessions/properties",
                    filter -> Map.of("filter", filter, "properties", Map.of("flag", "set")), (target, o, tag) -> {
                        String flag = listed(tag).path("properties").path("flag").asText("absent");
                        if (o.code().equals("OK")) {
                            assertThat(o.reply().path("sessions").asInt()).isEqualTo(1);
                            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listed(tag).path("properties").path("flag").asText("").equals("set"));
                        } else {
                            assertThat(flag).isEqualTo("absent");
                        }
                    }));
            cases.add(session(GlobalPermission.MODIFY_SESSION, transport, "subscribeSessions", "POST /v1/sessions/subscribe",
                    filter -> Map.of("filter", filter, "selector", ">matrix-sessions/beacon"), (target, o, tag) -> {
                        if (o.code().equals("OK")) {
                            assertThat(o.reply().path("sessions").asInt()).isEqualTo(1);
                            assertThat(target.awaitType("subscription").path("topic").asText()).isEqualTo("matrix-sessions/beacon");
                        } else {
                            target.call(op("ping"));
                            assertThat(target.drain().toString()).doesNotContain("matrix-sessions/beacon");
                        }
                    }));
            cases.add(session(GlobalPermission.MODIFY_SESSION, transport, "unsubscribeSessions", "POST /v1/sessions/unsubscribe",
                    filter -> Map.of("filter", filter, "selector", ">matrix-sessions/beacon"), (target, o, tag) -> {
                        if (o.code().equals("OK")) {
                            assertThat(o.reply().path("sessions").asInt()).isEqualTo(1);
                            assertThat(target.awaitType("unsubscribed").path("topic").asText()).isEqualTo("matrix-sessions/beacon");
                        } else {
                            target.call(op("ping"));
                            assertThat(target.drain().toString()).doesNotContain("unsubscribed");
                        }
                    }));
        }
    }

    /** What a session operation must have done to its target (or not, refused). */
    interface TargetEffect {
        void check(JsonWebSocket target, Outcome outcome, String tag);
    }

    private static Case session(GlobalPermission permission, Transport transport, String op, String rest,
                                java.util.function.Function<String, Map<String, Object>> fields, TargetEffect effect) {
        Operation run = (t, token, f, p) -> {
            String tag = unique(f.root());
            String url = t.base.toString().replaceFirst("^http", "ws") + "v1/ws?properties="
                    + URLEncoder.encode("{\"matrix\":\"" + tag + "\"}", StandardCharsets.UTF_8);
            try (JsonWebSocket target = JsonWebSocket.connect(url, Map.of("Authorization", "Bearer " + SecureProfile.token("matrix-target", "CLIENT")))) {
                ok(as(t, admin()).call(op("set", "topic", "matrix-sessions/beacon", "value", Map.of("b", 1), "spec", "JSON")));
                if (op.equals("unsubscribeSessions")) {
                    ok(target.call(op("subscribe", "selector", ">matrix-sessions/beacon")));
                    target.awaitType("value");
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !listed(tag).isMissingNode());
                String filter = "matrix is '" + tag + "'";
                Outcome outcome;
                if (transport == Transport.WEBSOCKET) {
                    Map<String, Object> request = new LinkedHashMap<>(fields.apply(filter));
                    request.put("op", op);
                    outcome = t.ws(token, request);
                } else if (rest.startsWith("GET")) {
                    outcome = rest(token, r -> r.queryParam("filter", filter).get("/v1/sessions"));
                } else {
                    String body = Json.write(Json.MAPPER.valueToTree(fields.apply(filter)));
                    outcome = rest(token, r -> r.contentType("application/json").body(body).post(rest.substring("POST ".length())));
                }
                effect.check(target, outcome, tag);
                return outcome;
            }
        };
        return new Case(permission, transport, transport == Transport.WEBSOCKET ? op : rest, Set.of(permission), Refusal.DENIED,
                Target.NONE, run, o -> { });
    }

    private static JsonWebSocket as(PermissionMatrixTest t, String token) {
        return t.as(token);
    }

    /** The session with the user property {@code matrix} = tag, as an administrator lists it (missing if none). */
    private static JsonNode listed(String tag) {
        String body = given().header("Authorization", "Bearer " + admin()).queryParam("filter", "matrix is '" + tag + "'")
                .get("/v1/sessions").then().statusCode(200).extract().asString();
        JsonNode sessions = Json.parse(body).path("sessions");
        return sessions.size() == 1 ? sessions.get(0) : Json.MAPPER.missingNode();
    }

    static String viewName(String path) {
        return path.replace('/', '-');
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    private static Case path(PathPermission permission, Transport transport, String operation, Set<PathPermission> needs, Refusal refusal,
                             Target target, Operation run, Consumer<Outcome> allowed) {
        assertThat(needs).contains(permission);
        return new Case(permission, transport, operation, needs, refusal, target, run, allowed);
    }

    private static Case global(GlobalPermission permission, String operation, Operation run, Consumer<Outcome> allowed) {
        return new Case(permission, Transport.REST, operation, Set.of(permission), Refusal.DENIED, Target.NONE, run, allowed);
    }

    // ------------------------------------------------------------------ the test

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void withThePermissionTheOperationRunsWithoutItItIsRefusedAndNothingChanges(Case c) {
        Fixture f = fixture();
        String without = SecureProfile.token(ME, defineRole(f, "without", c, false));
        String with = SecureProfile.token(ME, defineRole(f, "with", c, true));
        String path = c.target().path(f);

        Map<String, String> before = store(f.root());
        Outcome refused = c.run().run(this, without, f, path);
        switch (c.refusal()) {
            case DENIED -> assertThat(refused.code()).as("%s: %s", c, refused.text()).isEqualTo("PERMISSION_DENIED");
            case WITHOUT_VALUE -> {
                assertThat(refused.code()).as("%s: %s", c, refused.text()).isEqualTo("OK");
                assertThat(refused.text()).as(c.toString()).contains(path).doesNotContain("\"value\"");
            }
            case AS_IF_ABSENT -> {
                Outcome ghost = c.run().run(this, without, f, f.ghost());
                assertThat(normalized(refused, path)).as("%s: the topic looks exactly like one that does not exist", c)
                        .isEqualTo(normalized(ghost, f.ghost()));
            }
        }
        assertThat(store(f.root())).as("%s: nothing changed in the store", c).isEqualTo(before);

        Outcome allowed = c.run().run(this, with, f, path);
        assertThat(allowed.code()).as("%s: %s", c, allowed.text()).isEqualTo("OK");
        c.allowed().accept(allowed);
    }

    /**
     * A session holding every path permission but SELECT_TOPIC on a root learns nothing of the
     * topics there through any transport: not from selectors, fetches, listings, views, updates
     * made while it is subscribed, nor topics added meanwhile.
     */
    @Test
    void aTopicsPathNeverReachesASessionWithoutSelectTopic() throws Exception {
        Fixture f = fixture();
        String hidden = f.root() + "/";
        Set<String> allButSelect = EnumSet.complementOf(EnumSet.of(SELECT_TOPIC)).stream().map(Enum::name).collect(Collectors.toSet());
        role(f.root() + "-blind", Json.write(Json.MAPPER.valueToTree(Map.of("pathPermissions",
                Map.of(f.root(), allButSelect, f.beacon(), List.of("SELECT_TOPIC", "READ_TOPIC"))))));
        String token = SecureProfile.token(ME, f.root() + "-blind");
        List<String> received = new ArrayList<>();

        JsonWebSocket session = as(token);
        for (String selector : List.of("?" + f.root() + "//", "*.*", ">" + f.t(), ">" + f.ts(), "#>" + f.t() + "////>" + f.beacon())) {
            received.add(session.call(op("subscribe", "selector", selector)).toString());
            received.add(session.call(op("fetch", "selector", selector)).toString());
            received.add(session.call(op("fetch", "selector", selector, "withValues", false)).toString());
        }
        received.add(session.call(op("subscribe", "selector", ">" + f.ts(), "since", Map.of(f.ts(), 0))).toString());
        try (SseClient stream = SseClient.connect(base + "v1/sse?selector=" + URLEncoder.encode("?" + f.root() + "//", StandardCharsets.UTF_8)
                + "&selector=" + URLEncoder.encode("*.*", StandardCharsets.UTF_8) + "&selector=" + URLEncoder.encode(">" + f.beacon(),
                StandardCharsets.UTF_8), Map.of("Authorization", "Bearer " + token, "Last-Event-ID", f.ts() + "=0"))) {
            // While both are subscribed, the topics change and new ones appear.
            try (JsonWebSocket admin = as(admin())) {
                ok(admin.call(op("set", "topic", f.t(), "value", Map.of("v", 2))));
                ok(admin.call(op("append", "topic", f.ts(), "value", "later")));
                ok(admin.call(op("set", "topic", f.root() + "/added", "value", Map.of("v", 3), "spec", "JSON")));
                ok(admin.call(op("set", "topic", f.beacon(), "value", Map.of("beacon", "last"))));
            }
            stream.await(e -> {
                received.add(e.event() + " " + e.data());
                return e.data().toString().contains("\"last\"");
            }, Duration.ofSeconds(10));
        }
        session.await(m -> m.toString().contains("\"last\""), Duration.ofSeconds(10));
        session.call(op("ping"));
        session.drain().forEach(m -> received.add(m.toString()));
        for (String get : List.of("/v1/topics", "/v1/topics?selector=" + URLEncoder.encode("?" + f.root() + "//", StandardCharsets.UTF_8),
                "/v1/views", "/v1/views/" + f.view())) {
            received.add(rest(token, r -> r.accept("application/json").urlEncodingEnabled(false).get(get)).text());
        }
        assertThat(received).as("everything the session received").isNotEmpty().noneMatch(m -> m.contains(hidden));
        // Removing the view by name (this role holds MODIFY_TOPIC): as for a view that does not
        // exist, so the answer does not tell that the name is taken; and the view stays.
        Outcome delete = rest(token, r -> r.delete("/v1/views/" + f.view()));
        Outcome deleteGhost = rest(token, r -> r.delete("/v1/views/" + f.view() + "-ghost"));
        assertThat(delete.code()).isEqualTo("NOT_FOUND");
        assertThat(delete.text().replace(f.view(), "V")).isEqualTo(deleteGhost.text().replace(f.view() + "-ghost", "V"));
        assertThat(rest(admin(), r -> r.accept("application/json").get("/v1/views/" + f.view())).code()).as("the view is still there").isEqualTo("OK");
        // Asked by name, the topics are exactly as if they did not exist.
        for (String view : List.of("values", "edits")) {
            String real = session.call(op("range", "topic", f.ts(), "fromLast", 5, "view", view)).toString();
            String ghost = session.call(op("range", "topic", f.ghost(), "fromLast", 5, "view", view)).toString();
            assertThat(real.replaceFirst("\"id\":\"r\\d+\"", "")).doesNotContain("\"events\"")
                    .isEqualTo(ghost.replace(f.ghost(), f.ts()).replaceFirst("\"id\":\"r\\d+\"", ""));
        }
        assertThat(rest(token, r -> r.get("/v1/topics/" + f.t())).text()).isEqualTo(rest(token, r -> r.get("/v1/topics/" + f.ghost())).text()
                .replace(f.ghost(), f.t()));
        assertThat(rest(token, r -> r.queryParam("fromLast", 1).get("/v1/timeseries/" + f.ts())).text())
                .isEqualTo(rest(token, r -> r.queryParam("fromLast", 1).get("/v1/timeseries/" + f.ghost())).text().replace(f.ghost(), f.ts()));
    }

    /**
     * EDIT_OWN_TIME_SERIES_EVENTS edits one's own events only: not another's, and not another's
     * through an edit of it that one authored.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"WEBSOCKET", "REST"})
    void editOwnEditsNothingButOnesOwnEvents(Transport transport) {
        Fixture f = fixture();
        // seq 4: an edit of OTHER's event 2, authored by ME (who had the right to edit any event then).
        ok(as(SecureProfile.token(ME, "ADMINISTRATOR")).call(op("edit", "topic", f.ts(), "seq", 2, "value", "theirs, edited by me")));
        role(f.root() + "-own", Json.write(Json.MAPPER.valueToTree(Map.of("pathPermissions",
                Map.of(f.root(), List.of("UPDATE_TOPIC", "EDIT_OWN_TIME_SERIES_EVENTS"))))));
        String token = SecureProfile.token(ME, f.root() + "-own");
        Map<String, String> before = store(f.root());
        for (long seq : new long[] {2, 4}) {
            Outcome refused = (transport == Transport.REST ? restEdit(seq) : wsEdit(seq)).run(this, token, f, f.ts());
            assertThat(refused.code()).as("editing event %d: %s", seq, refused.text()).isEqualTo("PERMISSION_DENIED");
        }
        assertThat(store(f.root())).isEqualTo(before);
        for (long seq : new long[] {1, 3}) {
            Outcome allowed = (transport == Transport.REST ? restEdit(seq) : wsEdit(seq)).run(this, token, f, f.ts());
            assertThat(allowed.code()).as("editing event %d: %s", seq, allowed.text()).isEqualTo("OK");
        }
    }

    /**
     * A view acts with the rights of the session that created it (Diffusion's rule): it maps only
     * the sources its creator may select and read, writes reference topics only where its creator
     * may modify topics, and follows changes of those rights.
     */
    @Test
    void aViewMapsOnlyWhatItsCreatorMayReadToWhereItsCreatorMayModify() {
        String root = unique("viewrights");
        String admin = admin();
        try (JsonWebSocket feeder = as(admin)) {
            for (String source : List.of("open", "secret", "locked")) {
                ok(feeder.call(op("set", "topic", root + "/src/" + source, "value", Map.of("n", source), "spec", "JSON")));
            }
        }
        String creator = root + "-creator";
        String rights = "{\"pathPermissions\":{\"%s/src\":[\"SELECT_TOPIC\"%s],\"%s/src/open\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],"
                + "\"%s/views\":[\"SELECT_TOPIC\",\"READ_TOPIC\",\"MODIFY_TOPIC\"],\"%s/views/locked\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}";
        role(creator, rights.formatted(root, "", root, root, root));
        given().header("Authorization", "Bearer " + SecureProfile.token(ME, creator)).contentType("text/plain")
                .body("map ?" + root + "/src/ to " + root + "/views/<path(2)>").when().put("/v1/views/" + root).then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> exists(root + "/views/open"));
        // A barrier: once the view has handled a later change of a source it maps, it has handled the others.
        try (JsonWebSocket feeder = as(admin)) {
            ok(feeder.call(op("set", "topic", root + "/src/open", "value", Map.of("n", "open, again"))));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + admin)
                .get("/v1/topics/" + root + "/views/open").asString().contains("again"));
        assertThat(exists(root + "/views/secret")).as("the creator may not read the source").isFalse();
        assertThat(exists(root + "/views/locked")).as("the creator may not modify the reference").isFalse();

        // The creator's role gains READ_TOPIC on the sources: the view maps the secret too; and loses it again.
        role(creator, rights.formatted(root, ",\"READ_TOPIC\"", root, root, root));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> exists(root + "/views/secret"));
        role(creator, rights.formatted(root, "", root, root, root));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !exists(root + "/views/secret"));
        assertThat(exists(root + "/views/open")).isTrue();
        assertThat(exists(root + "/views/locked")).isFalse();
    }

    private static boolean exists(String path) {
        return given().header("Authorization", "Bearer " + admin()).get("/v1/topics/" + path).statusCode() == 200;
    }

    /** Every message with the path (the topic's, or the ghost's) replaced, so that the two compare. */
    private static List<String> normalized(Outcome outcome, String path) {
        return outcome.received().stream().map(m -> m.replace(path, "<path>").replace(viewName(path), "<path>")).toList();
    }

    /** A role on the fixture's root: the case's needs, less the tested permission unless {@code with}; the beacon readable. */
    private String defineRole(Fixture f, String kind, Case c, boolean with) {
        String name = f.root() + "-" + kind;
        Set<String> granted = c.needs().stream().filter(p -> with || p != c.permission()).map(Enum::name).collect(Collectors.toSet());
        Map<String, Object> role = new LinkedHashMap<>();
        if (c.permission() instanceof GlobalPermission) {
            role.put("globalPermissions", granted);
        } else {
            role.put("pathPermissions", Map.of(f.root(), granted, f.beacon(), List.of("SELECT_TOPIC", "READ_TOPIC")));
        }
        role(name, Json.write(Json.MAPPER.valueToTree(role)));
        return name;
    }

    private Fixture fixture() {
        Fixture f = new Fixture(unique("matrix"));
        String admin = admin();
        JsonWebSocket root = as(admin);
        ok(root.call(op("set", "topic", f.t(), "value", Map.of("v", 1), "spec", "JSON")));
        ok(root.call(op("set", "topic", f.beacon(), "value", Map.of("beacon", true), "spec", "JSON")));
        ok(root.call(op("add", "topic", f.ts(), "spec", Map.of("type", "TIME_SERIES", "eventType", "STRING",
                "properties", Map.of("TIME_SERIES_SUBSCRIPTION_RANGE", "limit 10")))));
        ok(as(SecureProfile.token(ME, "ADMINISTRATOR")).call(op("append", "topic", f.ts(), "value", "mine")));
        ok(as(SecureProfile.token(OTHER, "ADMINISTRATOR")).call(op("append", "topic", f.ts(), "value", "theirs")));
        ok(root.call(op("edit", "topic", f.ts(), "seq", 1, "value", "mine, edited")));
        given().header("Authorization", "Bearer " + admin).contentType("text/plain").body("map >" + f.t() + " to " + f.root() + "/ref/t")
                .when().put("/v1/views/" + f.view()).then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                given().header("Authorization", "Bearer " + admin).get("/v1/topics/" + f.root() + "/ref/t").statusCode() == 200);
        // Stored security entries for the DELETE cases.
        role(f.role() + "-stored", "{}");
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"pathPermissions\":{\"" + f.root() + "\":[\"SELECT_TOPIC\"]}}")
                .when().put("/v1/security/principals/" + f.role() + "-stored").then().statusCode(200);
        return f;
    }

    private static void ok(JsonNode reply) {
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("ok");
    }

    // ------------------------------------------------------------------ operations

    /** One request on a new WebSocket session holding the token; every message up to a pong after the reply. */
    Outcome ws(String token, Map<String, Object> request) {
        try (JsonWebSocket session = as(token)) {
            JsonNode reply = session.call(request);
            session.call(op("ping"));
            return new Outcome(reply.path("type").asText().equals("error") ? reply.path("code").asText() : "OK", reply,
                    texts(reply, session.drain()));
        }
    }

    private static List<String> texts(JsonNode first, List<JsonNode> rest) {
        List<String> all = new ArrayList<>();
        all.add(first.toString());
        rest.forEach(m -> all.add(m.toString()));
        return all;
    }

    /** Subscribes to the path; waits for its value or first event when a subscription came. */
    static Operation wsSubscribe() {
        return (t, token, f, p) -> {
            try (JsonWebSocket session = t.as(token)) {
                JsonNode reply = session.call(op("subscribe", "selector", ">" + p));
                session.call(op("ping"));
                List<JsonNode> received = new ArrayList<>(session.drain());
                if (received.stream().anyMatch(m -> m.path("type").asText().equals("subscription"))
                        && received.stream().noneMatch(m -> m.path("type").asText().matches("value|event"))) {
                    received.add(session.await(m -> m.path("type").asText().matches("value|event"), Duration.ofSeconds(10)));
                }
                return new Outcome("OK", reply, texts(reply, received));
            }
        };
    }

    static Operation wsRange(String view) {
        return (t, token, f, p) -> t.ws(token, op("range", "topic", p, "fromLast", 10, "view", view));
    }

    static Operation wsEdit(long seq) {
        return (t, token, f, p) -> t.ws(token, op("edit", "topic", p, "seq", seq, "value", "edited by the matrix"));
    }

    static Operation restEdit(long seq) {
        return (t, token, f, p) -> rest(token, r -> r.contentType("application/json").body("\"edited by the matrix\"")
                .put("/v1/timeseries/" + p + "/" + seq));
    }

    /** An SSE stream of the path's selector and then the beacon's, read up to the beacon's value. */
    static Operation sse() {
        return (t, token, f, p) -> {
            String url = t.base + "v1/sse?selector=" + URLEncoder.encode(">" + p, StandardCharsets.UTF_8)
                    + "&selector=" + URLEncoder.encode(">" + f.beacon(), StandardCharsets.UTF_8);
            List<String> received = new ArrayList<>();
            try (SseClient stream = SseClient.connect(url, Map.of("Authorization", "Bearer " + token))) {
                assertThat(stream.status()).isEqualTo(200);
                // The selectors are subscribed in order: once the beacon's value is here, everything the
                // first selector gave at subscription time is here too.
                stream.await(e -> {
                    received.add(e.event() + " " + e.data());
                    return e.event().equals("value") && e.data().toString().contains("beacon");
                }, Duration.ofSeconds(10));
                if (received.stream().anyMatch(m -> m.startsWith("subscription ") && m.contains(p))) {
                    stream.await(e -> {
                        received.add(e.event() + " " + e.data());
                        return e.event().matches("value|event") && !e.data().toString().contains("beacon");
                    }, Duration.ofSeconds(10));
                }
            }
            return new Outcome("OK", null, received);
        };
    }

    /** A REST request with the token: code {@code OK} for a 2xx answer, else the body's code. */
    static Outcome rest(String token, java.util.function.Function<RequestSpecification, Response> request) {
        Response response = request.apply(given().header("Authorization", "Bearer " + token));
        String body = response.asString();
        JsonNode json = body.isEmpty() || !(body.startsWith("{") || body.startsWith("[")) ? Json.MAPPER.nullNode() : Json.parse(body);
        String code = response.statusCode() / 100 == 2 ? "OK" : json.path("code").asText("HTTP " + response.statusCode());
        if (code.equals("PERMISSION_DENIED")) {
            assertThat(response.statusCode()).isEqualTo(403);
        }
        return new Outcome(code, json, List.of(response.statusCode() + " " + body));
    }

    /** The echo handler's response: the request it got. */
    static Consumer<Outcome> echoed() {
        return o -> assertThat(o.reply().path("response").path("echo").path("q").asInt()).as(o.text()).isEqualTo(1);
    }

    /**
     * Runs an operation while an administrator's session answers every request on the path with
     * {@code {"echo": <request>}}: as a handler of the path, or ({@code stream}) as a session with a
     * request stream there, whose id the operation gets. The handler's registration is gone from
     * Redis before this returns, so that the case's store compares.
     */
    Outcome withEchoHandler(String path, boolean stream, java.util.function.Function<String, Outcome> run) {
        JsonWebSocket handler = as(admin());
        JsonNode registered = handler.call(op(stream ? "addRequestStream" : "addRequestHandler", "path", path));
        ok(registered);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread echo = new Thread(() -> {
            while (!done.get()) {
                try {
                    JsonNode request = handler.await(m -> m.path("type").asText().equals("request"), Duration.ofMillis(200));
                    handler.request(op("respond", "rid", request.path("rid").asText(), "response", Map.of("echo", request.path("request"))));
                } catch (AssertionError | RuntimeException quiet) {
                    // no request yet (or the socket closed): look again until the operation is over
                }
            }
        }, "matrix-echo");
        echo.setDaemon(true);
        echo.start();
        try {
            return run.apply(registered.path("sessionId").asText(null));
        } finally {
            done.set(true);
            handler.close();
            awaitNoHandler(path);
        }
    }

    /** Runs the operation, then waits until no handler of the path is left in Redis (a session that registered one closes with it). */
    Outcome wsThenForgetHandler(String path, java.util.function.Supplier<Outcome> run) {
        try {
            return run.get();
        } finally {
            awaitNoHandler(path);
        }
    }

    private void awaitNoHandler(String path) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> redis.key().keys("*msg:handlers:{" + path + "}*").isEmpty());
    }

    static Consumer<Outcome> seq(long expected) {
        return o -> assertThat(o.reply().path("seq").asLong()).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ the store

    /**
     * What Redis holds about the case: every key whose name contains the root (topics, their
     * streams, view leases) with its contents, and every field of a shared hash (roles, principals,
     * views) whose name contains it.
     */
    private Map<String, String> store(String root) {
        Map<String, String> state = new TreeMap<>();
        for (String shared : List.of("pushgate:security:roles", "pushgate:security:principals", "pushgate:views")) {
            redis.hash(String.class).hgetall(shared).forEach((field, value) -> {
                if (field.contains(root)) {
                    state.put(shared + " " + field, value);
                }
            });
        }
        for (String key : redis.key().keys("*" + root + "*")) {
            String type = redis.key().type(key).name();
            switch (type) {
                case "HASH" -> state.put(key, new TreeMap<>(redis.hash(String.class).hgetall(key)).toString());
                case "STREAM" -> state.put(key, redis.execute("XRANGE", key, "-", "+").toString());
                case "STRING" -> state.put(key, redis.value(String.class).get(key));
                default -> state.put(key, type);
            }
        }
        assertThat(state).as("the fixture is in the store").isNotEmpty();
        return state;
    }
}
