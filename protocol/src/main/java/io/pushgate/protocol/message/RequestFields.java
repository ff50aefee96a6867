package io.pushgate.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ProtocolException;

/**
 * Reading the fields of a request (or message) object, with the contract's {@code INVALID} errors:
 * {@code missing field 'x'}, {@code field 'x' must be a string}, {@code field 'x' must be an integer}.
 * The gateway's request parsing and {@link MessageCodec} both read fields so.
 */
public final class RequestFields {

    private RequestFields() {
    }

    /** The field, which may be JSON null but must be there. */
    public static JsonNode required(JsonNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null) {
            throw ProtocolException.invalid("missing field '" + field + "'");
        }
        return node;
    }

    /** A string field that must be there (JSON null counts as missing). */
    public static String text(JsonNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            throw ProtocolException.invalid("missing field '" + field + "'");
        }
        if (!node.isTextual()) {
            throw ProtocolException.invalid("field '" + field + "' must be a string");
        }
        return node.asText();
    }

    /** A string field, or null when it is absent or JSON null. */
    public static String optionalText(JsonNode request, String field) {
        return request.hasNonNull(field) ? text(request, field) : null;
    }

    /** An integer field (in the signed 64-bit range); null when absent or JSON null and not {@code required}. */
    public static Long longField(JsonNode request, String field, boolean required) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ProtocolException.invalid("missing field '" + field + "'");
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ProtocolException.invalid("field '" + field + "' must be an integer");
        }
        return node.longValue();
    }
}
