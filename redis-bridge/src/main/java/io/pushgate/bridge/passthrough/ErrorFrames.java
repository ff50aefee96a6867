package io.pushgate.bridge.passthrough;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The frame that tells one passthrough client why its message was not published: the gateway's
 * {@code error} message, {@code {"type":"error","code":"PERMISSION_DENIED","message":"..."}}, as a
 * text frame to that client only. It is the one frame the bridge makes up itself; every other
 * frame is a payload from Redis.
 */
final class ErrorFrames {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorFrames() {
    }

    static Frame of(ProtocolException error) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("type", "error");
        body.put("code", error.code().name());
        body.put("message", error.getMessage());
        return Frame.of(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
