package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Delta application on one topic's state. */
class TopicStreamTest {

    private static TopicStream holding(String type, long seq, String json) {
        TopicStream s = new TopicStream("t");
        s.type = type;
        s.hold(seq, Json.parse(json), null);
        return s;
    }

    @Test
    void aPatchAppliesOnlyToTheValueAtSeqMinusOne() {
        TopicStream s = holding("JSON", 3, "{\"a\":1}");
        assertThat(s.applyDelta(Msg.delta(Msg.patch(1, 5, "[{'op':'replace','path':'/a','value':5}]")))).isFalse();
        assertThat(s.applyDelta(Msg.delta(Msg.patch(1, 3, "[{'op':'replace','path':'/a','value':3}]")))).isFalse();
        assertThat(s.seq).isEqualTo(3);
        assertThat(s.applyDelta(Msg.delta(Msg.patch(1, 4, "[{'op':'replace','path':'/a','value':4}]")))).isTrue();
        assertThat(s.seq).isEqualTo(4);
        assertThat(s.value).isEqualTo(Json.parse("{\"a\":4}"));
    }

    @Test
    void theValueHeldIsNotChangedByAPatchThatFailsHalfway() {
        TopicStream s = holding("JSON", 1, "{\"a\":1,\"b\":2}");
        assertThat(s.applyDelta(Msg.delta(Msg.patch(1, 2, "[{'op':'remove','path':'/a'},{'op':'remove','path':'/zzz'}]")))).isFalse();
        assertThat(s.value).isEqualTo(Json.parse("{\"a\":1,\"b\":2}"));
        assertThat(s.seq).isEqualTo(1);
    }

    @Test
    void aFossilDeltaAppliesToTheCanonicalTextWhenOnlyTheValueIsKnown() {
        // after a fetch the client holds a value, not its text: the text is the compact JSON the
        // gateway stores, written by the same mapper
        TopicStream s = holding("JSON", 1, "{\"price\": 43000.50, \"list\": [1, 2]}");
        String canonical = Json.write(Json.parse("{\"price\": 43000.50, \"list\": [1, 2]}"));
        String next = "{\"price\":43001.75,\"list\":[1,2]}";
        assertThat(s.applyDelta(Msg.delta(Msg.fossil(1, 2, FossilDelta.createText(canonical, next))))).isTrue();
        assertThat(s.text).isEqualTo(next);
        assertThat(s.value).isEqualTo(Json.parse(next));
    }

    @Test
    void aFossilDeltaOnANumberTopicIsRefused() {
        TopicStream s = holding("INT64", 1, "5");
        assertThat(s.applyDelta(Msg.delta(Msg.fossil(1, 2, FossilDelta.createText("5", "6"))))).isFalse();
    }

    @Test
    void randomChangesRoundTripInBothFormats() {
        Random random = new Random(42);
        TopicStream patched = holding("JSON", 1, "{\"v\":0}");
        TopicStream fossiled = holding("JSON", 1, "{\"v\":0}");
        fossiled.text = "{\"v\":0}";
        String previous = "{\"v\":0}";
        for (int i = 2; i < 300; i++) {
            String next = "{\"v\":" + random.nextInt(1000) + ",\"name\":\"n" + random.nextInt(50)
                    + "\",\"items\":[" + random.nextInt(9) + "," + random.nextInt(9) + "],\"x\":" + (random.nextInt(3) == 0 ? "null" : "{\"d\":1.5}") + "}";
            var patch = Json.MAPPER.createObjectNode().put("type", "delta").put("tid", 1).put("seq", i);
            patch.set("patch", JsonPatchDelta.diff(Json.parse(previous), Json.parse(next)));
            assertThat(patched.applyDelta(Msg.delta(patch))).isTrue();
            assertThat(fossiled.applyDelta(Msg.delta(Msg.fossil(1, i, FossilDelta.createText(previous, next))))).isTrue();
            assertThat(patched.value).isEqualTo(Json.parse(next));
            assertThat(fossiled.value).isEqualTo(Json.parse(next));
            previous = next;
        }
    }
}
