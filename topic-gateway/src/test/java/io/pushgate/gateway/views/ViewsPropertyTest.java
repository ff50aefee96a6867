package io.pushgate.gateway.views;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the view runtime in the gateway, against a real Redis: random JSON documents
 * and random edits of the sources (and of the inserted topics), and after each edit has settled
 * the reference topics equal the view applied to the current source values ({@link ViewEvaluator}
 * over what the test wrote), including expand additions and removals, processes, failing patches,
 * inserts with live joins and preserve topics. Seeded: a failure names its seed, and
 * {@code -Dpushgate.seed=N} replays it.
 */
@QuarkusTest
class ViewsPropertyTest extends GatewayTestBase {

    private static final int EDITS = Integer.getInteger("pushgate.view-edits", 120);

    @Test
    void expandWithAProcess() {
        check("map ?%1$s/ to %2$s/<path(1)>/<expand(/items, /id)> process {if '/v > 50' set(/tier, 'high') elseif '/v >= 0' set(/tier, 'low')}",
                false, false);
    }

    @Test
    void expandWithAPatchThatMayFailAndPreserveTopics() {
        check("map ?%1$s/ to %2$s/<path(1)>/<expand(/items)> patch '[{\"op\":\"test\",\"path\":\"/flag\",\"value\":true},"
                + "{\"op\":\"remove\",\"path\":\"/flag\"}]' preserve topics", true, false);
    }

    @Test
    void nestedExpandsAScalarAndAValue() {
        check("map ?%1$s/ to %2$s/<path(1)>/<expand(/groups)>/<expand(/items, /id)>/<scalar(/v)> as <value(/v)>", false, false);
    }

    @Test
    void liveInsertsJoinTheCurrentValueOfEachInsertedTopic() {
        check("map ?%1$s/ to %2$s/<path(1)>/<expand(/items, /id)> insert %3$s/<scalar(/id)> key /rate at /rate default 'none' live inserts",
                false, true);
    }

    /**
     * Runs {@code EDITS} random edits on a fresh root, after each awaiting that the reference topics
     * are the expected ones. The view text is formatted with the source root, the reference root and
     * the lookup root.
     */
    private void check(String viewFormat, boolean preserve, boolean lookups) {
        long seed = Long.getLong("pushgate.seed", new Random().nextLong());
        Random random = new Random(seed);
        String root = unique("prop");
        String out = root + "-out";
        String lookup = root + "-lookup";
        String text = String.format(viewFormat, root, out, lookup);
        ViewSpec spec = ViewParser.parse(text);
        given().contentType("text/plain").body(text).when().put("/v1/views/" + unique("v")).then().statusCode(201);

        Map<String, JsonNode> sources = new TreeMap<>();
        Map<String, JsonNode> lookupValues = new TreeMap<>();
        // with preserve topics: every path a source gave since it appeared, with the value of its last evaluation that gave it
        Map<String, Map<String, JsonNode>> preserved = new TreeMap<>();
        String edit = "";
        int mostReferences = 0;
        try {
            for (int i = 0; i < EDITS; i++) {
                int kind = random.nextInt(10);
                if (lookups && kind < 3) {
                    String id = "id" + random.nextInt(4);
                    if (random.nextInt(4) == 0) {
                        lookupValues.remove(id);
                        edit = "remove lookup " + id;
                        given().when().delete("/v1/topics/" + lookup + "/" + id); // 404 when it was never set
                    } else {
                        JsonNode v = Json.parse("{\"rate\":" + random.nextInt(1000) + "}");
                        lookupValues.put(id, v);
                        edit = "lookup " + id + " = " + v;
                        put(lookup + "/" + id, v);
                    }
                } else if (kind < 4 && !sources.isEmpty()) {
                    String s = sources.keySet().stream().skip(random.nextInt(sources.size())).findFirst().orElseThrow();
                    sources.remove(s);
                    preserved.remove(s);
                    edit = "remove " + s;
                    given().when().delete("/v1/topics/" + root + "/" + s).then().statusCode(200);
                } else {
                    String s = "s" + random.nextInt(4);
                    JsonNode doc = document(random);
                    sources.put(s, doc);
                    edit = "set " + s + " = " + doc;
                    put(root + "/" + s, doc);
                    if (preserve) {
                        Map<String, JsonNode> given = preserved.computeIfAbsent(s, k -> new LinkedHashMap<>());
                        evaluate(spec, root + "/" + s, doc, lookup, lookupValues).forEach(given::put);
                    }
                }
                Map<String, String> expected = new TreeMap<>();
                if (preserve) {
                    preserved.values().forEach(m -> m.forEach((p, v) -> expected.put(p, Json.write(v))));
                } else {
                    sources.forEach((s, doc) -> evaluate(spec, root + "/" + s, doc, lookup, lookupValues)
                            .forEach((p, v) -> expected.put(p, Json.write(v))));
                }
                mostReferences = Math.max(mostReferences, expected.size());
                awaitReferences(out, expected);
            }
        } catch (AssertionError | ConditionTimeoutException e) {
            throw new AssertionError("view '" + text + "' differs after edit '" + edit + "', seed " + seed
                    + " (replay: -Dpushgate.seed=" + seed + "): " + e.getMessage(), e);
        }
        // the edits must have made reference topics come and go, not kept the view empty
        assertThat(mostReferences).as("most reference topics at once").isGreaterThanOrEqualTo(4);
        System.out.printf("ViewsPropertyTest: %d edits, up to %d reference topics, seed %d, view %s%n", EDITS, mostReferences, seed, text);
    }

