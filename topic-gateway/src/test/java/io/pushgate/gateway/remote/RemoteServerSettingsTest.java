package io.pushgate.gateway.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration of remote servers as SmallRye Config maps it, and the checks that turn it into settings. */
class RemoteServerSettingsTest {

    private static Map<String, RemoteServersConfig.RemoteServer> mapped(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(RemoteServersConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus's "5s" form
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(RemoteServersConfig.class).servers();
    }

    private static RemoteServerSettings settings(String name, Map<String, String> properties) {
        return RemoteServerSettings.of(name, mapped(properties).get(name));
    }

    @Test
    void noRemoteServerIsConfiguredByDefault() {
        assertThat(mapped(Map.of())).isEmpty();
    }

    @Test
    void aServerWithOnlyItsUrlHasTheDocumentedDefaultsAndNoLogin() {
        RemoteServerSettings core = settings("core", Map.of("gateway.remote-servers.core.url", "ws://core:8080/v1/ws"));

        assertThat(core.urls()).containsExactly(URI.create("ws://core:8080/v1/ws"));
        assertThat(core.login()).isNull();
        assertThat(core.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(core.reconnectMinDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(core.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(core.pingInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(core.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aQuotedNameWithSpacesSeveralReplicasAndEveryTiming() {
        Map<String, String> p = new HashMap<>();
        p.put("gateway.remote-servers.\"Remote Server 1\".url", "ws://core-a:8080/v1/ws, http://core-b:8080");
        p.put("gateway.remote-servers.\"Remote Server 1\".token", "eyJ.token");
        p.put("gateway.remote-servers.\"Remote Server 1\".connect-timeout", "2s");
        p.put("gateway.remote-servers.\"Remote Server 1\".reconnect-min-delay", "100ms");
        p.put("gateway.remote-servers.\"Remote Server 1\".reconnect-max-delay", "3s");
        p.put("gateway.remote-servers.\"Remote Server 1\".ping-interval", "0s");
        p.put("gateway.remote-servers.\"Remote Server 1\".request-timeout", "1s");
        p.put("gateway.remote-servers.edge2.url", "wss://edge2.example/v1/ws");

        assertThat(mapped(p)).containsOnlyKeys("Remote Server 1", "edge2");
        RemoteServerSettings s = settings("Remote Server 1", p);
        assertThat(s.urls()).containsExactly(URI.create("ws://core-a:8080/v1/ws"), URI.create("http://core-b:8080"));
        assertThat(s.login()).isEqualTo(new RemoteServerSettings.Login.Token("eyJ.token"));
        assertThat(s.toString()).doesNotContain("eyJ.token");
        assertThat(List.of(s.connectTimeout(), s.reconnectMinDelay(), s.reconnectMaxDelay(), s.pingInterval(), s.requestTimeout()))
                .containsExactly(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(3), Duration.ZERO, Duration.ofSeconds(1));
    }

    @Test
    void aPrincipalLogsInAtItsTokenEndpointAndItsPasswordIsNeverShown() {
        RemoteServerSettings s = settings("core", Map.of(
                "gateway.remote-servers.core.url", "ws://core:8080",
                "gateway.remote-servers.core.principal", "edge-1",
                "gateway.remote-servers.core.password", "s3cret",
                "gateway.remote-servers.core.token-url", "http://core-auth:8081/v1/token",
                "gateway.remote-servers.core.client-id", "pushgate-edge"));

        assertThat(s.login()).isInstanceOfSatisfying(RemoteServerSettings.Login.Password.class, login -> {
            assertThat(login.principal()).isEqualTo("edge-1");
            assertThat(login.tokenUrl()).isEqualTo(URI.create("http://core-auth:8081/v1/token"));
            assertThat(login.clientId()).contains("pushgate-edge");
        });
        assertThat(s.toString()).contains("edge-1").doesNotContain("s3cret");
    }

    @Test
    void thePasswordMayComeFromTheEnvironment() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(RemoteServersConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(
                        "gateway.remote-servers.core.url", "ws://core:8080",
                        "gateway.remote-servers.core.principal", "edge-1",
                        "gateway.remote-servers.core.token-url", "http://core-auth:8081/v1/token"), "test", 100))
                .withSources(new EnvConfigSource(Map.of("GATEWAY_REMOTE_SERVERS_CORE_PASSWORD", "from-env"), 300))
                .build();
        RemoteServerSettings s = RemoteServerSettings.of("core", config.getConfigMapping(RemoteServersConfig.class).servers().get("core"));

        assertThat(((RemoteServerSettings.Login.Password) s.login()).password()).isEqualTo("from-env");
    }

    @Test
    void badSettingsAreRefusedNamingTheProperty() {
        String p = "gateway.remote-servers.core.";
        // SmallRye itself refuses an empty or missing url, naming it
        assertThatThrownBy(() -> mapped(Map.of(p + "url", ""))).hasMessageContaining("gateway.remote-servers.core.url");
        assertThatThrownBy(() -> mapped(Map.of(p + "token", "t"))).hasMessageContaining("gateway.remote-servers.core.url");
        assertRefused(Map.of(p + "url", "ftp://core/x"), "gateway.remote-servers.\"core\".url must be an absolute ws/wss/http/https URL");
        assertRefused(Map.of(p + "url", "core:8080"), "url must be an absolute");
        assertRefused(Map.of(p + "url", "ws://core", p + "token", "t", p + "principal", "edge"), "token and gateway.remote-servers.\"core\".principal are both set");
        assertRefused(Map.of(p + "url", "ws://core", p + "principal", "edge", p + "token-url", "http://a/t"), "principal needs gateway.remote-servers.\"core\".password");
        assertRefused(Map.of(p + "url", "ws://core", p + "principal", "edge", p + "password", "pw"), "principal needs gateway.remote-servers.\"core\".token-url");
        assertRefused(Map.of(p + "url", "ws://core", p + "password", "pw"), "password and token-url need");
        assertRefused(Map.of(p + "url", "ws://core", p + "principal", "e", p + "password", "pw", p + "token-url", "ws://a/t"), "token-url must be an absolute http/https URL");
        assertRefused(Map.of(p + "url", "ws://core", p + "connect-timeout", "0s"), "connect-timeout must be positive");
        assertRefused(Map.of(p + "url", "ws://core", p + "reconnect-min-delay", "5s", p + "reconnect-max-delay", "1s"), "reconnect-max-delay (PT1S) is shorter than reconnect-min-delay (PT5S)");
        assertRefused(Map.of(p + "url", "ws://core", p + "ping-interval", "-1s"), "ping-interval must not be negative");
        assertRefused(Map.of(p + "url", "ws://core", p + "request-timeout", "0s"), "request-timeout must be positive");
    }

    private static void assertRefused(Map<String, String> properties, String message) {
        assertThatThrownBy(() -> settings("core", properties)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
