package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.reliability.support.JavaProcess;
import io.pushgate.reliability.support.Results;
import io.pushgate.reliability.support.Services;
import io.pushgate.reliability.support.Tls;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RawWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may connect and what an anonymous caller may reach, on gateways configured as a deployment
 * would be: the contract's default anonymous role ({@code CLIENT}), a list of allowed browser
 * origins, and TLS only.
 */
class SecurityIT {

    private static final String APP_ORIGIN = "https://app.example.com";

    private static RedisServer redis;
    private static Services services;
    /** Allowed origins set; anonymous sessions are CLIENT (the default). */
    private static ServiceProcess restricted;
    private static Tls tls;
    private static JavaProcess tlsGateway;
    private static int tlsPort;
    private static int tlsPlainPort;
    private static HttpClient tlsClient;

    @BeforeAll
    static void start() {
        redis = new RedisServer().start();
        services = new Services("SecurityIT");
        restricted = services.service("topic-gateway", RedisServer.freePort(), Map.of(
                "quarkus.redis.hosts", redis.uri(),
                "gateway.security.issuers", "http://127.0.0.1:1",
                "gateway.security.allowed-origins", APP_ORIGIN));
        tls = Tls.selfSigned();
        tlsPort = RedisServer.freePort();
        tlsPlainPort = RedisServer.freePort();
        Map<String, String> tlsProperties = new LinkedHashMap<>();
        tlsProperties.put("quarkus.http.port", String.valueOf(tlsPlainPort));
        tlsProperties.put("quarkus.http.ssl-port", String.valueOf(tlsPort));
        tlsProperties.put("quarkus.http.ssl.certificate.key-store-file", tls.keyStore().toString());
        tlsProperties.put("quarkus.http.ssl.certificate.key-store-password", tls.password());
        tlsProperties.put("quarkus.http.insecure-requests", "disabled");
        tlsProperties.put("quarkus.redis.hosts", redis.uri());
        tlsProperties.put("gateway.security.issuers", "http://127.0.0.1:1");
        tlsProperties.put("gateway.security.anonymous-roles", "ADMINISTRATOR");
        tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        tlsGateway = new JavaProcess(ServiceProcess.jarOf("topic-gateway"), tlsProperties);
        CompletableFuture<Void> tlsStarted = CompletableFuture.runAsync(() -> tlsGateway.start(tlsClient, "https://127.0.0.1:" + tlsPort + "/q/health/ready"));
        Services.startAll(restricted);
        tlsStarted.join();
    }

