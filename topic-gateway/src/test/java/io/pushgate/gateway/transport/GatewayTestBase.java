package io.pushgate.gateway.transport;

import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** Shared plumbing of the transport tests: a real Redis, real sockets, unique topic names. */
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
public abstract class GatewayTestBase {

    @TestHTTPResource("/")
    protected URL base;

    private final List<JsonWebSocket> sockets = new ArrayList<>();

    protected JsonWebSocket connect(String query) {
        String url = base.toString().replaceFirst("^http", "ws") + "v1/ws" + (query == null ? "" : "?" + query);
        JsonWebSocket socket = JsonWebSocket.connect(url);
        sockets.add(socket);
        return socket;
    }

    protected JsonWebSocket connect() {
        return connect(null);
    }

    /** A WebSocket opened with these request headers (credentials, an Origin); closed after the test. */
    protected JsonWebSocket connectWith(Map<String, String> headers) {
        JsonWebSocket socket = JsonWebSocket.connect(base.toString().replaceFirst("^http", "ws") + "v1/ws", headers);
        sockets.add(socket);
        return socket;
    }

    /** A topic root no other test uses. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static Map<String, Object> op(String op, Object... fields) {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("op", op);
        for (int i = 0; i < fields.length; i += 2) {
            request.put((String) fields[i], fields[i + 1]);
        }
        return request;
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(JsonWebSocket::close);
        sockets.clear();
    }
}
