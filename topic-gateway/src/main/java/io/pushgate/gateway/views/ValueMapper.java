package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.TopicType;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a reference topic from the value of its source: the {@code as <value(...)>}
 * clause, then the {@code type} conversion. Values are in the form of
 * {@code TopicValue.json()}: a JSON document, a string, a number, or base64 text for BINARY.
 */
public final class ValueMapper {

    private ValueMapper() {
    }

    /** Maps the value of a JSON source topic. */
    public static Optional<JsonNode> map(JsonNode sourceValue, ViewSpec spec) {
        return map(sourceValue, TopicType.JSON, spec);
    }

    /**
     * Maps the value of a source topic of the given type (for a time series, pass its event
     * type and map each event). Empty when this source gives no reference value: no value
     * yet, a pointer that selects nothing, a non-JSON source under an {@code as} clause, or a
     * conversion that cannot be made.
     *
     * <p>Diffusion gives the reference topic the JSON value {@code null} when the pointer
     * selects nothing; here the caller is told there is no value and decides.
     */
    public static Optional<JsonNode> map(JsonNode sourceValue, TopicType sourceType, ViewSpec spec) {
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(spec, "spec");
        if (sourceType == TopicType.TIME_SERIES) {
            throw new IllegalArgumentException("map the events of a time series with its event type");
        }
        if (sourceValue == null || sourceValue.isMissingNode()) {
            return Optional.empty();
        }
        JsonNode value = sourceValue;
        if (spec.valuePointer().isPresent()) {
            if (sourceType != TopicType.JSON) {
                return Optional.empty(); // Diffusion: 'as' applies to JSON sources only
            }
            value = JsonPointers.at(sourceValue, spec.valuePointer().get());
            if (value.isMissingNode()) {
                return Optional.empty();
            }
        }
        return spec.type().isEmpty() ? Optional.of(value) : TypeConversion.convert(value, sourceType, spec.type().get());
    }
}
