package io.pushgate.gateway.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicType;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A topic's specification: its type, the event type of a time series, and its properties.
 * Properties are kept as strings (as Diffusion does) in a sorted map, so that two equal specs
 * have the same canonical JSON and replicas can compare specs as strings in Redis.
 */
public final class TopicSpec {

    /** The properties of the contract; anything else is refused so that typos do not pass silently. */
    public static final Set<String> KNOWN_PROPERTIES = Set.of(
            "DONT_RETAIN_VALUE", "PUBLISH_VALUES_ONLY", "CONFLATION", "REMOVAL",
            "TIME_SERIES_RETAINED_RANGE", "TIME_SERIES_SUBSCRIPTION_RANGE", "VALIDATE_VALUES", "OWNER", "PRESENCE");

    /**
     * {@code true}: the gateway keeps the topic's presence topic, {@code $presence/<path>} (who is
     * subscribed; package {@code io.pushgate.gateway.presence}). An extension of the contract.
     */
    public static final String PRESENCE = "PRESENCE";

    /**
     * Set by the gateway only, never by a client: the name of the topic view that owns a
     * reference topic. Such topics are read-only to clients.
     */
    public static final String VIEW = "VIEW";

    private static final Set<String> CONFLATION_VALUES = Set.of("off", "conflate", "unsubscribe");

    private final TopicType type;
    private final TopicType eventType;
    private final Map<String, String> properties;
    private final String canonicalJson;
    // Read on every write and update: looked up once here, not in the map each time.
    private final String view;
    private final boolean retainsValue;
    private final boolean allowsDeltas;
    private final String conflation;
    private final boolean presence;

    private TopicSpec(TopicType type, TopicType eventType, Map<String, String> properties) {
        this.type = type;
        this.eventType = eventType;
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        this.canonicalJson = toJson().toString();
        this.view = this.properties.get(VIEW);
        this.retainsValue = !flag("DONT_RETAIN_VALUE");
        this.allowsDeltas = !flag("PUBLISH_VALUES_ONLY") && retainsValue;
        this.conflation = this.properties.getOrDefault("CONFLATION", "conflate");
        this.presence = flag(PRESENCE);
    }

    public static TopicSpec of(TopicType type) {
        return new TopicSpec(type, null, Map.of());
    }

    public static TopicSpec of(TopicType type, Map<String, String> properties) {
        return validated(type, null, properties);
    }

    /** The spec of a reference topic of a view. */
    public static TopicSpec reference(TopicType type, TopicType eventType, String viewName) {
        return new TopicSpec(type, eventType, Map.of(VIEW, viewName));
    }

    /** The spec of a reference topic of a view with properties of its own ({@code with properties}), checked like a client's. */
    public static TopicSpec reference(TopicType type, TopicType eventType, String viewName, Map<String, String> properties) {
        if (properties.isEmpty()) {
            return reference(type, eventType, viewName);
        }
        Map<String, String> all = new TreeMap<>(validated(type,
                eventType, properties).properties);
        all.put(VIEW, viewName);
        return new TopicSpec(type, eventType, all);
    }

    /** Parses a spec stored by the gateway itself, which may carry reserved properties. */
    public static TopicSpec parseStored(JsonNode node) {
        return parse(node, true);
    }

    /** Parses {@code {"type": T, "eventType"?: E, "properties"?: {...}}}, or a bare type name as a string. */
    public static TopicSpec parse(JsonNode node) {
        return parse(node, false);
    }

