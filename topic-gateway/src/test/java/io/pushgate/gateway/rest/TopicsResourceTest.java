package io.pushgate.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.pushgate.gateway.transport.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The REST endpoints for topics, with their errors, against a real Redis. */
@QuarkusTest
class TopicsResourceTest extends GatewayTestBase {

    @Test
    void putWithTypeAddsAndSetsThenGetAndFetchReadIt() {
        String path = unique("rest") + "/doc";
        given().contentType("application/json").body("{\"price\":1.5}")
                .when().put("/v1/topics/" + path + "?type=JSON")
                .then().statusCode(200).body("seq", equalTo(1));
        given().contentType("application/json").body("{\"price\":2.5}")
                .when().put("/v1/topics/" + path)
                .then().statusCode(200).body("seq", equalTo(2));
        given().when().get("/v1/topics/" + path)
                .then().statusCode(200)
                .body("topic", equalTo(path))
                .body("seq", equalTo(2))
                .body("spec.type", equalTo("JSON"))
                .body("value.price", equalTo(2.5f));
        given().queryParam("selector", "?" + path.substring(0, path.indexOf('/')) + "//")
                .when().get("/v1/topics")
                .then().statusCode(200).body("results", hasSize(1));
    }

    @Test
    void plainTextBodiesSetStringTopicsAndBytesSetBinaryTopics() {
        String path = unique("rest-string");
        given().contentType("text/plain").body("hello world").when().put("/v1/topics/" + path + "?type=STRING")
                .then().statusCode(200);
        given().when().get("/v1/topics/" + path).then().body("value", equalTo("hello world"));
        String bin = unique("rest-binary");
        given().contentType("application/octet-stream").body(new byte[] {1, 2, 3}).when().put("/v1/topics/" + bin + "?type=BINARY")
                .then().statusCode(200);
        given().when().get("/v1/topics/" + bin).then().body("value", equalTo("AQID"));
    }

    @Test
    void errorsAreJsonWithTheMatchingStatus() {
        given().when().get("/v1/topics/" + unique("absent"))
                .then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        given().contentType("application/json").body("1").when().put("/v1/topics/" + unique("absent"))
                .then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        String path = unique("rest-int");
        given().contentType("application/json").body("1").when().put("/v1/topics/" + path + "?type=INT64").then().statusCode(200);
        given().contentType("application/json").body("\"one\"").when().put("/v1/topics/" + path)
                .then().statusCode(400).body("code", equalTo("INVALID")).body("message", containsString("INT64"));
        given().contentType("application/json").body("2").when().put("/v1/topics/" + path + "?type=STRING")
                .then().statusCode(409).body("code", equalTo("CONFLICT"));
        given().contentType("application/json").body("2").when().put("/v1/topics/" + path + "?ifSeq=7")
                .then().statusCode(409).body("code", equalTo("CONFLICT"));
        given().contentType("application/json").body("{not json").when().put("/v1/topics/" + path)
                .then().statusCode(400).body("code", equalTo("INVALID"));
        given().contentType("application/json").body("1").when().put("/v1/topics/bad..//path?type=INT64")
                .then().statusCode(400).body("code", equalTo("INVALID"));
        given().queryParam("selector", "*(unclosed").when().get("/v1/topics")
                .then().statusCode(400).body("code", equalTo("INVALID"));
        given().contentType("text/plain").body("x".repeat(1_100_000)).when().put("/v1/topics/" + unique("huge") + "?type=STRING")
                .then().statusCode(413).body("code", equalTo("TOO_LARGE"));
    }

    @Test
    void deleteRemovesOneTopicOrTheSubtree() {
        String root = unique("rest-del");
        for (String leaf : new String[] {"", "/a", "/a/b"}) {
            given().contentType("application/json").body("1").when().put("/v1/topics/" + root + leaf + "?type=INT64").then().statusCode(200);
        }
        given().when().delete("/v1/topics/" + root + "/a/b").then().statusCode(200).body("removed", equalTo(1));
        given().when().delete("/v1/topics/" + root + "?descendants=true").then().statusCode(200).body("removed", equalTo(2));
        given().when().delete("/v1/topics/" + root).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void healthAndMetricsAnswer() {
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("topic-store"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("pushgate_connections"))
                .body(containsString("pushgate_deltas_out_total"))
                .body(containsString("pushgate_conflations_total"));
    }
}
