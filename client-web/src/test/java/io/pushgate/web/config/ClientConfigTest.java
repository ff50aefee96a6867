package io.pushgate.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void baseUrlsLoseTheirTrailingSlash() {
        assertThat(ClientConfig.baseUrl("k", "http://gw.example:8080/")).isEqualTo("http://gw.example:8080");
        assertThat(ClientConfig.baseUrl("k", " https://example.com/pushgate// ")).isEqualTo("https://example.com/pushgate");
    }

    @Test
    void theWebSocketUrlFollowsTheScheme() {
        assertThat(ClientConfig.webSocketUrl("http://127.0.0.1:8080")).isEqualTo("ws://127.0.0.1:8080");
        assertThat(ClientConfig.webSocketUrl("https://example.com/pushgate")).isEqualTo("wss://example.com/pushgate");
        assertThat(ClientConfig.webSocketUrl("HTTPS://example.com")).isEqualTo("wss://example.com");
    }

    @Test
    void whatIsNotAnAbsoluteHttpUrlIsRefusedWithTheKey() {
        assertThatThrownBy(() -> ClientConfig.baseUrl("web.gateway-url", "localhost:8080"))
                .hasMessageContaining("web.gateway-url");
        assertThatThrownBy(() -> ClientConfig.baseUrl("web.auth-url", "ws://localhost:8081"))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> ClientConfig.baseUrl("web.auth-url", "http://localhost:8081/?x=1"))
                .hasMessageContaining("query");
        assertThatThrownBy(() -> ClientConfig.baseUrl("web.auth-url", "http://exa mple"))
                .hasMessageContaining("not a URL");
    }
}
