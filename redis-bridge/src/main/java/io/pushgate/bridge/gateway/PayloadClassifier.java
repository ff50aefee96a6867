package io.pushgate.bridge.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.bridge.support.Utf8;
import java.io.IOException;

/** Tells which gateway topic type a Redis payload is: one complete JSON value, other text, or bytes. */
public final class PayloadClassifier {

    private final ObjectMapper mapper;

    public PayloadClassifier(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public GatewayUpdate.TopicType classify(byte[] payload) {
        if (Utf8.decode(payload).isEmpty()) {
            return GatewayUpdate.TopicType.BINARY;
        }
        return isOneJsonValue(payload) ? GatewayUpdate.TopicType.JSON : GatewayUpdate.TopicType.STRING;
    }

    private boolean isOneJsonValue(byte[] payload) {
        try (JsonParser parser = mapper.getFactory().createParser(payload)) {
            if (parser.nextToken() == null) {
                return false; // empty or only whitespace
            }
            parser.skipChildren();
            return parser.nextToken() == null; // nothing after the value
        } catch (IOException e) {
            return false;
        }
    }
}
