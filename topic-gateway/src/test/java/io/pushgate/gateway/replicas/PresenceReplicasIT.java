package io.pushgate.gateway.replicas;

import static io.pushgate.testsupport.JsonWebSocket.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import io.pushgate.testsupport.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence topics across two gateway processes on one real Redis: {@code $presence/<path>} counts
 * the sessions of both replicas (principals named, anonymous ones counted) through subscribes,
 * unsubscribes, disconnects and a selector that starts matching a topic added later; a SIGKILLed
 * replica's sessions leave within the configured time; reading presence needs read on the source
 * topic, and nobody may write it. Tokens from a real local OIDC issuer; anonymous sessions are CLIENT.
 */
class PresenceReplicasIT extends TwoReplicas {

    /** The replicas' gateway.presence.replica-ttl: a dead replica's sessions go within about 4/3 of it. */
    static final Duration REPLICA_TTL = Duration.ofSeconds(3);
    static final Duration COALESCE = Duration.ofMillis(100);

    static TestIssuer issuer;
    static PublicJsonWebKey key;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * These replicas trust a token issuer and keep presence with short times. JUnit runs
     * TwoReplicas' own start first even when a static method of the same name here hides it (it
     * once did: that pair was never stopped, two gateway processes left running after every
     * build), so the default pair is stopped before this one starts.
     */
    @BeforeAll
    static void startPresenceReplicas() {
        stopReplicas();
        try {
            issuer = new TestIssuer("/realms/presence");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        key = issuer.addRsaKey("k1");
        redis = new RedisServer().start();
        a = gateway("gateway-a", settings()).start();
        b = gateway("gateway-b", settings()).start();
    }

    static Map<String, String> settings() {
        return Map.of("gateway.security.issuers", issuer.issuer(), "gateway.security.anonymous-roles", "CLIENT",
                "gateway.presence.replica-ttl", REPLICA_TTL.toMillis() + "ms", "gateway.presence.coalesce", COALESCE.toMillis() + "ms");
    }

    @AfterAll
    static void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    static String token(String principal, String... roles) {
        return issuer.token(key, principal, roles);
    }

    static JsonWebSocket as(ServiceProcess replica, String principal, String... roles) {
        return JsonWebSocket.connect(replica.wsUrl() + "/v1/ws" + (principal == null ? "" : "?access_token=" + token(principal, roles)));
    }

    static JsonNode ok(JsonNode reply) {
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("ok");
        return reply;
    }

    static void addPresenceTopic(JsonWebSocket admin, String path) {
        ok(admin.call(op("add", "topic", path, "spec", Map.of("type", "JSON", "properties", Map.of("PRESENCE", true)))));
    }

    /** Waits until the presence value the watcher holds (whole values and JSON Patches applied) is {@code expected}. */
    static JsonNode awaitPresence(PresenceWatcher watcher, String expected, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode want = io.pushgate.protocol.Json.parse(expected);
        while (!want.equals(watcher.value)) {
            long left = deadline - System.nanoTime();
            assertThat(left).as("presence still " + watcher.value + ", expected " + expected).isPositive();
            watcher.next(Duration.ofNanos(left));
        }
        return watcher.value;
    }

    /** One session's view of one presence topic: applies every value and delta it receives. */
    static final class PresenceWatcher {
        final JsonWebSocket ws;
        final String topic;
        long tid = -1;
        long seq;
        JsonNode value;

        PresenceWatcher(JsonWebSocket ws, String topic) {
            this.ws = ws;
            this.topic = topic;
            ok(ws.call(op("subscribe", "selector", ">" + topic)));
            JsonNode sub = ws.await(m -> m.path("type").asText().equals("subscription") && m.path("topic").asText().equals(topic),
                    Duration.ofSeconds(10));
            tid = sub.path("tid").asLong();
        }

        void next(Duration timeout) {
            JsonNode m;
            try {
                m = ws.await(n -> n.path("tid").asLong(-2) == tid
                        && (n.path("type").asText().equals("value") || n.path("type").asText().equals("delta")), timeout);
            } catch (AssertionError | RuntimeException e) {
                return; // the caller's deadline decides
            }
            if (m.path("type").asText().equals("value")) {
                value = m.get("value");
            } else {
                assertThat(m.path("seq").asLong()).isEqualTo(seq + 1);
                value = io.pushgate.protocol.delta.JsonPatchDelta.apply(m.get("patch"), value);
            }
            seq = m.path("seq").asLong();
        }
    }

    @Test
    void presenceCountsTheSessionsOfBothReplicasAsTheySubscribeUnsubscribeAndLeave() {
        try (JsonWebSocket admin = as(a, "admin", "ADMINISTRATOR");
             JsonWebSocket watcherA = as(a, "watcher-a", "CLIENT");
             JsonWebSocket watcherB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket alice = as(a, "alice", "CLIENT");
             JsonWebSocket alice2 = as(b, "alice", "CLIENT");
             JsonWebSocket bob = as(b, "bob", "CLIENT");
             JsonWebSocket anonymous = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            addPresenceTopic(admin, "room/one");
            PresenceWatcher onA = new PresenceWatcher(watcherA, "$presence/room/one");
            PresenceWatcher onB = new PresenceWatcher(watcherB, "$presence/room/one");
            awaitPresence(onA, "{\"count\":0,\"principals\":{}}", Duration.ofSeconds(10));

            ok(alice.call(op("subscribe", "selector", ">room/one")));
            ok(alice2.call(op("subscribe", "selector", "?room//")));
            ok(bob.call(op("subscribe", "selector", ">room/one")));
            ok(anonymous.call(op("subscribe", "selector", ">room/one")));
            String four = "{\"count\":4,\"principals\":{\"alice\":2,\"bob\":1}}";
            awaitPresence(onA, four, Duration.ofSeconds(10));
            awaitPresence(onB, four, Duration.ofSeconds(10));
            // An ordinary topic for fetch and REST too.
            JsonNode fetched = watcherB.call(op("fetch", "selector", ">$presence/room/one")).path("results");
            assertThat(fetched).hasSize(1);
            assertThat(fetched.get(0).path("value")).isEqualTo(io.pushgate.protocol.Json.parse(four));
            assertThat(get(a, "/v1/topics/$presence/room/one").body()).contains("\"count\":4");

            ok(bob.call(op("unsubscribe", "selector", ">room/one")));
            awaitPresence(onB, "{\"count\":3,\"principals\":{\"alice\":2}}", Duration.ofSeconds(10));
            anonymous.close();
            awaitPresence(onA, "{\"count\":2,\"principals\":{\"alice\":2}}", Duration.ofSeconds(10));
            alice2.close();
            awaitPresence(onA, "{\"count\":1,\"principals\":{\"alice\":1}}", Duration.ofSeconds(10));
            awaitPresence(onB, "{\"count\":1,\"principals\":{\"alice\":1}}", Duration.ofSeconds(10));
            // Selectors of every topic do not pick presence topics up: the watcher of B, on ?.*// too, has one subscription.
            assertThat(watcherB.call(op("fetch", "selector", "?.*//")).path("results").toString()).doesNotContain("$presence");
        }
    }

    @Test
    void aSelectorThatStartsMatchingATopicAddedLaterCountsInItsPresence() {
        try (JsonWebSocket admin = as(a, "admin", "ADMINISTRATOR");
             JsonWebSocket carol = as(b, "carol", "CLIENT");
             JsonWebSocket watcher = as(a, "watcher", "CLIENT")) {
            ok(carol.call(op("subscribe", "selector", "?later//")));
            addPresenceTopic(admin, "later/room");
            PresenceWatcher presence = new PresenceWatcher(watcher, "$presence/later/room");
            awaitPresence(presence, "{\"count\":1,\"principals\":{\"carol\":1}}", Duration.ofSeconds(10));
            // Removing the topic removes its presence topic.
            ok(admin.call(op("remove", "selector", ">later/room")));
            watcher.await(m -> m.path("type").asText().equals("unsubscribed") && m.path("topic").asText().equals("$presence/later/room"),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void aBurstOfSubscribesIsCoalescedIntoFewWrites() {
        List<JsonWebSocket> storm = new ArrayList<>();
        try (JsonWebSocket admin = as(a, "admin", "ADMINISTRATOR");
             JsonWebSocket watcher = as(b, "watcher", "CLIENT")) {
            addPresenceTopic(admin, "room/storm");
            PresenceWatcher presence = new PresenceWatcher(watcher, "$presence/room/storm");
            awaitPresence(presence, "{\"count\":0,\"principals\":{}}", Duration.ofSeconds(10));
            long before = presence.seq;
            for (int i = 0; i < 60; i++) {
                storm.add(JsonWebSocket.connect((i % 2 == 0 ? a : b).wsUrl() + "/v1/ws"));
            }
            // A reconnect storm: every session subscribes at once.
            long started = System.nanoTime();
            storm.forEach(ws -> ws.request(op("subscribe", "selector", ">room/storm")));
            awaitPresence(presence, "{\"count\":60,\"principals\":{}}", Duration.ofSeconds(15));
            long writes = presence.seq - before;
            System.out.printf("presence: 60 subscribes at once over two replicas, %d writes of the presence topic, all counted after %d ms%n",
                    writes, (System.nanoTime() - started) / 1_000_000);
            // One publish per replica per interval and one write per interval: a handful, not 60.
            assertThat(writes).isBetween(1L, 8L);
        } finally {
            storm.forEach(JsonWebSocket::close);
        }
    }

    @Test
    void theSessionsOfAKilledReplicaLeaveWithinTheConfiguredTime() {
        ServiceProcess c = gateway("gateway-c", settings()).start();
        try (JsonWebSocket admin = as(a, "admin", "ADMINISTRATOR");
             JsonWebSocket watcher = as(a, "watcher", "CLIENT");
             JsonWebSocket erin = as(a, "erin", "CLIENT")) {
            addPresenceTopic(admin, "room/kill");
            PresenceWatcher presence = new PresenceWatcher(watcher, "$presence/room/kill");
            ok(erin.call(op("subscribe", "selector", ">room/kill")));
            JsonWebSocket dave = as(c, "dave", "CLIENT");
            JsonWebSocket anonymous = JsonWebSocket.connect(c.wsUrl() + "/v1/ws");
            ok(dave.call(op("subscribe", "selector", ">room/kill")));
            ok(anonymous.call(op("subscribe", "selector", ">room/kill")));
            awaitPresence(presence, "{\"count\":3,\"principals\":{\"dave\":1,\"erin\":1}}", Duration.ofSeconds(10));

            long killed = System.nanoTime();
            c.kill();
            // Bound: the TTL, a third of it until a heartbeat of the writer notices, one interval, and slack for a loaded machine.
            Duration bound = REPLICA_TTL.plus(REPLICA_TTL.dividedBy(3)).plus(COALESCE).plus(Duration.ofSeconds(3));
            awaitPresence(presence, "{\"count\":1,\"principals\":{\"erin\":1}}", bound);
            long ms = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf("presence: the sessions of a SIGKILLed replica left after %d ms (replica-ttl %d ms)%n", ms, REPLICA_TTL.toMillis());
            assertThat(ms).isGreaterThan(REPLICA_TTL.toMillis() / 2); // removed by the TTL, not by a goodbye
            dave.close();
            anonymous.close();
        } finally {
            c.kill();
        }
    }

    @Test
    void readingPresenceNeedsReadOnTheSourceAndNobodyWritesIt() throws Exception {
        try (JsonWebSocket admin = as(a, "admin", "ADMINISTRATOR")) {
            // Readers see everything but secret/; their grant on $presence itself does not count.
            assertThat(put(a, "/v1/security/roles/READER", "{\"defaultPathPermissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],"
                    + "\"pathPermissions\":{\"secret\":[],\"$presence\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}", token("admin", "ADMINISTRATOR"))
                    .statusCode()).isBetween(200, 204);
            addPresenceTopic(admin, "secret/room");
            addPresenceTopic(admin, "open/room");
            ok(admin.call(op("subscribe", "selector", ">secret/room")));
            try (JsonWebSocket reader = as(b, "rita", "READER")) {
                awaitFetch(reader, ">$presence/open/room", 1);
                assertThat(reader.call(op("fetch", "selector", ">$presence/secret/room")).path("results")).isEmpty();
                ok(reader.call(op("subscribe", "selector", ">$presence/secret/room")));
                ok(reader.call(op("subscribe", "selector", ">$presence/open/room")));
                JsonNode sub = reader.awaitType("subscription");
                assertThat(sub.path("topic").asText()).isEqualTo("$presence/open/room");
                assertThat(get(b, "/v1/topics/$presence/secret/room", token("rita", "READER")).statusCode()).isEqualTo(404);
                assertThat(get(b, "/v1/topics/$presence/open/room", token("rita", "READER")).statusCode()).isEqualTo(200);
            }
            // Nobody writes it, not even an administrator; and nobody adds $ topics.
            awaitFetch(admin, ">$presence/secret/room", 1);
            JsonNode set = admin.call(op("set", "topic", "$presence/secret/room", "value", Map.of("count", 99)));
            assertThat(set.path("code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(set.path("message").asText()).contains("presence topic of secret/room", "nobody may update");
            assertThat(admin.call(op("add", "topic", "$presence/other", "spec", "JSON")).path("code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(admin.call(op("add", "topic", "$mine/x", "spec", "JSON")).path("code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(admin.call(op("remove", "selector", ">$presence/secret/room")).path("code").asText()).isEqualTo("PERMISSION_DENIED");
            HttpResponse<String> rest = put(a, "/v1/topics/$presence/secret/room", "{\"count\":99}", token("admin", "ADMINISTRATOR"));
            assertThat(rest.statusCode()).isEqualTo(403);
            assertThat(rest.body()).contains("PERMISSION_DENIED");
            assertThat(delete(a, "/v1/topics/$presence/secret/room", token("admin", "ADMINISTRATOR")).statusCode()).isEqualTo(403);
            JsonNode still = admin.call(op("fetch", "selector", ">$presence/secret/room")).path("results").get(0);
            assertThat(still.path("value").path("count").asInt()).isEqualTo(1);
        }
    }

    static void awaitFetch(JsonWebSocket ws, String selector, int results) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ws.call(op("fetch", "selector", selector)).path("results").size() != results) {
            assertThat(System.nanoTime()).as("fetch " + selector).isLessThan(deadline);
            try {
                Thread.sleep(50); // polling another process over the wire
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static HttpResponse<String> get(ServiceProcess replica, String path) {
        return get(replica, path, null);
    }

    static HttpResponse<String> get(ServiceProcess replica, String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(replica.httpUrl() + path)).GET(), token);
    }

    static HttpResponse<String> put(ServiceProcess replica, String path, String body, String token) {
        return send(HttpRequest.newBuilder(URI.create(replica.httpUrl() + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    static HttpResponse<String> delete(ServiceProcess replica, String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(replica.httpUrl() + path)).DELETE(), token);
    }

    static HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
