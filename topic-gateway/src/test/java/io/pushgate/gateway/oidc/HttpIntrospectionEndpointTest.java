package io.pushgate.gateway.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushgate.gateway.security.introspection.IntrospectionUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of introspection against a JDK HTTP server on 127.0.0.1 standing in for the issuer. */
class HttpIntrospectionEndpointTest {

    private static final String SECRET = "s3cr&t:with=odd+chars";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{\"active\":true,\"realm_access\":{\"roles\":[\"CLIENT\"]}}";
    private final CountDownLatch stall = new CountDownLatch(1);
    private volatile boolean stalling;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/test/protocol/openid-connect/token/introspect", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        stall.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> seen = new java.util.HashMap<>();
        seen.put("method", exchange.getRequestMethod());
        seen.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
        seen.put("content-type", exchange.getRequestHeaders().getFirst("Content-Type"));
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            seen.put("form:" + URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        requests.add(seen);
        if (stalling) {
            try {
                stall.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test/protocol/openid-connect/token/introspect");
    }

    private HttpIntrospectionEndpoint endpoint(Duration timeout) {
        return new HttpIntrospectionEndpoint(http, uri(), "pushgate-gateway", SECRET, timeout);
    }

    private static IntrospectionUnavailableException unavailable(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(IntrospectionUnavailableException.class);
            assertThat(cause.getMessage()).doesNotContain(TOKEN).doesNotContain(SECRET).doesNotContain("s3cr");
            return (IntrospectionUnavailableException) cause;
        }
        throw new AssertionError("completed normally");
    }

    @Test
    void postsTheTokenAsAFormWithTheClientCredentialsInBasicAuth() throws Exception {
        Map<String, Object> reply = endpoint(Duration.ofSeconds(10)).introspect(TOKEN).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(reply).containsEntry("active", true);
        assertThat(reply.get("realm_access")).isEqualTo(Map.of("roles", List.of("CLIENT")));

        Map<String, String> request = requests.get(0);
        assertThat(request.get("method")).isEqualTo("POST");
        assertThat(request.get("content-type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.get("form:token")).isEqualTo(TOKEN);
        assertThat(request.get("form:token_type_hint")).isEqualTo("access_token");
        assertThat(request).doesNotContainKey("form:client_secret");
        String basic = new String(Base64.getDecoder().decode(request.get("authorization").substring("Basic ".length())), StandardCharsets.UTF_8);
        // RFC 6749, 2.3.1: id and secret form-encoded, then joined by ':'
        String[] idAndSecret = basic.split(":", 2);
        assertThat(URLDecoder.decode(idAndSecret[0], StandardCharsets.UTF_8)).isEqualTo("pushgate-gateway");
        assertThat(URLDecoder.decode(idAndSecret[1], StandardCharsets.UTF_8)).isEqualTo(SECRET);
    }

    @Test
    void wrongClientCredentialsAreUnavailableWithAHint() throws Exception {
        status = 401;
        body = "{\"error\":\"invalid_client\"}";
        IntrospectionUnavailableException e = unavailable(endpoint(Duration.ofSeconds(10)).introspect(TOKEN));
        assertThat(e.getMessage()).contains("HTTP 401").contains("client id and secret");
    }

    @Test
    void aServerErrorOrABodyThatIsNotAJsonObjectIsUnavailable() throws Exception {
        status = 500;
        assertThat(unavailable(endpoint(Duration.ofSeconds(10)).introspect(TOKEN)).getMessage()).contains("HTTP 500");
        status = 200;
        for (String bad : List.of("<html>login</html>", "[1,2]", "", "null")) {
            body = bad;
            assertThat(unavailable(endpoint(Duration.ofSeconds(10)).introspect(TOKEN)).getMessage()).as(bad).contains("JSON object");
        }
    }

    @Test
    void anEndpointNobodyListensOnIsUnavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        HttpIntrospectionEndpoint closed = new HttpIntrospectionEndpoint(http, URI.create("http://127.0.0.1:" + port + "/introspect"),
                "pushgate-gateway", SECRET, Duration.ofSeconds(10));
        assertThat(unavailable(closed.introspect(TOKEN)).getMessage()).contains("cannot reach");
    }

    @Test
    void anEndpointSlowerThanTheTimeoutIsUnavailable() throws Exception {
        stalling = true;
        assertThat(unavailable(endpoint(Duration.ofMillis(300)).introspect(TOKEN)).getMessage()).contains("timeout");
    }

    @Test
    void theSecretIsNeverShown() {
        HttpIntrospectionEndpoint endpoint = endpoint(Duration.ofSeconds(1));
        assertThat(endpoint.toString()).contains(uri().toString()).contains("pushgate-gateway").doesNotContain(SECRET);
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        assertThatThrownBy(() -> new HttpIntrospectionEndpoint(http, URI.create("ftp://127.0.0.1/x"), "c", "s", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpIntrospectionEndpoint(http, uri(), "", "s", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpIntrospectionEndpoint(http, uri(), "c", "", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("s3cr");
        assertThatThrownBy(() -> new HttpIntrospectionEndpoint(http, uri(), "c", "s", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
