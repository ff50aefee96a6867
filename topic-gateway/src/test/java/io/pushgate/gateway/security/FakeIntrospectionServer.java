package io.pushgate.gateway.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token introspection endpoint (RFC 7662) on 127.0.0.1 for gateway tests: it checks the client's
 * Basic credentials and answers each token with the JSON set for it ({@code {"active":false}}
 * otherwise), or with 503 while "down".
 */
final class FakeIntrospectionServer implements AutoCloseable {

    static final String PATH = "/realms/test/protocol/openid-connect/token/introspect";

    private final HttpServer server;
    private final String expectedAuthorization;
    private final Map<String, String> replies = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;

    FakeIntrospectionServer(String clientId, String secret) throws IOException {
        expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PATH, this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-introspection");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** From now on the token is active with these realm roles (Keycloak's shape; no realm_access without roles). */
    void active(String token, String subject, String... roles) {
        StringBuilder json = new StringBuilder("{\"active\":true,\"sub\":\"" + subject + "\"");
        if (roles.length > 0) {
            json.append(",\"realm_access\":{\"roles\":[");
            for (int i = 0; i < roles.length; i++) {
                json.append(i == 0 ? "" : ",").append('"').append(roles[i]).append('"');
            }
            json.append("]}");
        }
        replies.put(token, json.append('}').toString());
    }

    void inactive(String token) {
        replies.put(token, "{\"active\":false}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String token = null;
        for (String pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                token = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        if (down) {
            reply(exchange, 503, "{\"error\":\"unavailable\"}");
        } else if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{\"error\":\"invalid_client\"}");
        } else {
            reply(exchange, 200, token == null ? "{\"active\":false}" : replies.getOrDefault(token, "{\"active\":false}"));
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
