package io.pushgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token introspection is off unless configured, and can be configured through environment variables alone (as deployments do). */
class GatewayConfigIntrospectionTest {

    private static GatewayConfig fromEnvironment(Map<String, String> variables) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(variables, 300))
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus's "5s" form
                .withMapping(GatewayConfig.class)
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }

    @Test
    void offByDefault() {
        assertThat(fromEnvironment(Map.of()).security().introspection()).isEmpty();
    }

    @Test
    void anIssuerIsIntrospectedWithEnvironmentVariablesAloneAndTheDefaultsFillTheRest() {
        GatewayConfig config = fromEnvironment(Map.of(
                "GATEWAY_SECURITY_ISSUERS", "http://keycloak:8180/realms/pushgate",
                "GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_ISSUER", "http://keycloak:8180/realms/pushgate",
                "GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_URL",
                "http://keycloak:8180/realms/pushgate/protocol/openid-connect/token/introspect",
                "GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_CLIENT_ID", "pushgate-gateway",
                "GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_CLIENT_SECRET", "from-the-environment",
                "GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_RECHECK_INTERVAL", "10s"));
        assertThat(config.security().introspection()).containsOnlyKeys("keycloak");
        GatewayConfig.Introspection keycloak = config.security().introspection().get("keycloak");
        assertThat(keycloak.issuer()).isEqualTo("http://keycloak:8180/realms/pushgate");
        assertThat(keycloak.url()).endsWith("/token/introspect");
        assertThat(keycloak.clientId()).isEqualTo("pushgate-gateway");
        assertThat(keycloak.clientSecret()).isEqualTo("from-the-environment");
        assertThat(keycloak.recheckInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(keycloak.cacheTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(keycloak.grace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(keycloak.timeout()).isEqualTo(Duration.ofSeconds(5));
    }
}
