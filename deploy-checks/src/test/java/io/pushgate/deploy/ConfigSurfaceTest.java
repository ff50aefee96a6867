package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a service reads: the scanner of configuration interfaces, the naming rules, and the real services. */
class ConfigSurfaceTest {

    private static final String MAPPING = """
            package x;

            import io.smallrye.config.ConfigMapping;
            import io.smallrye.config.WithDefault;
            import io.smallrye.config.WithName;
            import io.smallrye.config.WithParentName;

            /** Braces in comments { and strings are not code. */
            @ConfigMapping(prefix = "shop")
            public interface ShopConfig extends Common {

                /** The port; } */
                @WithDefault("8080")
                int httpPort();

                @WithDefault("{not a body;}")
                String pattern();

                java.util.Optional<Payments> payments();

                java.util.Map<String, Client> clients();

                Map<String, String> labels();

                java.util.List<Backend> backends();

                List<String> tags();

                @WithName("url-of-api")
                java.net.URI apiUrl();

                @WithParentName
                Tuning tuning();

                default String describe() {
                    return "a shop; with braces {}";
                }

                static ShopConfig none() {
                    return null;
                }

                interface Payments {
                    @WithDefault("3")
                    int maxRetries();
                }

                interface Client {
                    Optional<String> secret();
                }

                interface Backend {
                    String host();
                }
            }

            interface Common {
                boolean enabled();
            }

            interface Tuning {
                java.time.Duration idleTimeout();
            }

            class Elsewhere {
                Elsewhere(@ConfigProperty(name = "legacy.flag", defaultValue = "x)") String flag) {
                    ConfigProvider.getConfig().getValue("legacy.other", String.class);
                }
            }
            """;

    @Test
    void aMappingInterfaceYieldsEveryPropertyItDeclares() {
        ConfigMappingScanner.Declared declared = ConfigMappingScanner.scanSource(MAPPING);
        assertThat(declared.prefixes()).containsExactly("shop");
        assertThat(declared.properties()).containsExactlyInAnyOrder(
                "shop.enabled", "shop.http-port", "shop.pattern", "shop.payments.max-retries", "shop.clients.*.secret",
                "shop.labels.*", "shop.backends[*].host", "shop.tags", "shop.url-of-api", "shop.idle-timeout",
                "legacy.flag", "legacy.other");
    }

    @Test
    void eachDefaultIsReadWithItsProperty() {
        assertThat(ConfigMappingScanner.scanSource(MAPPING).defaults()).containsOnly(
                java.util.Map.entry("shop.http-port", "8080"),
                java.util.Map.entry("shop.pattern", "{not a body;}"),
                java.util.Map.entry("shop.payments.max-retries", "3"));
        assertThat(ConfigMappingScanner.scanSource("""
                @ConfigMapping(prefix = "q")
                interface Q {
                    @WithDefault("a \\"quoted\\" \\\\ value")
                    String text();
                }
                """).defaults()).containsOnly(java.util.Map.entry("q.text", "a \"quoted\" \\ value"));
    }

    /** What a service does when nothing sets a property: its application.properties' value, else its @WithDefault. */
    @Test
    void aServicesValueOfAnUnsetPropertyIsItsOwnOrItsDefault() {
        ServiceModule feeder = Repository.get().services().get("data-feeder");
        assertThat(feeder.valueWhenUnset("feeder.security.issuers")).contains("http://localhost:8081");
        assertThat(feeder.valueWhenUnset("feeder.control.roles")).contains("TOPIC_CONTROL,ADMINISTRATOR");
        assertThat(feeder.valueWhenUnset("feeder.security.audience")).isEmpty();
        ServiceModule gateway = Repository.get().services().get("topic-gateway");
        // its application.properties sets it (no profile); the %test value is not what a deployment gets
        assertThat(gateway.properties()).containsEntry("gateway.security.issuers", "http://localhost:8081");
        assertThat(gateway.valueWhenUnset("gateway.security.issuers")).contains("http://localhost:8081");
    }

    @Test
    void methodNamesBecomeKebabCase() {
        assertThat(ConfigMappingScanner.kebab("maxFrameBytes")).isEqualTo("max-frame-bytes");
        assertThat(ConfigMappingScanner.kebab("issuers")).isEqualTo("issuers");
        assertThat(ConfigMappingScanner.kebab("signingKeyPEM")).isEqualTo("signing-key-pem");
        assertThat(ConfigMappingScanner.kebab("httpURLTimeout")).isEqualTo("http-url-timeout");
    }

    @Test
    void environmentVariablesMatchPropertiesByMicroProfileRules() {
        ConfigSurface shop = new ConfigSurface("shop", Set.of("shop.http-port", "quoted.\"io.x\".level"),
                List.of("shop.clients.*.secret", "shop.backends[*].host"), Set.of("SHOP_SECRET"));
        assertThat(shop.reads("SHOP_HTTP_PORT")).isTrue();
        assertThat(shop.reads("shop.http-port")).isTrue();
        assertThat(shop.reads("QUOTED__IO_X__LEVEL")).isTrue();
        assertThat(shop.reads("SHOP_CLIENTS_BACKEND_APP_SECRET")).isTrue();
        assertThat(shop.reads("SHOP_BACKENDS_0__HOST")).isTrue();
        assertThat(shop.reads("SHOP_SECRET")).isTrue();
        assertThat(shop.reads("QUARKUS_ANYTHING_AT_ALL")).isTrue();
        assertThat(shop.reads("SHOP_HTTP_PORTS")).isFalse();
        assertThat(shop.reads("SHOP_CLIENTS_SECRET")).isFalse();
        assertThat(shop.reads("SHOP_PORT")).isFalse();
        assertThat(shop.suggestionsFor("SHOP_PORT")).contains("SHOP_HTTP_PORT");
    }

    @Test
    void theServicesAreTheModulesWithAnApplicationProperties() {
        Repository repository = Repository.get();
        assertThat(repository.modules()).contains("topic-gateway", "auth-service", "deploy-checks");
        assertThat(repository.services()).containsKeys("topic-gateway", "auth-service")
                .doesNotContainKeys("protocol", "test-support", "gateway-client", "deploy-checks");
        assertThat(repository.services().get("topic-gateway").port()).isEqualTo(8080);
        assertThat(repository.services().get("auth-service").port()).isEqualTo(8081);
    }

    /** The configuration that deployments rely on (docs/protocol.md) is read where the contract says. */
    @Test
    void theServicesReadTheConfigurationDeploymentsRelyOn() {
        ConfigSurface gateway = Repository.get().services().get("topic-gateway").config();
        assertThat(gateway.propertyFor("GATEWAY_SECURITY_ISSUERS")).contains("gateway.security.issuers");
        assertThat(gateway.propertyFor("GATEWAY_SECURITY_ANONYMOUS_ROLES")).contains("gateway.security.anonymous-roles");
        assertThat(gateway.reads("QUARKUS_REDIS_HOSTS")).isTrue();
        assertThat(gateway.reads("GATEWAY_SECURITY_ISSUER")).isFalse();
        ConfigSurface auth = Repository.get().services().get("auth-service").config();
        assertThat(auth.propertyFor("AUTH_ISSUER")).contains("auth.issuer");
        assertThat(auth.propertyFor("AUTH_ADMIN_PASSWORD")).contains("auth.admin-password");
        assertThat(auth.reads("AUTH_ADMIN_PASSWORDS")).isFalse();
    }
}
