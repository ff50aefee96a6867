package io.pushgate.deploy;

import static io.pushgate.deploy.ComposeFile.asList;
import static io.pushgate.deploy.ComposeFile.asMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose.yaml (which `docker compose config` cannot check here, having no Docker engine):
 * every service is healthy-checked and waited for, configured only with variables it reads, built
 * from the shared Dockerfile, and holds no secret.
 */
class ComposeTest {

    private static final Pattern PUSHGATE_IMAGE = Pattern.compile("^(?:[^/]+/)*pushgate/([a-z0-9._-]+)(?::.*)?$");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|PEM|PRIVATE|CREDENTIAL).*");

    private static Repository repository;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void read() {
        repository = Repository.get();
        services = ComposeFile.read(repository.deploy().resolve("compose.yaml")).services();
    }

    @Test
    void startsRedisAndTheSameServicesAsKubernetes() {
        assertThat(services).containsKey("redis");
        Set<String> started = services.values().stream()
                .filter(s -> profiles(s).isEmpty())
                .map(ComposeTest::module).flatMap(Optional::stream)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        Set<String> deployed = Manifests.render(repository.deploy().resolve("k8s/base")).workloads().stream()
                .flatMap(w -> w.template().getSpec().getContainers().stream())
                .map(c -> PUSHGATE_IMAGE.matcher(c.getImage()))
                .filter(Matcher::matches).map(m -> m.group(1))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(started).as("services compose starts by default, against those deploy/k8s/base deploys")
                .contains("topic-gateway", "auth-service").isEqualTo(deployed);
    }

    @Test
    void everyServiceHasAHealthcheck() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> {
            Map<String, Object> check = asMap(s.get("healthcheck"));
            List<Object> test = check.get("test") instanceof String t ? List.of(t) : asList(check.get("test"));
            if (test.isEmpty() || "NONE".equals(test.get(0)) || Boolean.TRUE.equals(check.get("disable"))) {
                problems.add(name + " has no healthcheck");
            }
        });
        Problems.assertNone("deploy/compose.yaml", problems);
    }

    @Test
    void servicesWaitForWhatTheyNeedToBeHealthy() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> {
            Object dependsOn = s.get("depends_on");
            if (dependsOn instanceof List<?> list && !list.isEmpty()) {
                problems.add(name + ": depends_on is a list, which waits for a start, not for health; use condition: service_healthy");
            }
            asMap(dependsOn).forEach((target, spec) -> {
                if (!"service_healthy".equals(asMap(spec).get("condition"))) {
                    problems.add(name + ": depends on " + target + " without condition: service_healthy");
                }
                Map<String, Object> other = services.get(target);
                if (other == null) {
                    problems.add(name + ": depends on " + target + ", which is not a service");
                } else if (!profiles(other).isEmpty() && !profiles(other).containsAll(profiles(s))) {
                    problems.add(name + ": depends on " + target + ", which starts only with the profile(s) " + profiles(other));
                }
            });
        });
        Problems.assertNone("deploy/compose.yaml", problems);
    }

    @Test
    void everyPushgateServiceIsAServiceModuleBuiltFromTheSharedDockerfile() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> {
            Optional<String> module = module(s);
            if (module.isEmpty()) {
                return;
            }
            ServiceModule service = repository.services().get(module.get());
            if (service == null) {
                // a service made ready before its module is complete may wait under a profile
                if (profiles(s).isEmpty()) {
                    problems.add(name + ": image " + s.get("image") + " names no service module " + repository.services().keySet());
                }
                return;
            }
            Map<String, Object> build = asMap(s.get("build"));
            Map<String, Object> args = asMap(build.get("args"));
            Path context = repository.deploy().resolve(String.valueOf(build.getOrDefault("context", "."))).normalize();
            Path dockerfile = context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"))).normalize();
            if (!dockerfile.equals(repository.deploy().resolve("docker/Dockerfile.jvm"))) {
                problems.add(name + ": is not built from deploy/docker/Dockerfile.jvm with the repository root as context (" + dockerfile + ")");
            }
            if (!module.get().equals(String.valueOf(args.get("MODULE")))) {
                problems.add(name + ": build arg MODULE is " + args.get("MODULE") + ", not " + module.get());
            }
            String port = String.valueOf(service.port());
            if (!port.equals(String.valueOf(args.get("PORT")))) {
                problems.add(name + ": build arg PORT is " + args.get("PORT") + ", but " + module.get() + " listens on " + port);
            }
            for (Object mapping : asList(s.get("ports"))) {
                String containerPort = ComposeFile.withDefaults(String.valueOf(mapping)).replaceFirst("^.*:", "").replaceFirst("/.*$", "");
                if (!containerPort.equals(port)) {
                    problems.add(name + ": publishes container port " + containerPort + ", but " + module.get() + " listens on " + port);
                }
            }
        });
        Problems.assertNone("deploy/compose.yaml", problems);
    }

    @Test
    void everyEnvironmentVariableIsAPropertyTheServiceReads() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> module(s).map(repository.services()::get).ifPresent(service -> {
            for (String variable : ComposeFile.environment(s).keySet()) {
                if (!service.config().reads(variable)) {
                    problems.add(name + ": sets " + variable + ", which " + service.name() + " does not read (closest it reads: "
                            + service.config().suggestionsFor(variable) + ")");
                }
            }
            if (s.containsKey("env_file")) {
                problems.add(name + ": env_file hides which variables it sets; list them under environment");
            }
        }));
        Problems.assertNone("deploy/compose.yaml", problems);
    }

    @Test
    void noSecretIsCommitted() throws IOException {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> ComposeFile.environment(s).forEach((variable, value) -> {
            if (SECRET_NAME.matcher(variable).matches() && value != null) {
                ComposeFile.literalPart(value).filter(literal -> !literal.isBlank()).ifPresent(literal -> problems.add(
                        name + ": " + variable + " holds a committed value; take it from the environment or deploy/.env (${"
                                + variable + ":?...})"));
            }
        }));
        Path example = repository.deploy().resolve(".env.example");
        for (String line : Files.readAllLines(example)) {
            String trimmed = line.trim();
            int eq = trimmed.indexOf('=');
            if (!trimmed.startsWith("#") && eq > 0 && SECRET_NAME.matcher(trimmed.substring(0, eq)).matches()
                    && !trimmed.substring(eq + 1).isBlank()) {
                problems.add("deploy/.env.example: " + trimmed.substring(0, eq) + " has a value; leave secrets empty there");
            }
        }
        assertThat(Files.readString(repository.deploy().resolve(".gitignore")).lines()).as("deploy/.gitignore").contains(".env");
        Problems.assertNone("deploy/compose.yaml", problems);
    }

    @Test
    void theAuthServiceRefusesToStartWithoutAnAdminPassword() {
        Map<String, Object> auth = services.get("auth-service");
        assertThat(ComposeFile.environment(auth).get("AUTH_ADMIN_PASSWORD")).as("AUTH_ADMIN_PASSWORD").matches("\\$\\{AUTH_ADMIN_PASSWORD:\\?.+}");
    }

    @Test
    void theGatewayTrustsTheAuthServicesIssuer() {
        String issuer = ComposeFile.withDefaults(ComposeFile.environment(services.get("auth-service")).get("AUTH_ISSUER"));
        String trusted = ComposeFile.withDefaults(ComposeFile.environment(services.get("topic-gateway")).get("GATEWAY_SECURITY_ISSUERS"));
        Set<String> issuers = Stream.of(trusted.split(",")).map(String::trim).collect(Collectors.toSet());
        assertThat(issuers).as("GATEWAY_SECURITY_ISSUERS").contains(issuer);
        // the gateway fetches the issuer's discovery document: the URL must name a compose service
        assertThat(services).containsKey(issuer.replaceFirst("^https?://", "").replaceFirst("[:/].*$", ""));
    }

    @Test
    void theGatewayIsGivenTimeToDrainOnStop() {
        Map<String, Object> gateway = services.get("topic-gateway");
        assertThat(ComposeFile.environment(gateway)).as("QUARKUS_SHUTDOWN_TIMEOUT holds every stop for its whole length once a"
                + " WebSocket was open (docs/reliability.md, finding 1)").doesNotContainKey("QUARKUS_SHUTDOWN_TIMEOUT");
        // the gateway waits up to 5 s for its clients to go (GatewayCore.drain), then the shutdown delay
        Duration drain = Durations.parse(ComposeFile.environment(gateway).get("QUARKUS_SHUTDOWN_DELAY"))
                .orElseThrow(() -> new AssertionError("topic-gateway sets no QUARKUS_SHUTDOWN_DELAY"))
                .plusSeconds(5);
        Duration grace = Durations.parse(String.valueOf(gateway.get("stop_grace_period")))
                .orElseThrow(() -> new AssertionError("topic-gateway has no stop_grace_period (Compose's default is 10 s)"));
        assertThat(grace).as("stop_grace_period").isGreaterThan(drain);
    }

    @Test
    void keycloakIsAnOptionalProfileWithTheDemoRealm() {
        Map<String, Object> keycloak = services.get("keycloak");
        assertThat(keycloak).as("a keycloak service").isNotNull();
        assertThat(keycloak.get("image")).isEqualTo("quay.io/keycloak/keycloak:26.4.7");
        assertThat(profiles(keycloak)).containsExactly("keycloak");
        assertThat(asList(keycloak.get("command"))).contains("start-dev", "--import-realm");
        assertThat(asList(keycloak.get("volumes"))).anySatisfy(v -> assertThat(String.valueOf(v)).startsWith("./keycloak:/opt/keycloak/data/import"));
        assertThat(repository.deploy().resolve("keycloak")).isDirectoryContaining("glob:**.json");
        services.forEach((name, s) -> assertThat(asMap(s.get("depends_on"))).as(name + " depends_on").doesNotContainKey("keycloak"));
    }

    private static Optional<String> module(Map<String, Object> service) {
        Matcher image = PUSHGATE_IMAGE.matcher(String.valueOf(service.get("image")));
        if (image.matches()) {
            return Optional.of(image.group(1));
        }
        Object arg = asMap(asMap(service.get("build")).get("args")).get("MODULE");
        return Optional.ofNullable(arg).map(String::valueOf);
    }

    private static List<String> profiles(Map<String, Object> service) {
        return asList(service.get("profiles")).stream().map(String::valueOf).toList();
    }
}
