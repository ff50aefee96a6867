package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.TopicPath;
import java.math.BigDecimal;
import java.util.Optional;

/** The text of a JSON scalar, as it goes into a topic path or a STRING topic. */
final class Scalars {

    private Scalars() {
    }

    /**
     * The text of a string, number, boolean or null (Diffusion writes null as {@code "null"});
     * empty for an object, an array or a missing node.
     */
    static Optional<String> text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isContainerNode()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.textValue());
        }
        if (node.isNumber()) {
            return numberText(node);
        }
        return Optional.of(node.asText()); // true, false, null
    }

    /**
     * Numbers without exponents: the gateway reads floats as BigDecimal, whose toString() may
     * write {@code 1E+3}, and '+' is not allowed in a topic path. Numbers whose plain text would
     * be longer than a topic path (1e100000) are refused rather than written out.
     */
    static Optional<String> numberText(JsonNode node) {
        if (node.isIntegralNumber()) {
            return Optional.of(node.asText());
        }
        BigDecimal decimal;
        if (node.isBigDecimal()) {
            decimal = node.decimalValue();
        } else {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                return Optional.empty();
            }
            decimal = BigDecimal.valueOf(d);
        }
        int integerDigits = decimal.precision() - decimal.scale();
        if (integerDigits > TopicPath.MAX_LENGTH || decimal.scale() > TopicPath.MAX_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(decimal.toPlainString());
    }
}
