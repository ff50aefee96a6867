package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/** A listener that writes down what it gets, as lines like {@code a/b@2 {"p":2}} and {@code a/b REMOVED}. */
final class Recorder implements ValueListener {

    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, JsonNode> values = new ConcurrentHashMap<>();
    final Map<String, Long> seqs = new ConcurrentHashMap<>();

    @Override
    public void onValue(String topic, long seq, JsonNode value) {
        events.add(topic + "@" + seq + " " + Json.write(value));
        values.put(topic, value);
        seqs.put(topic, seq);
    }

    @Override
    public void onUnsubscribed(String topic, String reason) {
        events.add(topic + " " + reason);
    }

    List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