    private static TopicSpec parse(JsonNode node, boolean stored) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw ProtocolException.invalid("missing spec");
        }
        if (node.isTextual()) {
            return validated(TopicType.parse(node.asText()), null, Map.of(), stored);
        }
        if (!node.isObject()) {
            throw ProtocolException.invalid("spec must be an object like {\"type\":\"JSON\"}");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw ProtocolException.invalid("spec.type must be one of JSON, STRING, INT64, DOUBLE, BINARY, TIME_SERIES");
        }
        TopicType type = TopicType.parse(typeNode.asText());
        TopicType eventType = null;
        JsonNode eventNode = node.get("eventType");
        if (eventNode != null && !eventNode.isNull()) {
            if (!eventNode.isTextual()) {
                throw ProtocolException.invalid("spec.eventType must be a type name");
            }
            eventType = TopicType.parse(eventNode.asText());
        }
        Map<String, String> properties = new TreeMap<>();
        JsonNode props = node.get("properties");
        if (props != null && !props.isNull()) {
            if (!props.isObject()) {
                throw ProtocolException.invalid("spec.properties must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (!v.isValueNode() || v.isNull()) {
                    throw ProtocolException.invalid("property " + e.getKey() + " must be a string, number or boolean");
                }
                properties.put(e.getKey(), v.asText());
            }
        }
        return validated(type, eventType, properties, stored);
    }

    private static TopicSpec validated(TopicType type, TopicType eventType, Map<String, String> properties) {
        return validated(type, eventType, properties, false);
    }

    private static TopicSpec validated(TopicType type, TopicType eventType, Map<String, String> properties, boolean stored) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (VIEW.equals(e.getKey()) && !stored) {
                throw ProtocolException.invalid("the property VIEW is set by the gateway on the reference topics of views");
            }
            if (!KNOWN_PROPERTIES.contains(e.getKey()) && !VIEW.equals(e.getKey())) {
                throw ProtocolException.invalid("unknown property '" + e.getKey() + "': known are "
                        + String.join(", ", new java.util.TreeSet<>(KNOWN_PROPERTIES)));
            }
        }
        String conflation = properties.get("CONFLATION");
        if (conflation != null && !CONFLATION_VALUES.contains(conflation)) {
            throw ProtocolException.invalid("CONFLATION must be off, conflate or unsubscribe");
        }
        String presence = properties.get(PRESENCE);
        if (presence != null && !presence.equals("true") && !presence.equals("false")) {
            throw ProtocolException.invalid("PRESENCE must be true or false, not '" + presence + "'");
        }
        if (type == TopicType.TIME_SERIES) {
            if (eventType == null) {
                throw ProtocolException.invalid("a TIME_SERIES spec needs an eventType (JSON, STRING, INT64, DOUBLE or BINARY)");
            }
            if (eventType == TopicType.TIME_SERIES) {
                throw ProtocolException.invalid("eventType cannot be TIME_SERIES");
            }
        } else if (eventType != null) {
            throw ProtocolException.invalid("eventType is only for TIME_SERIES topics");
        }
        return new TopicSpec(type, eventType, properties);
    }

    public TopicType type() {
        return type;
    }

    /** The event type of a time series; null for other types. */
    public TopicType eventType() {
        return eventType;
    }

    /** The type of the topic's values: the event type of a time series, else the topic's type. */
    public TopicType valueType() {
        return type == TopicType.TIME_SERIES ? eventType : type;
    }

    public boolean isTimeSeries() {
        return type == TopicType.TIME_SERIES;
    }

    public Map<String, String> properties() {
        return properties;
    }

    public String property(String name) {
        return properties.get(name);
    }

    /** The view that owns this reference topic, or null for an ordinary topic. */
    public String view() {
        return view;
    }

    public boolean flag(String name) {
        return "true".equalsIgnoreCase(properties.get(name));
    }

    /** Values are retained (stored and handed to new subscribers) unless DONT_RETAIN_VALUE is set. */
    public boolean retainsValue() {
        return retainsValue;
    }

    /** Deltas are computed unless PUBLISH_VALUES_ONLY is set, or values are not retained. */
    public boolean allowsDeltas() {
        return allowsDeltas;
    }

    /** True when the gateway keeps this topic's presence topic ({@link #PRESENCE} is {@code true}). */
    public boolean presence() {
        return presence;
    }

    /** {@code off}, {@code conflate} (the default) or {@code unsubscribe}. */
    public String conflation() {
        return conflation;
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", type.name());
        if (eventType != null) {
            node.put("eventType", eventType.name());
        }
        if (!properties.isEmpty()) {
            ObjectNode props = node.putObject("properties");
            properties.forEach(props::put);
        }
        return node;
    }

    /** The canonical JSON text: equal specs have equal texts. */
    public String canonicalJson() {
        return canonicalJson;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSpec other && other.canonicalJson.equals(canonicalJson);
    }

    @Override
    public int hashCode() {
        return canonicalJson.hashCode();
    }

    @Override
    public String toString() {
        return canonicalJson;
    }
}
