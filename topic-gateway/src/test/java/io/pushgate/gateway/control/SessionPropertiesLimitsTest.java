package io.pushgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bounds of session properties and filters, set low: a connection that asks for more user
 * properties than the limit, or a longer value, is refused before the upgrade (WebSocket and SSE);
 * a controller's change past them is TOO_LARGE; fixed properties cannot be set; filters nest only
 * so deep.
 */
@QuarkusTest
@TestProfile(SessionPropertiesLimitsTest.Small.class)
class SessionPropertiesLimitsTest extends GatewayTestBase {

    public static class Small implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.sessions.max-user-properties", "3",
                    "gateway.sessions.max-property-value-bytes", "8",
                    "gateway.sessions.max-filter-depth", "3");
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String query(String json) {
        return "properties=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    /**
     * The HTTP answer to opening a session with these properties: the properties are checked first,
     * before anything else of the request (so a plain GET shows the refusal a WebSocket upgrade gets).
     */
    private HttpResponse<String> upgrade(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path + (path.contains("?") ? "&" : "?") + query(json))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void connectTimePropertiesWithinTheBoundsAreTakenAndThoseBeyondAreRefusedBeforeTheUpgrade() throws Exception {
        String tag = unique("lim");
        try (JsonWebSocket ok = connect(query("{\"a\":\"" + tag.substring(0, 8) + "\",\"b\":\"2\",\"c\":\"12345678\"}"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ok.call(op("listSessions", "filter", "c is '12345678' and b is '2'"))
                    .path("sessions").size() >= 1);
        }
        for (String path : new String[] {"v1/ws", "v1/sse?selector=a"}) {
            HttpResponse<String> tooMany = upgrade(path, "{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\"}");
            assertThat(tooMany.statusCode()).as(path).isEqualTo(413);
            assertThat(Json.parse(tooMany.body()).path("message").asText()).isEqualTo("at most 3 user properties per session");
            HttpResponse<String> tooLong = upgrade(path, "{\"a\":\"123456789\"}");
            assertThat(tooLong.statusCode()).as(path).isEqualTo(413);
            assertThat(Json.parse(tooLong.body()).path("message").asText()).isEqualTo("the value of property 'a' is longer than 8 bytes");
            HttpResponse<String> fixed = upgrade(path, "{\"$Principal\":\"root\"}");
            assertThat(fixed.statusCode()).as(path).isEqualTo(400);
            assertThat(Json.parse(fixed.body()).path("message").asText()).isEqualTo("'$Principal' is a fixed property: only the gateway sets it");
            assertThat(upgrade(path, "{\"a\":1}").statusCode()).as(path).isEqualTo(400);
            assertThat(upgrade(path, "[\"a\"]").statusCode()).as(path).isEqualTo(400);
            assertThat(upgrade(path, "{not json").statusCode()).as(path).isEqualTo(400);
            assertThat(upgrade(path, "{\"9a\":\"x\"}").statusCode()).as(path).isEqualTo(400);
        }
    }

    @Test
    void aControllersChangePastTheBoundsIsRefusedAndOneThatFitsIsApplied() {
        String tag = unique("t").substring(0, 8);
        try (JsonWebSocket target = connect(query("{\"tag\":\"" + tag + "\",\"x\":\"1\"}"));
             JsonWebSocket controller = connect(null)) {
            String filter = "tag is '" + tag + "'";
            await().atMost(Duration.ofSeconds(10)).until(() -> controller.call(op("listSessions", "filter", filter)).path("sessions").size() == 1);
            JsonNode tooLong = controller.call(op("setSessionProperties", "filter", filter, "properties", Map.of("y", "123456789")));
            assertThat(tooLong.path("code").asText()).isEqualTo("TOO_LARGE");
            JsonNode tooMany = controller.call(op("setSessionProperties", "filter", filter, "properties",
                    Map.of("p", "1", "q", "2", "r", "3", "s", "4")));
            assertThat(tooMany.path("code").asText()).isEqualTo("TOO_LARGE");
            JsonNode fixed = controller.call(op("setSessionProperties", "filter", filter, "properties", Map.of("$Roles", "ADMINISTRATOR")));
            assertThat(fixed.path("code").asText()).isEqualTo("INVALID");
            // one more fits (3 in all); a fourth would not, and leaves the session as it was (not counted)
            assertThat(controller.call(op("setSessionProperties", "filter", filter, "properties", Map.of("y", "2"))).path("sessions").asInt()).isEqualTo(1);
            assertThat(controller.call(op("setSessionProperties", "filter", filter, "properties", Map.of("z", "3"))).path("sessions").asInt()).isZero();
            // null removes one
            assertThat(controller.call(op("setSessionProperties", "filter", filter, "properties", java.util.Collections.singletonMap("x", null)))
                    .path("sessions").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode props = controller.call(op("listSessions", "filter", filter)).path("sessions").path(0).path("properties");
                return props.path("y").asText().equals("2") && !props.has("x") && !props.has("z");
            });
        }
    }

    @Test
    void filtersNestOnlySoDeep() {
        try (JsonWebSocket controller = connect(null)) {
            assertThat(controller.call(op("listSessions", "filter", "((( all )))")).path("type").asText()).isEqualTo("sessions");
            JsonNode deep = controller.call(op("listSessions", "filter", "(((( all ))))"));
            assertThat(deep.path("code").asText()).isEqualTo("INVALID");
            assertThat(deep.path("message").asText()).isEqualTo("session filter: line 1, column 4: nested more than 3 deep");
            JsonNode both = controller.call(op("closeSessions", "filter", "all", "sessionId", "x-1"));
            assertThat(both.path("code").asText()).isEqualTo("INVALID");
            JsonNode neither = controller.call(op("subscribeSessions", "selector", "?a//"));
            assertThat(neither.path("code").asText()).isEqualTo("INVALID");
            JsonNode badSelector = controller.call(op("subscribeSessions", "filter", "all", "selector", "?a/[unclosed"));
            assertThat(badSelector.path("code").asText()).isEqualTo("INVALID");
        }
    }
}