    private static Map<String, JsonNode> evaluate(ViewSpec spec, String path, JsonNode doc, String lookup, Map<String, JsonNode> lookups) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        ViewEvaluator.evaluate(spec, path, TopicType.JSON, doc, p -> p.startsWith(lookup + "/")
                        ? Optional.ofNullable(lookups.get(p.substring(lookup.length() + 1))) : Optional.empty())
                .references().forEach(r -> out.put(r.path(), r.value()));
        return out;
    }

    private void put(String topic, JsonNode value) {
        io.restassured.response.Response r = given().contentType("application/json").body(Json.write(value)).queryParam("type", "JSON")
                .when().put("/v1/topics/" + topic);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    }

    private void awaitReferences(String out, Map<String, String> expected) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(15)).until(() -> {
                last.set(references(out));
                return last.get().equals(expected);
            });
        } catch (ConditionTimeoutException e) {
            assertThat(last.get()).as("reference topics").isEqualTo(expected);
        }
    }

    private Map<String, String> references(String out) {
        String body = given().accept("application/json").queryParam("selector", "?" + out + "//").when()
                .get("/v1/topics").then().statusCode(200).extract().asString();
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode r : Json.parse(body).path("results")) {
            actual.put(r.path("topic").asText(), Json.write(r.path("value")));
        }
        return actual;
    }

    /**
     * A random document: {@code items}, 0 to 4 objects with an id of 4 (so that two may collide),
     * a number v (sometimes missing or a string), a flag; {@code groups}, 0 to 3 of such item lists.
     */
    private static JsonNode document(Random random) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("items", items(random));
        ObjectNode groups = doc.putObject("groups");
        for (int g = random.nextInt(4); g > 0; g--) {
            groups.putObject("g" + random.nextInt(4)).set("items", items(random));
        }
        if (random.nextBoolean()) {
            doc.put("note", "n" + random.nextInt(10));
        }
        return doc;
    }

    private static ArrayNode items(Random random) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (int n = random.nextInt(5); n > 0; n--) {
            ObjectNode item = items.addObject();
            if (random.nextInt(6) > 0) {
                item.put("id", "id" + random.nextInt(4));
            }
            switch (random.nextInt(6)) {
                case 0 -> item.put("v", "text");
                case 1 -> { }
                case 2 -> item.put("v", random.nextInt(100) + 0.5);
                default -> item.put("v", random.nextInt(100));
            }
            item.put("flag", random.nextBoolean());
        }
        return items;
    }
}
