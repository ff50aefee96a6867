package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.protocol.message.MessageType;
import io.pushgate.protocol.vectors.Vectors;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The gateway's encoders ({@link Messages}, and {@link TopicUpdate}'s hand-written value and delta
 * frames) write, byte for byte, the messages of protocol's messages.json that they encode.
 */
class MessagesMatchVectorsTest {

    private static final Map<String, JsonNode> VECTORS = new HashMap<>();

    static {
        Vectors.cases(Vectors.MESSAGES, "toClient").forEach(c -> VECTORS.put(c.path("name").asText(), c));
    }

    @Test
    void theGatewayWritesEachMessageItEncodesAsTheVectorDoes() {
        JsonNode price = Vectors.cases(Vectors.DELTAS).get(0);
        Topic prices = topic("prices/btc/usd", "{\"type\":\"JSON\"}", 1);
        Topic lobby = topic("chat/lobby", "{\"type\":\"TIME_SERIES\",\"eventType\":\"JSON\",\"properties\":{\"PRESENCE\":\"true\"}}", 3);
        TopicValue oldPrice = TopicValue.fromJson(TopicType.JSON, price.path("old"));
        TopicValue newPrice = TopicValue.fromJson(TopicType.JSON, price.path("new"));

        Map<String, Supplier<Frame>> encoders = new LinkedHashMap<>();
        encoders.put("ok", () -> Messages.frame(Messages.ok(TextNode.valueOf("r1"))));
        encoders.put("ok with seq", () -> Messages.okSeq(IntNode.valueOf(7), 42));
        encoders.put("ok to subscribe with tids", () -> Messages.subscribed(TextNode.valueOf("s2"), List.of(1L, 4L)));
        encoders.put("ok to subscribe with no tids", () -> Messages.subscribed(TextNode.valueOf("s1"), List.of()));
        encoders.put("error", () -> Messages.error(TextNode.valueOf("r2"), ErrorCode.NOT_FOUND, "no topic prices/btc"));
        encoders.put("error with no id", () -> Messages.error(null, ErrorCode.RATE_LIMITED, "too many requests: slow down"));
        encoders.put("subscription", () -> Messages.subscription(prices, List.of("?prices//", ">prices/btc/usd")));
        encoders.put("subscription of a time series", () -> Messages.subscription(lobby, List.of(">chat/lobby")));
        encoders.put("value", () -> UpdateFrames.valueFrame(prices, new Topic.State(1, oldPrice), DeltaFormat.JSON_PATCH));
        encoders.put("value as text", () -> UpdateFrames.valueFrame(prices, new Topic.State(1, oldPrice), DeltaFormat.FOSSIL));
        encoders.put("value of a string", () -> UpdateFrames.valueFrame(topic("greeting", "{\"type\":\"STRING\"}", 2),
                new Topic.State(4, TopicValue.fromText(TopicType.STRING, "hello")), DeltaFormat.JSON_PATCH));
        Topic bpi = topic("prices/bpi", "{\"type\":\"JSON\"}", 5);
        JsonNode document = Json.parse(VECTORS.get("value of a document").path("json").asText()).path("value");
        TopicValue before = TopicValue.fromJson(TopicType.JSON, document);
        com.fasterxml.jackson.databind.node.ObjectNode changed = document.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) changed.path("bpi").path("GBP")).put("rate_float", new java.math.BigDecimal("99.75"));
        TopicValue after = TopicValue.fromJson(TopicType.JSON, changed);
        encoders.put("value of a document", () -> UpdateFrames.valueFrame(bpi, new Topic.State(7, before), DeltaFormat.JSON_PATCH));
        encoders.put("delta as a JSON patch", () -> UpdateFrames.frameFor(new TopicUpdate(bpi, 8, before, after), DeltaFormat.JSON_PATCH, true));
        encoders.put("delta as a fossil delta", () -> UpdateFrames.frameFor(new TopicUpdate(prices, 2, oldPrice, newPrice), DeltaFormat.FOSSIL, true));
        encoders.put("event", () -> Messages.event(lobby, event(VECTORS.get("event"))));
        encoders.put("event that edits", () -> Messages.event(lobby, event(VECTORS.get("event that edits"))));
        encoders.put("unsubscribed", () -> Messages.unsubscribed(prices, "REQUESTED"));
        encoders.put("unsubscribed because removed", () -> Messages.unsubscribed(prices, "REMOVED"));
        encoders.put("gap", () -> Messages.gap(lobby, 3, 9));
        encoders.put("pong", () -> Messages.frame(Messages.message(MessageType.PONG, IntNode.valueOf(42))));
        encoders.put("pong with no id", () -> Messages.frame(Messages.message(MessageType.PONG, null)));

        for (Map.Entry<String, Supplier<Frame>> e : encoders.entrySet()) {
            JsonNode vector = VECTORS.get(e.getKey());
            assertThat(vector).as("a vector named %s", e.getKey()).isNotNull();
            Frame frame = e.getValue().get();
            assertThat(frame.text()).as(e.getKey()).isEqualTo(vector.path("json").asText());
            assertThat(frame.type()).as(e.getKey()).isEqualTo(Json.parse(vector.path("json").asText()).path("type").asText());
        }
    }

    private static Topic topic(String path, String spec, long tid) {
        return new Topic(path, TopicSpec.parse(Json.parse(spec)), tid, Topic.State.EMPTY);
    }

    private static TimeSeriesEvent event(JsonNode vector) {
        JsonNode e = Json.parse(vector.path("json").asText()).path("event");
        return new TimeSeriesEvent(e.path("seq").asLong(), Instant.parse(e.path("time").asText()).toEpochMilli(), e.path("author").asText(),
                TopicValue.fromJson(TopicType.JSON, e.path("value")), e.has("editOf") ? e.path("editOf").asLong() : null);
    }
}
