package io.pushgate.backend.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.pushgate.backend.support.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-credentials token against a small token endpoint on 127.0.0.1. */
class TokenSourceTest {

    private HttpServer server;
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private volatile int status = 200;
    private volatile long lifetime = 3600;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T20:00:00Z"));
    private TokenSource tokens;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/token", exchange -> {
            forms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String body = status == 200
                    ? "{\"access_token\":\"" + TokenResponseTest.jwt("{\"sub\":\"backend-app\",\"n\":" + issued.incrementAndGet() + "}")
                            + "\",\"token_type\":\"Bearer\",\"expires_in\":" + lifetime + "}"
                    : "{\"code\":\"UNAUTHENTICATED\",\"message\":\"unknown client or wrong secret\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        tokens = TokenSource.clientCredentials(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "backend-app", "s3cret&=", Duration.ofSeconds(2), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void asksForATokenWithTheClientsCredentialsOnce() {
        String first = tokens.current().orElseThrow();
        assertThat(tokens.current()).contains(first);
        assertThat(forms).containsExactly("grant_type=client_credentials&client_id=backend-app&client_secret=s3cret%26%3D");
        assertThat(tokens.subject()).isEqualTo("backend-app");
    }

    @Test
    void renewsTheTokenAMinuteBeforeItExpires() {
        String first = tokens.current().orElseThrow();
        clock.advance(Duration.ofMinutes(58));
        assertThat(tokens.current()).contains(first);
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.current().orElseThrow()).isNotEqualTo(first);
        assertThat(issued).hasValue(2);
    }

    @Test
    void renewsAShortLivedTokenAtHalfItsLifetime() {
        lifetime = 60;
        String first = tokens.current().orElseThrow();
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.current()).contains(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.current().orElseThrow()).isNotEqualTo(first);
    }

    @Test
    void keepsAValidTokenWhenTheAuthServiceIsAwayAndFailsWithoutOne() {
        String first = tokens.current().orElseThrow();
        clock.advance(Duration.ofMinutes(59));
        server.stop(0);
        assertThat(tokens.current()).contains(first);
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> tokens.current()).isInstanceOf(GatewayException.class).hasMessageContaining("did not answer");
    }

    @Test
    void fetchesANewTokenAfterTheGatewayRefusedIt() {
        String first = tokens.current().orElseThrow();
        tokens.invalidate();
        assertThat(tokens.current().orElseThrow()).isNotEqualTo(first);
    }

    @Test
    void saysWhyTheAuthServiceRefused() {
        status = 401;
        assertThatThrownBy(() -> tokens.current()).isInstanceOf(GatewayException.class)
                .hasMessageContaining("refused client backend-app with 401: unknown client or wrong secret");
    }

    @Test
    void withoutAnAuthUrlThereIsNoToken() {
        assertThat(TokenSource.none().current()).isEmpty();
        assertThat(TokenSource.none().enabled()).isFalse();
    }
}
