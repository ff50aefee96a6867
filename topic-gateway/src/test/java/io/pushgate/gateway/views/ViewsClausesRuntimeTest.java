package io.pushgate.gateway.views;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The clauses that depend on a sequence of updates, in the gateway against a real Redis:
 * Diffusion's preserve topics example, a patch that fails on an update, a live join with deltas
 * on its reference topic, properties on reference topics, an expanded child updated by delta.
 */
@QuarkusTest
class ViewsClausesRuntimeTest extends GatewayTestBase {

    private void putView(String name, String text) {
        given().contentType("text/plain").body(text).when().put("/v1/views/" + name).then().statusCode(201);
    }

    private void set(String topic, String json) {
        given().contentType("application/json").body(json).queryParam("type", "JSON").when().put("/v1/topics/" + topic).then().statusCode(200);
    }

    private Map<String, String> topics(String selector) {
        String body = given().accept("application/json").queryParam("selector", selector).when().get("/v1/topics").then().statusCode(200)
                .extract().asString();
        Map<String, String> out = new TreeMap<>();
        for (JsonNode r : Json.parse(body).path("results")) {
            out.put(r.path("topic").asText(), Json.write(r.path("value")));
        }
        return out;
    }

    private void awaitTopics(String selector, Map<String, String> expected) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(topics(selector)).isEqualTo(expected));
    }

    @Test
    void theOfficialPreserveTopicsExample() {
        // TopicViewsDslOptionsPreserveTopicsExample: three names in turn; the preserved view keeps all three
        String root = unique("my");
        String views = root + "-views";
        putView(unique("v1"), "map " + root + "/topic/path to " + views + "/preserved/<scalar(/name)> preserve topics");
        putView(unique("v2"), "map " + root + "/topic/path to " + views + "/not_preserved/<scalar(/name)>");
        set(root + "/topic/path", "{\"name\":\"Fred\"}");
        awaitTopics("?" + views + "//", Map.of(views + "/preserved/Fred", "{\"name\":\"Fred\"}", views + "/not_preserved/Fred", "{\"name\":\"Fred\"}"));
        set(root + "/topic/path", "{\"name\":\"Wilma\"}");
        set(root + "/topic/path", "{\"name\":\"Pebbles\"}");
        awaitTopics("?" + views + "//", Map.of(views + "/preserved/Fred", "{\"name\":\"Fred\"}", views + "/preserved/Wilma", "{\"name\":\"Wilma\"}",
                views + "/preserved/Pebbles", "{\"name\":\"Pebbles\"}", views + "/not_preserved/Pebbles", "{\"name\":\"Pebbles\"}"));
        // not after the source goes
        given().when().delete("/v1/topics/" + root + "/topic/path").then().statusCode(200);
        awaitTopics("?" + views + "//", Map.of());
    }

    @Test
    void aPatchThatFailsOnAnUpdateRemovesTheReference() {
        String root = unique("patched");
        putView(unique("p"), "map ?" + root + "/ to " + root + "-out/<path(1)> patch '[{\"op\":\"test\",\"path\":\"/ok\",\"value\":true},"
                + "{\"op\":\"add\",\"path\":\"/seen\",\"value\":1}]'");
        set(root + "/a", "{\"ok\":true}");
        awaitTopics("?" + root + "-out//", Map.of(root + "-out/a", "{\"ok\":true,\"seen\":1}"));
        set(root + "/a", "{\"ok\":false}");
        awaitTopics("?" + root + "-out//", Map.of());
        set(root + "/a", "{\"ok\":true,\"n\":2}");
        awaitTopics("?" + root + "-out//", Map.of(root + "-out/a", "{\"ok\":true,\"n\":2,\"seen\":1}"));
    }

    @Test
    void aLiveJoinFollowsItsInsertedTopicAndSendsDeltas() {
        String root = unique("orders");
        String rates = root + "-rates";
        String out = root + "-joined";
        set(rates + "/USD", "{\"rate\":1.0,\"source\":\"a long description that makes a delta smaller than the whole value\"}");
        set(root + "/o1", "{\"ccy\":\"USD\",\"qty\":3,\"note\":\"another long text so that the value is much bigger than a delta of it\"}");
        putView(unique("join"), "map ?" + root + "/ to " + out + "/<path(1)> insert " + rates + "/<scalar(/ccy)> at /fx live inserts");
        JsonWebSocket ws = connect();
        ws.call(op("subscribe", "selector", out + "/o1"));
        JsonNode first = ws.awaitType("value");
        assertThat(first.path("value").path("fx").path("rate").decimalValue().doubleValue()).isEqualTo(1.0);

        // the inserted topic changes, the source does not: the reference follows (the extension), by a delta
        set(rates + "/USD", "{\"rate\":1.5,\"source\":\"a long description that makes a delta smaller than the whole value\"}");
        JsonNode delta = ws.awaitType("delta");
        assertThat(delta.path("patch").toString()).contains("1.5");
        awaitTopics(out + "/o1", Map.of(out + "/o1", "{\"ccy\":\"USD\",\"qty\":3,\"note\":\"another long text so that the value is much bigger"
                + " than a delta of it\",\"fx\":{\"rate\":1.5,\"source\":\"a long description that makes a delta smaller than the whole value\"}}"));
    }

    @Test
    void withoutLiveInsertsTheInsertedTopicIsReadWhenTheSourceIsEvaluated() {
        String root = unique("orders");
        String rates = root + "-rates";
        String out = root + "-joined";
        set(rates + "/USD", "1");
        set(root + "/o1", "{\"ccy\":\"USD\"}");
        putView(unique("join"), "map ?" + root + "/ to " + out + "/<path(1)> insert " + rates + "/<scalar(/ccy)> at /fx");
        awaitTopics("?" + out + "//", Map.of(out + "/o1", "{\"ccy\":\"USD\",\"fx\":1}"));
        set(rates + "/USD", "2");
        set(root + "/other", "{}"); // an unrelated change, to let the rate's update pass through the engine
        Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(topics("?" + out + "//")).containsEntry(out + "/o1", "{\"ccy\":\"USD\",\"fx\":1}"));
        set(root + "/o1", "{\"ccy\":\"USD\",\"q\":1}");
        awaitTopics("?" + out + "/o1", Map.of(out + "/o1", "{\"ccy\":\"USD\",\"q\":1,\"fx\":2}"));
    }

    @Test
    void expandedChildrenAreUpdatedByDeltasAndCarryTheViewsProperties() {
        String root = unique("fx");
        String out = root + "-ccy";
        putView(unique("ccy"), "map ?" + root + "/ to " + out + "/<expand(/rates, /code)> with properties CONFLATION:off");
        String big = "\"description\":\"a description long enough that a delta is smaller than the value itself\"";
        set(root + "/all", "{\"rates\":[{\"code\":\"USD\",\"v\":1," + big + "},{\"code\":\"EUR\",\"v\":2," + big + "}]}");
        JsonWebSocket ws = connect();
        ws.call(op("subscribe", "selector", out + "/EUR"));
        JsonNode subscription = ws.awaitType("subscription");
        assertThat(subscription.path("spec").path("properties").path("CONFLATION").asText()).isEqualTo("off");
        ws.awaitType("value");
        set(root + "/all", "{\"rates\":[{\"code\":\"USD\",\"v\":1," + big + "},{\"code\":\"EUR\",\"v\":3," + big + "}]}");
        JsonNode delta = ws.awaitType("delta");
        assertThat(delta.path("patch").toString()).contains("/v");
        // a child that vanishes is removed
        set(root + "/all", "{\"rates\":[{\"code\":\"USD\",\"v\":1," + big + "}]}");
        assertThat(ws.awaitType("unsubscribed").path("reason").asText()).isEqualTo("REMOVED");
        awaitTopics("?" + out + "//", Map.of(out + "/USD", "{\"code\":\"USD\",\"v\":1," + big + "}"));
    }

    @Test
    void aViewWithAnUnsettablePropertyIsRefusedWithItsPosition() {
        given().contentType("text/plain").body("map ?a/ to b/<path(1)> with properties REMOVAL:'when no session'")
                .when().put("/v1/views/" + unique("bad")).then().statusCode(400)
                .body("message", org.hamcrest.Matchers.equalTo("line 1, column 40: the property REMOVAL cannot be set on a reference topic"));
    }
}
