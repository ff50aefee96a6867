package io.pushgate.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who is subscribed to a topic: how many sessions ({@code count}, anonymous ones included) and,
 * per principal, how many of its sessions. Immutable. Its JSON,
 * {@code {"count": 3, "principals": {"alice": 2}}} (one anonymous session here), is both the
 * value of a presence topic and what each replica stores of its own sessions.
 */
public final class PresenceCounts {

    public static final PresenceCounts EMPTY = new PresenceCounts(0, Map.of());

    private final int count;
    private final Map<String, Integer> principals;

    private PresenceCounts(int count, Map<String, Integer> principals) {
        this.count = count;
        this.principals = principals;
    }

    /** {@code count} sessions, of which those of each named principal; the rest are anonymous. */
    public static PresenceCounts of(int count, Map<String, Integer> principals) {
        TreeMap<String, Integer> copy = new TreeMap<>();
        int named = 0;
        for (Map.Entry<String, Integer> e : principals.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("sessions of " + e.getKey() + ": " + e.getValue());
            }
            if (e.getValue() > 0) {
                copy.put(e.getKey(), e.getValue());
                named += e.getValue();
            }
        }
        if (count < named) {
            throw new IllegalArgumentException("count " + count + " is less than the " + named + " sessions of named principals");
        }
        return count == 0 ? EMPTY : new PresenceCounts(count, Collections.unmodifiableMap(copy));
    }

    public int count() {
        return count;
    }

    /** The sessions per principal; anonymous sessions are counted in {@link #count()} only. */
    public Map<String, Integer> principals() {
        return principals;
    }

    public int anonymous() {
        int named = 0;
        for (int n : principals.values()) {
            named += n;
        }
        return count - named;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The sum of both: the presence over two replicas' sessions. */
    public PresenceCounts plus(PresenceCounts other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        TreeMap<String, Integer> sum = new TreeMap<>(principals);
        other.principals.forEach((p, n) -> sum.merge(p, n, Integer::sum));
        return new PresenceCounts(count + other.count, Collections.unmodifiableMap(sum));
    }

    /** The sum of many (every replica's counts of one topic). */
    public static PresenceCounts sum(Iterable<PresenceCounts> parts) {
        PresenceCounts total = EMPTY;
        for (PresenceCounts part : parts) {
            total = total.plus(part);
        }
        return total;
    }

    public ObjectNode toJsonNode() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("count", count);
        ObjectNode named = node.putObject("principals");
        principals.forEach(named::put);
        return node;
    }

    /** Compact JSON, principals in name order: equal counts have equal texts. */
    public String toJson() {
        return toJsonNode().toString();
    }

    /** Reads {@link #toJson()}'s form; throws IllegalArgumentException on anything else. */
    public static PresenceCounts parse(String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not presence counts: " + e.getMessage());
        }
        if (node == null || !node.isObject() || !node.path("count").canConvertToInt()) {
            throw new IllegalArgumentException("not presence counts: " + json);
        }
        Map<String, Integer> principals = new TreeMap<>();
        JsonNode named = node.path("principals");
        if (named.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = named.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                principals.put(e.getKey(), e.getValue().asInt());
            }
        }
        return of(node.get("count").asInt(), principals);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresenceCounts other && other.count == count && other.principals.equals(principals);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, principals);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
