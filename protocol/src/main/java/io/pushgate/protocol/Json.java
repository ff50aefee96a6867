package io.pushgate.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one Jackson mapper of the wire format. Numbers are read as {@code BigDecimal} where a
 * double would lose digits, so that a value read and written again is the value that was sent.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private Json() {
    }

    private static final java.util.Map<Integer, ObjectMapper> BY_DEPTH = new java.util.concurrent.ConcurrentHashMap<>();

    /** Parses JSON text, or throws {@code INVALID} with the parser's reason. */
    public static JsonNode parse(String text) {
        return parse(MAPPER, text);
    }

    /**
     * Parses JSON text nested at most {@code maxDepth} levels deep (arrays and objects), so that
     * a hostile frame cannot make the parser recurse for ever; deeper is {@code INVALID}.
     */
    public static JsonNode parse(String text, int maxDepth) {
        return parse(BY_DEPTH.computeIfAbsent(maxDepth, d -> {
            ObjectMapper m = MAPPER.copy();
            m.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNestingDepth(d).build());
            return m;
        }), text);
    }

    private static JsonNode parse(ObjectMapper mapper, String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ProtocolException.invalid("empty JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ProtocolException.invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            // Jackson reports some numbers it cannot hold (e.g. an exponent of twenty digits) as
            // a NumberFormatException rather than a parse error: bad input all the same.
            throw ProtocolException.invalid("not valid JSON: " + e.getMessage());
        }
    }

    /** Compact JSON text of a node. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
