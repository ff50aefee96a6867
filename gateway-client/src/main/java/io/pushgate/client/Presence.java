package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value of a presence topic (docs/protocol.md, "Presence"): who is subscribed to a topic that
 * has the property {@code PRESENCE=true}. {@code count} is every session, anonymous ones included;
 * {@code principals} names each principal with its number of sessions.
 *
 * <pre>{@code
 * client.presence("chat/lobby", (topic, seq, value) -> show(Presence.of(value).principals().keySet()));
 * }</pre>
 *
 * @param count sessions subscribed to the topic, on every replica
 * @param principals sessions per principal (anonymous sessions are counted in {@code count} only)
 */
public record Presence(int count, Map<String, Integer> principals) {

    /** The prefix of every presence topic: {@code $presence/chat/lobby} is who is in {@code chat/lobby}. */
    public static final String PREFIX = "$presence/";

    public Presence {
        principals = Collections.unmodifiableMap(new TreeMap<>(principals));
    }

    /** The presence topic of a topic. */
    public static String topicOf(String path) {
        return PREFIX + path;
    }

    /** Reads a presence topic's value; a value of another shape reads as nobody. */
    public static Presence of(JsonNode value) {
        Map<String, Integer> principals = new TreeMap<>();
        if (value == null || !value.isObject()) {
            return new Presence(0, principals);
        }
        JsonNode named = value.path("principals");
        for (Iterator<Map.Entry<String, JsonNode>> it = named.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().canConvertToInt() && e.getValue().asInt() > 0) {
                principals.put(e.getKey(), e.getValue().asInt());
            }
        }
        return new Presence(value.path("count").asInt(0), principals);
    }

    /** Sessions without a principal. */
    public int anonymous() {
        int named = 0;
        for (int n : principals.values()) {
            named += n;
        }
        return Math.max(0, count - named);
    }
}
