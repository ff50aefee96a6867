package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.TopicType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The {@code type} clause's conversions, after Diffusion's table: numbers and strings convert
 * among STRING, INT64, DOUBLE and JSON where the value allows it; BINARY converts to nothing
 * and nothing converts to BINARY. One departure: Diffusion reads only strings and integers out
 * of a JSON value ("currently", its docs say), Pushgate reads any JSON number, so that
 * {@code as <value(/rate_float)> type STRING} works.
 */
final class TypeConversion {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private TypeConversion() {
    }

    static Optional<JsonNode> convert(JsonNode value, TopicType from, TopicType to) {
        if (from == to) {
            return Optional.of(value);
        }
        if (from == TopicType.BINARY || to == TopicType.BINARY) {
            return Optional.empty();
        }
        // a JSON object, array, boolean or null is no STRING, INT64 or DOUBLE
        if (!value.isTextual() && !value.isNumber()) {
            return Optional.empty();
        }
        return switch (to) {
            case JSON -> Optional.of(value);
            case STRING -> value.isTextual() ? Optional.of(value) : Scalars.numberText(value).map(TextNode::valueOf);
            case INT64 -> toLong(value).map(LongNode::valueOf);
            case DOUBLE -> toDecimal(value).map(BigDecimal::doubleValue).filter(Double::isFinite).map(DoubleNode::valueOf);
            default -> Optional.empty();
        };
    }

    /** Integers as they are; other numbers rounded to the nearest (Diffusion: 12.51 gives 13). */
    private static Optional<Long> toLong(JsonNode value) {
        if (value.isTextual()) {
            String s = value.textValue();
            // a STRING converts only if it is an integer: "12.5" is not an INT64
            return s.matches("-?[0-9]{1,19}") ? fits(new BigInteger(s)) : Optional.empty();
        }
        if (value.isIntegralNumber()) {
            return fits(value.bigIntegerValue());
        }
        return toDecimal(value).flatMap(d -> d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                ? Optional.empty() : fits(d.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact()));
    }

    private static Optional<Long> fits(BigInteger i) {
        return i.compareTo(LONG_MIN) < 0 || i.compareTo(LONG_MAX) > 0 ? Optional.empty() : Optional.of(i.longValue());
    }

    private static Optional<BigDecimal> toDecimal(JsonNode value) {
        if (value.isTextual()) {
            String s = value.textValue();
            // BigDecimal's grammar (no NaN, Infinity, spaces or hex), and not 1e999999999
            if (s.length() > 100 || !s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,4})?")) {
                return Optional.empty();
            }
            return Optional.of(new BigDecimal(s));
        }
        if (value.isBigDecimal() || value.isIntegralNumber()) {
            return Optional.of(value.decimalValue());
        }
        double d = value.doubleValue();
        return Double.isFinite(d) ? Optional.of(BigDecimal.valueOf(d)) : Optional.empty();
    }
}
