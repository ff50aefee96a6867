package io.pushgate.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.vertx.core.http.HttpServerResponse;

/** The contract's JSON error body, {@code {code, message}}, for the plain Vert.x routes. */
public final class HttpErrors {

    private HttpErrors() {
    }

    public static void send(HttpServerResponse response, ProtocolException error) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("code", error.code().name());
        body.put("message", error.getMessage());
        response.setStatusCode(error.code().httpStatus())
                .putHeader("Content-Type", "application/json")
                .end(Json.write(body));
    }
}