    @AfterAll
    static void stop() {
        if (tlsGateway != null) {
            tlsGateway.close();
        }
        if (services != null) {
            services.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void anUpgradeFromAnUnlistedOriginIsRefusedAndAListedOneAllowed() throws Exception {
        Results results = new Results("security-origins");
        RawWebSocket.Answer evil = RawWebSocket.tryUpgrade(restricted.port(), "/v1/ws", Map.of("Origin", "https://evil.example"));
        RawWebSocket.Answer listed = RawWebSocket.tryUpgrade(restricted.port(), "/v1/ws", Map.of("Origin", APP_ORIGIN));
        RawWebSocket.Answer none = RawWebSocket.tryUpgrade(restricted.port(), "/v1/ws", Map.of());
        RawWebSocket.Answer lookalike = RawWebSocket.tryUpgrade(restricted.port(), "/v1/ws", Map.of("Origin", APP_ORIGIN + ".evil.example"));
        RawWebSocket.Answer withToken = RawWebSocket.tryUpgrade(restricted.port(), "/v1/ws?access_token=x.y.z", Map.of("Origin", "https://evil.example"));
        Http.Answer sse = Http.send("GET", restricted.httpUrl() + "/v1/sse?selector=%3Ea", Map.of("Origin", "https://evil.example"), null);
        results.put("unlistedOrigin", evil.status() + " " + evil.body());
        results.put("listedOrigin", listed.status());
        results.put("noOrigin", none.status());
        results.put("lookalikeOrigin", lookalike.status());
        results.put("unlistedOriginWithAToken", withToken.status());
        results.put("sseFromUnlistedOrigin", sse.status() + " " + sse.body());

        // the TLS gateway keeps the default (*): any origin may open a session there
        int defaultGateway = wss(Map.of("Origin", "https://anything.example")).join().status;
        results.put("unlistedOriginOnAGatewayWithTheDefault", defaultGateway);
        results.write();

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(evil.status()).as("unlisted origin").isEqualTo(403);
        soft.assertThat(Json.parse(evil.body()).path("code").asText()).as("unlisted origin's body").isEqualTo("PERMISSION_DENIED");
        soft.assertThat(lookalike.status()).as("an origin that only starts like a listed one").isEqualTo(403);
        soft.assertThat(withToken.status()).as("unlisted origin, even with a token").isEqualTo(403);
        soft.assertThat(listed.status()).as("listed origin").isEqualTo(101);
        soft.assertThat(none.status()).as("no Origin (a service, not a browser)").isEqualTo(101);
        soft.assertThat(sse.status()).as("SSE from an unlisted origin").isEqualTo(403);
        soft.assertThat(defaultGateway).as("unlisted origin where allowed-origins is left at *").isEqualTo(101);
        soft.assertAll();
    }

    @Test
    void theAdminEndpointsAreNeverReachableAnonymously() throws Exception {
        Results results = new Results("security-anonymous");
        String base = restricted.httpUrl();
        // what there is to protect, made as an administrator through the other gateway (same Redis)
        assertThat(tlsRest("PUT", "/v1/topics/prices/btc?type=JSON", "application/json", "{\"usd\":1}")).isEqualTo(200);
        assertThat(tlsRest("PUT", "/v1/views/usd", "text/plain", "map ?prices/ to views/<path(1)>/usd as <value(/usd)>")).isIn(200, 201);
        String role = "{\"defaultPathPermissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\",\"UPDATE_TOPIC\",\"MODIFY_TOPIC\"],"
                + "\"globalPermissions\":[\"MODIFY_SECURITY\",\"VIEW_SECURITY\",\"CONTROL_SERVER\"]}";
        List<String[]> calls = List.of(
                new String[] {"GET", "/v1/security/roles", null},
                new String[] {"GET", "/v1/security/roles/ADMINISTRATOR", null},
                new String[] {"PUT", "/v1/security/roles/CLIENT", role},
                new String[] {"PUT", "/v1/security/roles/NEWROLE", role},
                new String[] {"DELETE", "/v1/security/roles/CLIENT", null},
                new String[] {"GET", "/v1/security/principals/admin", null},
                new String[] {"PUT", "/v1/security/principals/anonymous", "{\"pathPermissions\":{\"\":[\"MODIFY_TOPIC\"]}}"},
                new String[] {"DELETE", "/v1/security/principals/admin", null},
                new String[] {"PUT", "/v1/views/takeover", "map ?prices// to views/<path(1)>"},
                new String[] {"DELETE", "/v1/views/usd", null},
                new String[] {"PUT", "/v1/topics/prices/btc?type=JSON", "{\"usd\":1}"},
                new String[] {"DELETE", "/v1/topics/prices/btc", null},
                new String[] {"DELETE", "/v1/topics/prices?descendants=true", null},
                new String[] {"DELETE", "/v1/topics/no/such/topic", null});
        SoftAssertions soft = new SoftAssertions();
        Map<String, Object> answers = new LinkedHashMap<>();
        for (String[] c : calls) {
            Map<String, String> headers = c[2] == null ? Map.of() : Map.of("Content-Type", c[1].startsWith("/v1/views") ? "text/plain" : "application/json");
            Http.Answer a = Http.send(c[0], base + c[1], headers, c[2] == null ? null : c[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            answers.put(c[0] + " " + c[1], a.status());
            soft.assertThat(a.status()).as("%s %s anonymously: %s", c[0], c[1], a.body()).isIn(401, 403);
            soft.assertThat(a.isJsonObject()).as("%s %s: a JSON {code, message}", c[0], c[1]).isTrue();
            Http.Answer forged = Http.send(c[0], base + c[1], merge(headers, Map.of("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbIkFETUlOSVNUUkFUT1IiXX0.")),
                    c[2] == null ? null : c[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            soft.assertThat(forged.status()).as("%s %s with an unsigned token claiming ADMINISTRATOR", c[0], c[1]).isEqualTo(401);
        }
        results.put("anonymousAdminCalls", answers);
        // The shape of Quarkus' path-authorization bypasses (CVE-2026-39852, CVE-2026-50559: a matrix
        // parameter, plain or encoded, or an encoded slash, so that the check and the router see two
        // paths). The gateway uses no Quarkus path policies, only checks in its resources on the path
        // the router matched; these variants must still be refused, or match nothing.
        List<String[]> variants = List.of(
                new String[] {"GET", "/v1/security/roles;x", null},
                new String[] {"GET", "/v1/security/roles%3Bx", null},
                new String[] {"GET", "/v1/security%2Froles", null},
                new String[] {"PUT", "/v1/security/roles/NEWROLE;x", role},
                new String[] {"PUT", "/v1/security/roles/NEWROLE%3Bx", role},
                new String[] {"DELETE", "/v1/topics/prices/btc;x", null},
                new String[] {"DELETE", "/v1/topics/prices%2Fbtc", null},
                new String[] {"DELETE", "/v1/views/usd;x", null});
        Map<String, Object> variantAnswers = new LinkedHashMap<>();
        for (String[] c : variants) {
            Map<String, String> headers = c[2] == null ? Map.of() : Map.of("Content-Type", "application/json");
            Http.Answer a = Http.send(c[0], base + c[1], headers, c[2] == null ? null : c[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            variantAnswers.put(c[0] + " " + c[1], a.status());
            soft.assertThat(a.status()).as("%s %s anonymously: %s", c[0], c[1], a.body()).isBetween(400, 499);
        }
        results.put("anonymousAdminCallsWithMatrixOrEncodedPaths", variantAnswers);

        // and over the WebSocket: an anonymous CLIENT may read, not write
        try (JsonWebSocket ws = JsonWebSocket.connect(restricted.wsUrl() + "/v1/ws")) {
            for (Map<String, Object> request : List.<Map<String, Object>>of(
                    Map.of("op", "add", "topic", "prices/x", "spec", "JSON"),
                    Map.of("op", "set", "topic", "prices/btc", "value", Map.of("usd", 2)),
                    Map.of("op", "remove", "selector", "?prices//"))) {
                JsonNode reply = ws.call(request);
                results.put("anonymous " + request.get("op"), reply.toString());
                soft.assertThat(reply.path("code").asText()).as("anonymous %s: %s", request.get("op"), reply).isEqualTo("PERMISSION_DENIED");
            }
            JsonNode forged = ws.call(Map.of("op", "auth", "token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbIkFETUlOSVNUUkFUT1IiXX0."));
            soft.assertThat(forged.path("code").asText()).as("auth with an unsigned token: %s", forged).isEqualTo("UNAUTHENTICATED");
        }
        // nothing changed
        soft.assertThat(tlsRest("GET", "/v1/topics/prices/btc", null, null)).as("prices/btc is still there").isEqualTo(200);
        soft.assertThat(tlsRest("GET", "/v1/views/usd", null, null)).as("the view is still there").isEqualTo(200);
        soft.assertThat(tlsRest("GET", "/v1/security/roles/NEWROLE", null, null)).as("no role NEWROLE was made").isEqualTo(404);
        results.write();
        soft.assertAll();
    }

    /** A REST call as the administrator through the TLS gateway; its status. */
    private static int tlsRest(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + path)).timeout(Duration.ofSeconds(10));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return tlsClient.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void theGatewayServesWssWithASelfSignedCertificateAndRefusesPlainWs() throws Exception {
        Results results = new Results("security-tls");
        WssAnswer wss = wss(Map.of()).join();
        results.put("wssUpgrade", wss.status);
        results.put("wssPingReply", wss.reply);

        HttpResponse<String> health = tlsClient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        results.put("httpsHealth", health.statusCode());

        // plain ws:// on the HTTP port: nothing listens (insecure requests disabled)
        String plain = outcome(() -> JsonWebSocket.connect("ws://127.0.0.1:" + tlsPlainPort + "/v1/ws"));
        // plain ws:// spoken to the TLS port: no WebSocket either
        String plainOnTlsPort = outcome(() -> JsonWebSocket.connect("ws://127.0.0.1:" + tlsPort + "/v1/ws"));
        // a client that does not trust the certificate
        String untrusted = outcome(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + tlsPort + "/v1/ws"), new WebSocket.Listener() { }).join());
        results.put("plainWsOnHttpPort", plain);
        results.put("plainWsOnTlsPort", plainOnTlsPort);
        results.put("wssWithoutTrustingTheCertificate", untrusted);
        results.write();

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(wss.status).as("wss:// upgrade").isEqualTo(101);
        soft.assertThat(wss.reply).as("a ping over wss://").contains("\"pong\"");
        soft.assertThat(health.statusCode()).isEqualTo(200);
        soft.assertThat(plain).as("ws:// on the HTTP port").startsWith("refused");
        soft.assertThat(plainOnTlsPort).as("ws:// on the TLS port").startsWith("refused");
        soft.assertThat(untrusted).as("wss:// without trusting the certificate").startsWith("refused");
        soft.assertAll();
    }

    private record WssAnswer(int status, String reply) {
    }

    /** Opens wss:// to the TLS gateway (trusting its certificate), pings, and closes. */
    private static CompletableFuture<WssAnswer> wss(Map<String, String> headers) {
        LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        WebSocket.Builder builder = tlsClient.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        return builder.buildAsync(URI.create("wss://127.0.0.1:" + tlsPort + "/v1/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                inbox.add(data.toString());
                webSocket.request(1);
                return null;
            }
        }).thenApply(ws -> {
            ws.sendText("{\"op\":\"ping\",\"id\":\"p\"}", true).join();
            String reply;
            try {
                reply = inbox.poll(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = null;
            }
            ws.abort();
            return new WssAnswer(101, String.valueOf(reply));
        }).exceptionally(e -> new WssAnswer(-1, e.toString()));
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    /** "connected" when the attempt succeeds, "refused: <why>" when it throws. */
    private static String outcome(Attempt attempt) {
        try {
            Object result = attempt.run();
            if (result instanceof AutoCloseable c) {
                c.close();
            }
            return "connected";
        } catch (Exception | AssertionError e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return "refused: " + (cause instanceof ConnectException ? "connection refused" : cause.toString());
        }
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }
}
