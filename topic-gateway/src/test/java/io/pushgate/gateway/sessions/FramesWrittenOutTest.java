package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The frames of the hot path are written out by hand rather than through a Jackson tree; they
 * must be byte for byte what the tree gives, for every type of value and every kind of id.
 */
class FramesWrittenOutTest {

    @Test
    void anOkWithASeqIsWhatTheTreeGives() {
        List<JsonNode> ids = List.of(Json.parse("\"r1\""), Json.parse("\"ü \\\" \\\\ \\u0001 \\n é/\\t\""), Json.parse("7"),
                Json.parse("-12345678901234567890"), Json.parse("1.50"), Json.parse("1e400"), Json.parse("null"));
        for (JsonNode id : ids) {
            ObjectNode ok = Messages.ok(id);
            ok.put("seq", 42L);
            assertThat(Messages.okSeq(id, 42).text()).as("id %s", id).isEqualTo(Json.write(ok));
        }
        ObjectNode none = Messages.ok(null);
        none.put("seq", 1L);
        assertThat(Messages.okSeq(null, 1).text()).isEqualTo(Json.write(none));
    }

    @Test
    void aValueFrameIsWhatTheTreeGivesForEveryType() {
        Map<TopicType, List<String>> values = Map.of(
                TopicType.JSON, List.of("{\"a\":1,\"b\":[1.50,\"x\\\"y\",null,true],\"c\":{\"d\":\"é\\u0007\"}}", "[]", "\"s\"", "12.5E+3"),
                TopicType.STRING, List.of("plain", "quote \" and \\ and \n and \u0001 and ü"),
                TopicType.INT64, List.of("0", "-9223372036854775808"),
                TopicType.DOUBLE, List.of("1.0", "-2.5E-10", "1.7976931348623157E308"),
                TopicType.BINARY, List.of("AAEC/w=="));
        long tid = 1;
        for (Map.Entry<TopicType, List<String>> e : values.entrySet()) {
            for (String text : e.getValue()) {
                TopicValue stored = e.getKey() == TopicType.JSON ? TopicValue.fromJson(TopicType.JSON, Json.parse(text))
                        : TopicValue.fromText(e.getKey(), text);
                TopicValue read = TopicValue.fromText(e.getKey(), stored.text());
                Topic topic = new Topic("t/" + tid, TopicSpec.parse(Json.parse("{\"type\":\"" + e.getKey() + "\"}")), tid++, Topic.State.EMPTY);
                for (DeltaFormat format : DeltaFormat.values()) {
                    Frame frame = UpdateFrames.valueFrame(topic, new Topic.State(9, read), format);
                    ObjectNode tree = Messages.message("value", null);
                    tree.put("tid", topic.tid());
                    tree.put("seq", 9L);
                    if (format == DeltaFormat.FOSSIL && read.isTextual()) {
                        tree.put("text", read.text());
                    } else {
                        tree.set("value", read.json());
                    }
                    assertThat(frame.text()).as("%s %s (%s)", e.getKey(), text, format).isEqualTo(Json.write(tree));
                }
            }
        }
    }
}
