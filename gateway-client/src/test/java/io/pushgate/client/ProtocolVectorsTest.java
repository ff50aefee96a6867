package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.message.MessageCodec;
import io.pushgate.protocol.message.ServerMessage;
import io.pushgate.protocol.vectors.Vectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's vectors (protocol's {@code io/pushgate/protocol/vectors}) run through what this
 * client does with them: each gateway-to-client message taken by the right part (a reply, or a push
 * message handed to the listeners with the fields the vector decodes to), each close code's
 * reconnection rule, and each delta applied by {@link TopicStream}. The browser library's tests
 * run the same files.
 */
class ProtocolVectorsTest {

    static Stream<Arguments> toClient() {
        return Vectors.cases(Vectors.MESSAGES, "toClient").stream().map(c -> Arguments.of(c.path("name").asText(), c));
    }

    static Stream<Arguments> closeCodes() {
        return Vectors.cases(Vectors.CLOSE_CODES).stream().map(c -> Arguments.of(c.path("code").asInt(), c));
    }

    static Stream<Arguments> deltas() {
        return Vectors.cases(Vectors.DELTAS).stream().map(c -> Arguments.of(c.path("name").asText(), c));
    }

    private static ServerMessage decode(JsonNode vector) {
        return MessageCodec.fromJson((ObjectNode) Json.parse(vector.path("json").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toClient")
    void eachMessageToTheClientDecodesToItsRecordAndRepliesAreTakenAsReplies(String name, JsonNode vector) {
        ServerMessage message = decode(vector);
        assertThat("ServerMessage." + message.getClass().getSimpleName()).isEqualTo(vector.path("record").asText());

        // the client numbers its requests: the same message with a request id of its own
        ObjectNode json = (ObjectNode) Json.parse(vector.path("json").asText());
        boolean hasId = json.has("id");
        if (hasId) {
            json.put("id", 1);
        }
        boolean reply = message instanceof ServerMessage.Ok || message instanceof ServerMessage.Error
                || message instanceof ServerMessage.FetchReply || message instanceof ServerMessage.Pong
                || message instanceof ServerMessage.RangeReply
                || (message instanceof ServerMessage.Other other && (other.type().equals("sessions") || other.type().equals("response")));
        Requests requests = new Requests(java.time.Duration.ofSeconds(1), null);
        assertThat(requests.complete(MessageCodec.fromJson(json), json)).isEqualTo(reply && hasId);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toClient")
    void eachPushMessageReachesTheListenersWithTheFieldsItDecodesTo(String name, JsonNode vector) {
        ServerMessage message = decode(vector);
        JsonNode decoded = vector.path("decoded");
        FakeGateway gateway = new FakeGateway();
        TopicStreams streams = new TopicStreams(gateway, Runnable::run, Runnable::run, new Counters());
        if (message instanceof ServerMessage.Subscription m) {
            List<SubscriptionImpl> subs = new ArrayList<>();
            for (JsonNode selector : decoded.path("selectors")) {
                subs.add(streams.subscribe(selector.asText(), new Recorder()));
            }
            SubscriptionImpl other = streams.subscribe(">not/" + m.topic(), new Recorder());
            gateway.okAll("subscribe");
            streams.onMessage(message);
            // the topic goes to the subscriptions of the selectors named, and to no other
            subs.forEach(sub -> assertThat(sub.topics()).containsExactly(decoded.path("topic").asText()));
            assertThat(other.topics()).isEmpty();
            assertThat(streams.topicsForTest().get(m.topic()).spec).isEqualTo(decoded.path("spec"));
        } else if (message instanceof ServerMessage.Value m) {
            Recorder r = new Recorder();
            String type = m.text() != null || decoded.path("value").isContainerNode() ? "JSON" : "STRING";
            subscribedTo(streams, gateway, r, decoded.path("tid").asLong(), type);
            streams.onMessage(message);
            JsonNode expected = decoded.has("text") ? Json.parse(decoded.path("text").asText()) : decoded.path("value");
            assertThat(r.events()).containsExactly("t@" + decoded.path("seq").asLong() + " " + Json.write(expected));
        } else if (message instanceof ServerMessage.Delta m) {
            // a delta for a topic of which no value is held is never guessed at: the topic is fetched
            Recorder r = new Recorder();
            subscribedTo(streams, gateway, r, decoded.path("tid").asLong(), "JSON");
            streams.onMessage(message);
            assertThat(r.events()).isEmpty();
            assertThat(gateway.open("fetch")).extracting(FakeGateway.Sent::selector).containsExactly(">t");
        } else if (message instanceof ServerMessage.Event) {
            EventRecorder r = new EventRecorder();
            subscribedTo(streams, gateway, r, decoded.path("tid").asLong(), "TIME_SERIES");
            streams.onMessage(message);
            JsonNode e = decoded.path("event");
            assertThat(r.events).hasSize(1);
            TimeSeriesEvent event = r.events.get(0);
            assertThat(event.seq()).isEqualTo(e.path("seq").asLong());
            assertThat(event.time()).isEqualTo(Instant.parse(e.path("time").asText()));
            assertThat(event.author()).isEqualTo(e.path("author").asText());
            assertThat(event.value()).isEqualTo(e.path("value"));
            assertThat(event.editOf()).isEqualTo(e.path("editOf").asLong(0));
        } else if (message instanceof ServerMessage.Gap) {
            EventRecorder r = new EventRecorder();
            subscribedTo(streams, gateway, r, decoded.path("tid").asLong(), "TIME_SERIES");
            streams.onMessage(message);
            assertThat(r.lines()).containsExactly("t gap " + decoded.path("from").asLong() + "-" + decoded.path("to").asLong()
                    + " " + decoded.path("reason").asText());
        } else if (message instanceof ServerMessage.Unsubscribed) {
            Recorder r = new Recorder();
            SubscriptionImpl sub = subscribedTo(streams, gateway, r, decoded.path("tid").asLong(), "JSON");
            streams.onMessage(message);
            if (decoded.path("reason").asText().equals("REQUESTED")) {
                // what this client's own unsubscribe causes: a subscription that still has the topic keeps it for the renewal
                assertThat(r.events()).isEmpty();
            } else {
                assertThat(r.events()).containsExactly("t " + decoded.path("reason").asText());
                assertThat(sub.topics()).isEmpty();
            }
        } else if (message instanceof ServerMessage.Error m) {
            PushgateException e = Requests.error(m);
            assertThat(e.code()).isEqualTo(ErrorCode.valueOf(decoded.path("code").asText()));
            assertThat(e.getMessage()).isEqualTo(decoded.path("message").asText());
            if (decoded.has("reason")) {
                assertThat(e).isInstanceOf(MessagingException.class);
                assertThat(((MessagingException) e).reason()).isEqualTo(decoded.path("reason").asText());
            }
        }
    }

    /** A subscription {@code >t} that the gateway answered with topic {@code t} as {@code tid}. */
    private static SubscriptionImpl subscribedTo(TopicStreams streams, FakeGateway gateway, ValueListener listener, long tid, String type) {
        SubscriptionImpl sub = streams.subscribe(">t", listener);
        gateway.okAll("subscribe");
        streams.onMessage(Msg.subscription("t", tid, type, ">t"));
        return sub;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closeCodes")
    void eachCloseCodeReconnectsAsTheContractSays(int code, JsonNode vector) {
        boolean shouldReconnect = vector.path("shouldReconnect").asBoolean();
        assertThat(new Credentials(() -> "a fixed token", false).reconnectsAfter(code)).isEqualTo(shouldReconnect);
        // with a token supplier, credentials that expired (4100) are renewed on a new connection
        assertThat(new Credentials(() -> "a fresh token", true).reconnectsAfter(code)).isEqualTo(shouldReconnect || code == 4100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deltas")
    void eachDeltaAppliesToTheValueHeldAndGivesTheNewOne(String name, JsonNode vector) {
        String type = vector.path("type").asText();
        JsonNode expected = Values.fromText(type, vector.path("newText").asText());
        assertThat(expected).isEqualTo(vector.path("new"));
        if (vector.has("jsonPatch")) {
            TopicStream patched = holding(type, vector.path("old"), null);
            ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "delta").put("tid", 1).put("seq", 2);
            delta.set("patch", vector.path("jsonPatch"));
            assertThat(patched.applyDelta(Msg.delta(delta))).isTrue();
            assertThat(patched.value).isEqualTo(expected);
        }
        // fossil: the delta applies to the exact text the client got in the value message
        TopicStream fossiled = holding(type, Values.fromText(type, vector.path("oldText").asText()), vector.path("oldText").asText());
        assertThat(fossiled.applyDelta(Msg.delta(Msg.fossil(1, 2, vector.path("fossil").asText())))).isTrue();
        assertThat(fossiled.value).isEqualTo(expected);
        assertThat(fossiled.text).isEqualTo(vector.path("newText").asText());
    }

    private static TopicStream holding(String type, JsonNode value, String text) {
        TopicStream s = new TopicStream("t");
        s.type = type;
        s.hold(1, value, text);
        return s;
    }
}
