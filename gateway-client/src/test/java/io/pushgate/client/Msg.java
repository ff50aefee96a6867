package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.message.MessageCodec;
import io.pushgate.protocol.message.ServerMessage;

/** JSON for tests, written with single quotes. */
final class Msg {

    private Msg() {
    }

    /** A {@code delta} message as the client decodes it. */
    static ServerMessage.Delta delta(JsonNode message) {
        return (ServerMessage.Delta) MessageCodec.fromJson((ObjectNode) message);
    }

    static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    /** A {@code subscription}, with the connection's selectors that match the topic (as the client keyed them). */
    static JsonNode subscription(String topic, long tid, String type, String... selectors) {
        return withSelectors(json("{'type':'subscription','topic':'" + topic + "','tid':" + tid
                + ",'spec':{'type':'" + type + "','properties':{}}}"), selectors);
    }

    private static JsonNode withSelectors(JsonNode subscription, String... selectors) {
        var array = ((com.fasterxml.jackson.databind.node.ObjectNode) subscription).putArray("selectors");
        for (String selector : selectors) {
            array.add(selector);
        }
        return subscription;
    }

    static JsonNode value(long tid, long seq, String valueJson) {
        return json("{'type':'value','tid':" + tid + ",'seq':" + seq + ",'value':" + valueJson + "}");
    }

    static JsonNode textValue(long tid, long seq, String text) {
        var node = Json.MAPPER.createObjectNode().put("type", "value").put("tid", tid).put("seq", seq).put("text", text);
        return node;
    }

    static JsonNode patch(long tid, long seq, String patchJson) {
        return json("{'type':'delta','tid':" + tid + ",'seq':" + seq + ",'patch':" + patchJson + "}");
    }

    static JsonNode fossil(long tid, long seq, String delta) {
        return Json.MAPPER.createObjectNode().put("type", "delta").put("tid", tid).put("seq", seq).put("delta", delta);
    }

    static JsonNode timeSeries(String topic, long tid, String... selectors) {
        return withSelectors(json("{'type':'subscription','topic':'" + topic + "','tid':" + tid
                + ",'spec':{'type':'TIME_SERIES','eventType':'JSON','properties':{}}}"), selectors);
    }

    /** A time series event written by alice at 20:00:0{seq % 10}Z. */
    static JsonNode event(long tid, long seq, String valueJson) {
        return json("{'type':'event','tid':" + tid + ",'event':{'seq':" + seq + ",'time':'2026-11-22T20:00:0" + (seq % 10)
                + "Z','author':'alice','value':" + valueJson + "}}");
    }

    static JsonNode edit(long tid, long seq, long editOf, String valueJson) {
        return json("{'type':'event','tid':" + tid + ",'event':{'seq':" + seq + ",'time':'2026-11-22T20:00:00Z','author':'bob','value':"
                + valueJson + ",'editOf':" + editOf + "}}");
    }

    static JsonNode gap(long tid, String topic, long from, long to) {
        return json("{'type':'gap','tid':" + tid + ",'topic':'" + topic + "','from':" + from + ",'to':" + to + ",'reason':'NOT_RETAINED'}");
    }

    static JsonNode unsubscribed(long tid, String topic, String reason) {
        return json("{'type':'unsubscribed','tid':" + tid + ",'topic':'" + topic + "','reason':'" + reason + "'}");
    }
}
