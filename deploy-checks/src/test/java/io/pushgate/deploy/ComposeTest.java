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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/compose.yaml, alone and with deploy/compose.keycloak.yaml added (which `docker compose
 * config` cannot check here, having no Docker engine): every service module is started, healthy-checked
 * and waited for, configured only with variables it reads, built from the shared Dockerfile,
 * published on 127.0.0.1 only, and holds no secret; what a service calls is a service it waits for,
 * on its port; the web app's URLs are the published ports, with CORS for its origin.
 */
class ComposeTest {

    private static final Pattern PUSHGATE_IMAGE = Pattern.compile("^(?:[^/]+/)*pushgate/([a-z0-9._-]+)(?::.*)?$");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|PEM|PRIVATE|CREDENTIAL).*");

    private static final Pattern CALL = Pattern.compile("\\b(https?|wss?|rediss?)://([A-Za-z0-9_.-]+)(?::(\\d+))?");

    private static Repository repository;
    /** compose.yaml alone, which is what `docker compose up` starts. */
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void read() {
        repository = Repository.get();
        services = setup("compose.yaml");
    }

    /**
     * The ways to start it: compose.yaml alone, with the Keycloak file added, on a Redis Cluster
     * (compose.cluster.yaml), and with both, in either order.
     */
    static Stream<String> setups() {
        return Stream.of("compose.yaml", "compose.yaml + compose.keycloak.yaml", CLUSTER,
                CLUSTER + " + compose.keycloak.yaml", "compose.yaml + compose.keycloak.yaml + compose.cluster.yaml");
    }

    /** Every service on a Redis Cluster of six nodes instead of the single Redis. */
    static final String CLUSTER = "compose.yaml + compose.cluster.yaml";

    private static boolean onACluster(String setup) {
        return setup.contains("compose.cluster.yaml");
    }

    private static Map<String, Map<String, Object>> setup(String setup) {
        Path[] files = Stream.of(setup.split("\\s*\\+\\s*")).map(repository.deploy()::resolve).toArray(Path[]::new);
        return ComposeFile.read(files[0], java.util.Arrays.copyOfRange(files, 1, files.length)).services();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void startsRedisAndEveryServiceModule(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
        if (onACluster(setup)) {
            assertThat(clusterNodes(services)).as("the Redis Cluster's nodes in " + setup).hasSize(6);
            assertThat(services).as("the single Redis, which compose.cluster.yaml removes").doesNotContainKey("redis");
        } else {
            assertThat(services).containsKey("redis");
            assertThat(clusterNodes(services)).as("Redis Cluster nodes in " + setup).isEmpty();
        }
        Set<String> started = services.values().stream()
                .filter(s -> profiles(s).isEmpty())
                .map(ComposeTest::module).flatMap(Optional::stream)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(started).as("services " + setup + " starts by default, against the root pom's service modules")
                .isEqualTo(new java.util.TreeSet<>(repository.services().keySet()))
                .contains("topic-gateway", "auth-service", "redis-bridge", "data-feeder", "backend-app", "client-web");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void publishesEveryPortOnThisMachineOnly(String setup) {
        List<String> problems = new ArrayList<>();
        setup(setup).forEach((name, s) -> {
            for (Object mapping : asList(s.get("ports"))) {
                String published = ComposeFile.withDefaults(String.valueOf(mapping));
                if (!published.startsWith("127.0.0.1:")) {
                    problems.add(name + ": publishes " + mapping + " on every address; publish on 127.0.0.1 only (its /q/metrics and"
                            + " /q/health too would be reachable from the network)");
                }
            }
        });
        Problems.assertNone(setup, problems);
    }

    /**
     * A URL in a service's environment that names another compose service (an issuer, the gateway's
     * REST API, the auth-service's token endpoint) names it on the port it listens on, and the caller
     * waits for it to be healthy.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void whatAServiceCallsIsAServiceItWaitsForOnItsPort(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (var entry : services.entrySet()) {
            String name = entry.getKey();
            for (var variable : ComposeFile.environment(entry.getValue()).entrySet()) {
                Matcher url = CALL.matcher(ComposeFile.asStarted(String.valueOf(variable.getValue())));
                while (url.find()) {
                    String host = url.group(2);
                    Map<String, Object> target = services.get(host);
                    if (target == null || host.equals(name)) {
                        continue;
                    }
                    calls++;
                    Optional<Integer> port = listensOn(target);
                    if (url.group(3) == null || port.isEmpty() || port.get() != Integer.parseInt(url.group(3))) {
                        problems.add(name + ": " + variable.getKey() + " calls " + url.group() + ", but " + host + " listens on "
                                + port.map(String::valueOf).orElse("(unknown)"));
                    }
                    if (!"service_healthy".equals(asMap(asMap(entry.getValue().get("depends_on")).get(host)).get("condition"))) {
                        problems.add(name + ": " + variable.getKey() + " calls " + host + ", but it does not wait for " + host
                                + " (depends_on: " + host + ": condition: service_healthy)");
                    }
                }
            }
        }
        assertThat(calls).as("calls between services").isGreaterThanOrEqualTo(5);
        Problems.assertNone(setup, problems);
    }

    /** The port a compose service listens on inside the network: its module's, or a known image's. */
    private static Optional<Integer> listensOn(Map<String, Object> service) {
        Optional<Integer> module = module(service).map(repository.services()::get).map(ServiceModule::port);
        if (module.isPresent()) {
            return module;
        }
        return asList(service.get("command")).stream().map(String::valueOf).filter(a -> a.startsWith("--http-port="))
                .map(a -> Integer.parseInt(a.substring("--http-port=".length()))).findFirst()
                .or(() -> String.valueOf(service.get("image")).startsWith("redis:") ? Optional.of(6379) : Optional.empty());
    }

    /**
     * The browser reaches what the web app's /config.json names: each URL is http://localhost with
     * the port the service is published on, and the gateway, the auth-service and the data-feeder let
     * the web app's origin in (CORS; the bridge serves only a WebSocket, which CORS does not cover).
     */
    @Test
    void theWebAppPointsTheBrowserAtThePublishedPortsWhichAllowItsOrigin() {
        Map<String, String> web = ComposeFile.environment(services.get("client-web"));
        String webOrigin = "http://localhost:" + publishedPort(services.get("client-web"));
        List<String> problems = new ArrayList<>();
        for (ManifestChecks.WebCall call : ManifestChecks.WEB_CALLS) {
            String url = ComposeFile.withDefaults(web.getOrDefault(call.variable(), ""));
            Map<String, Object> target = services.values().stream().filter(s -> module(s).filter(call.module()::equals).isPresent())
                    .findFirst().orElseThrow();
            String expected = "http://localhost:" + publishedPort(target);
            if (!url.equals(expected)) {
                problems.add("client-web: " + call.variable() + " is " + url + "; the browser reaches " + call.module() + " at " + expected);
            }
            if (call.needsCors()) {
                Map<String, String> env = ComposeFile.environment(target);
                Set<String> origins = Stream.of(ComposeFile.withDefaults(env.getOrDefault("QUARKUS_HTTP_CORS_ORIGINS", "")).split(","))
                        .map(String::trim).collect(Collectors.toSet());
                if (!"true".equals(env.get("QUARKUS_HTTP_CORS_ENABLED")) || !origins.contains(webOrigin)) {
                    problems.add(call.module() + ": does not allow the web app's origin " + webOrigin + " in CORS"
                            + " (QUARKUS_HTTP_CORS_ENABLED, QUARKUS_HTTP_CORS_ORIGINS)");
                }
            }
        }
        Problems.assertNone("deploy/compose.yaml", problems);
    }

    private static String publishedPort(Map<String, Object> service) {
        return asList(service.get("ports")).stream().map(p -> ComposeFile.withDefaults(String.valueOf(p)).split(":"))
                .filter(parts -> parts.length >= 2).map(parts -> parts[parts.length - 2]).findFirst().orElse("(not published)");
    }

    @Test
    void theBackendAppGetsItsTokenWithTheSecretTheAuthServiceChecks() {
        Map<String, String> backend = ComposeFile.environment(services.get("backend-app"));
        Map<String, String> auth = ComposeFile.environment(services.get("auth-service"));
        assertThat(backend).containsEntry("BACKEND_GATEWAY_URL", "http://topic-gateway:8080")
                .containsEntry("BACKEND_AUTH_URL", "http://auth-service:8081")
                .containsEntry("BACKEND_CLIENT_ID", "backend-app");
        Matcher secret = ComposeFile.SUBSTITUTION.matcher(backend.get("BACKEND_CLIENT_SECRET"));
        assertThat(secret.matches()).as("BACKEND_CLIENT_SECRET is one ${...}").isTrue();
        assertThat(secret.group(2)).as("required (:?): without it no token").isEqualTo(":?");
        Matcher checked = ComposeFile.SUBSTITUTION.matcher(auth.get("BACKEND_APP_SECRET"));
        assertThat(checked.matches()).isTrue();
        assertThat(checked.group(1)).as("the auth-service checks the same variable").isEqualTo(secret.group(1));
        assertThat(checked.group(2)).isEqualTo(":?");
        assertThat(auth).containsEntry("AUTH_CLIENTS_BACKEND_APP_ROLES", "TOPIC_CONTROL,MODERATOR");
        // prices reach it: the bridge forwards the feeder's stream from its beginning
        assertThat(ComposeFile.environment(services.get("redis-bridge"))).containsEntry("BRIDGE_FORWARD_GROUP_START_ID", "0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void everyServiceHasAHealthcheck(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void servicesWaitForWhatTheyNeedToBeHealthy(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void everyPushgateServiceIsAServiceModuleBuiltFromTheSharedDockerfile(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void everyEnvironmentVariableIsAPropertyTheServiceReads(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void noSecretIsCommitted(String setup) throws IOException {
        Map<String, Map<String, Object>> services = setup(setup);
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
        // the gateway waits up to 5 s for its clients to go (wiring.GatewayLifecycle.drain), then the shutdown delay
        Duration drain = Durations.parse(ComposeFile.environment(gateway).get("QUARKUS_SHUTDOWN_DELAY"))
                .orElseThrow(() -> new AssertionError("topic-gateway sets no QUARKUS_SHUTDOWN_DELAY"))
                .plusSeconds(5);
        Duration grace = Durations.parse(String.valueOf(gateway.get("stop_grace_period")))
                .orElseThrow(() -> new AssertionError("topic-gateway has no stop_grace_period (Compose's default is 10 s)"));
        assertThat(grace).as("stop_grace_period").isGreaterThan(drain);
    }

    @Test
    void keycloakComesWithItsOwnFileAndTheGatewayIntrospectsItsTokens() {
        assertThat(services).as("compose.yaml alone").doesNotContainKey("keycloak");
        Map<String, String> alone = ComposeFile.environment(services.get("topic-gateway"));
        assertThat(IntrospectionEntries.of(alone)).as("introspection in compose.yaml alone").isEmpty();

        Map<String, Map<String, Object>> withKeycloak = setup("compose.yaml + compose.keycloak.yaml");
        Map<String, Object> keycloak = withKeycloak.get("keycloak");
        assertThat(keycloak).as("a keycloak service").isNotNull();
        assertThat(keycloak.get("image")).isEqualTo("quay.io/keycloak/keycloak:26.4.7");
        assertThat(asList(keycloak.get("command"))).contains("start-dev", "--import-realm");
        assertThat(asList(keycloak.get("volumes"))).anySatisfy(v -> assertThat(String.valueOf(v)).startsWith("./keycloak:/opt/keycloak/data/import"));
        assertThat(repository.deploy().resolve("keycloak")).isDirectoryContaining("glob:**.json");
        String issuer = ComposeFile.environment(keycloak).get("KC_HOSTNAME") + "/realms/pushgate";

        Map<String, String> gateway = new java.util.LinkedHashMap<>();
        ComposeFile.environment(withKeycloak.get("topic-gateway")).forEach((k, v) -> gateway.put(k, ComposeFile.asStarted(String.valueOf(v))));
        Map<String, String> raw = ComposeFile.environment(withKeycloak.get("topic-gateway"));
        Problems.assertNone("the gateway's introspection with compose.keycloak.yaml",
                IntrospectionEntries.problems("topic-gateway", gateway, v -> ComposeFile.fromTheEnvironment(raw.get(v))));
        assertThat(IntrospectionEntries.of(gateway)).containsOnlyKeys("KEYCLOAK");
        assertThat(IntrospectionEntries.of(gateway).get("KEYCLOAK")).containsEntry("ISSUER", issuer)
                .containsEntry("URL", issuer + "/protocol/openid-connect/token/introspect")
                .containsEntry("CLIENT_ID", "pushgate-gateway");
        assertThat(raw.get("GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_CLIENT_SECRET")).as("the client secret, required from deploy/.env")
                .matches("\\$\\{[A-Z_]+:\\?.+}");
        assertThat(gateway.get("GATEWAY_SECURITY_ISSUERS").split(",")).contains("http://auth-service:8081", issuer);
        // the realm's client exists
        assertThat(repository.deploy().resolve("keycloak/pushgate-realm.json")).content().contains("\"clientId\": \"pushgate-gateway\"");
        // who waits for Keycloak: those that fetch its keys (they trust its realm), and no other
        Set<String> trustingTheRealm = new java.util.TreeSet<>();
        Set<String> waitingForIt = new java.util.TreeSet<>();
        withKeycloak.forEach((name, s) -> {
            if (asMap(s.get("depends_on")).containsKey("keycloak")) {
                waitingForIt.add(name);
            }
            for (TrustedIssuers.Verifier verifier : TrustedIssuers.VERIFIERS) {
                if (module(s).filter(verifier.module()::equals).isPresent()
                        && TrustedIssuers.parse(ComposeFile.asStarted(ComposeFile.environment(s).getOrDefault(verifier.variable(), ""))).contains(issuer)) {
                    trustingTheRealm.add(name);
                }
            }
        });
        assertThat(trustingTheRealm).as("the services that trust the realm").containsExactly("data-feeder", "redis-bridge", "topic-gateway");
        assertThat(waitingForIt).as("the services that wait for Keycloak").isEqualTo(trustingTheRealm);
    }

    /**
     * The gateway, the data-feeder and the redis-bridge verify the same tokens, so each trusts the
     * same issuers (TrustedIssuers): set, since their default (localhost) is no one in a container.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void theFeederTheBridgeAndTheGatewayTrustTheSameIssuers(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
        Map<TrustedIssuers.Verifier, Map<String, Set<String>>> trusted = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (TrustedIssuers.Verifier verifier : TrustedIssuers.VERIFIERS) {
            services.forEach((name, s) -> module(s).filter(verifier.module()::equals).ifPresent(m -> {
                Map<String, String> env = new java.util.LinkedHashMap<>();
                ComposeFile.environment(s).forEach((k, v) -> env.put(k, ComposeFile.asStarted(String.valueOf(v))));
                if (env.getOrDefault(verifier.variable(), "").isBlank()) {
                    problems.add(name + ": sets no " + verifier.variable() + ", so it trusts its default "
                            + repository.services().get(m).valueWhenUnset(verifier.property()).orElse("(none)")
                            + ", which is no one inside a container");
                }
                trusted.computeIfAbsent(verifier, v -> new java.util.LinkedHashMap<>())
                        .put(name, TrustedIssuers.trustedBy(verifier, env, repository.services().get(m)));
            }));
        }
        assertThat(trusted.keySet()).as("the services that verify tokens, in " + setup).containsExactlyElementsOf(TrustedIssuers.VERIFIERS);
        problems.addAll(TrustedIssuers.disagreements(trusted));
        Problems.assertNone(setup, problems);
        assertThat(trusted.get(TrustedIssuers.GATEWAY).get("topic-gateway")).as("the gateway's issuers in " + setup)
                .contains("http://auth-service:8081");
    }

    /**
     * Every service that uses Redis uses the same Redis the same way (RedisSettings): the single
     * {@code redis} as a standalone client, or, with compose.cluster.yaml, the cluster client with all
     * six nodes; the web app, which has no Redis, is given no Redis address; the gateway's shard
     * count is pinned on the cluster.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void everyServiceThatUsesRedisUsesTheSameRedis(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
        Map<String, RedisSettings> settings = new java.util.LinkedHashMap<>();
        Map<String, String> shards = new java.util.LinkedHashMap<>();
        Map<String, String> pinned = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> module(s).map(repository.services()::get).ifPresent(m -> {
            Map<String, String> env = new java.util.LinkedHashMap<>();
            ComposeFile.environment(s).forEach((k, v) -> env.put(k, v == null ? null : ComposeFile.asStarted(v)));
            if (!m.usesRedis()) {
                env.keySet().stream().filter(k -> k.startsWith("QUARKUS_REDIS_"))
                        .forEach(k -> problems.add(name + ": is given " + k + ", but " + m.name() + " uses no Redis"));
                return;
            }
            settings.put(name, RedisSettings.of(m, env));
            if (m.name().equals("topic-gateway")) {
                shards.put(name, RedisSettings.shards(m, env));
                if (env.get(RedisSettings.SHARDS) != null && !env.get(RedisSettings.SHARDS).isBlank()) {
                    pinned.put(name, env.get(RedisSettings.SHARDS));
                }
                problems.addAll(RedisSettings.waitProblems(name, env));
            }
        }));
        Set<String> usingRedis = repository.services().values().stream().filter(ServiceModule::usesRedis).map(ServiceModule::name)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(usingRedis).as("the service modules that use Redis")
                .contains("topic-gateway", "auth-service", "redis-bridge", "data-feeder", "backend-app").doesNotContain("client-web");
        assertThat(new java.util.TreeSet<>(settings.keySet())).as("the services of " + setup + " that use Redis").isEqualTo(usingRedis);
        problems.addAll(RedisSettings.problems(settings));
        problems.addAll(RedisSettings.shardProblems(shards, pinned, onACluster(setup)));
        Set<String> nodes = clusterNodes(services).keySet().stream().map(n -> "redis://" + n + ":6379")
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        settings.forEach((name, s) -> {
            if (onACluster(setup) && (!s.cluster() || !s.hostSet().equals(nodes))) {
                problems.add(name + ": uses Redis as " + s + "; on the cluster every service that uses Redis needs "
                        + RedisSettings.CLIENT_TYPE + "=cluster and " + RedisSettings.HOSTS + " with every node " + nodes);
            }
            if (!onACluster(setup) && (s.cluster() || !s.hosts().equals(List.of("redis://redis:6379")))) {
                problems.add(name + ": uses Redis as " + s + ", not the single redis://redis:6379");
            }
        });
        Problems.assertNone(setup, problems);
        if (onACluster(setup)) {
            assertThat(pinned).as("GATEWAY_REDIS_SHARDS of the gateway on the cluster").containsEntry("topic-gateway", "16");
        }
    }

    /**
     * A service that calls another by name (an issuer, the gateway's API, a Redis node) shares a
     * network with it: the compose network {@code default}, or one both join (the cluster's nodes are
     * on one of their own, which the services that use Redis join too); and every network a service
     * joins is declared.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void whatAServiceCallsIsOnANetworkOfIt(String setup) {
        Map<String, Map<String, Object>> services = setup(setup);
        Set<String> declared = new java.util.TreeSet<>(asMap(composeDocument(setup).get("networks")).keySet());
        declared.add("default");
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> networks(s).stream().filter(n -> !declared.contains(n))
                .forEach(n -> problems.add(name + ": joins the network " + n + ", which no file declares under networks:")));
        for (var entry : services.entrySet()) {
            for (var variable : ComposeFile.environment(entry.getValue()).entrySet()) {
                Matcher url = CALL.matcher(ComposeFile.asStarted(String.valueOf(variable.getValue())));
                while (url.find()) {
                    Map<String, Object> target = services.get(url.group(2));
                    if (target == null || url.group(2).equals(entry.getKey())) {
                        continue;
                    }
                    Set<String> shared = new java.util.TreeSet<>(networks(entry.getValue()));
                    shared.retainAll(networks(target));
                    if (shared.isEmpty()) {
                        problems.add(entry.getKey() + ": " + variable.getKey() + " calls " + url.group(2) + ", but they share no network ("
                                + entry.getKey() + " is on " + networks(entry.getValue()) + ", " + url.group(2) + " on " + networks(target) + ")");
                    }
                }
            }
        }
        Problems.assertNone(setup, problems);
    }

    /** The networks a compose service joins: those it lists, else the project's default. */
    private static Set<String> networks(Map<String, Object> service) {
        Object networks = service.get("networks");
        if (networks instanceof Map<?, ?> map && !map.isEmpty()) {
            return map.keySet().stream().map(String::valueOf).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
        if (networks instanceof List<?> list && !list.isEmpty()) {
            return list.stream().map(String::valueOf).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
        return Set.of("default");
    }

    private static Map<String, Object> composeDocument(String setup) {
        Path[] files = Stream.of(setup.split("\\s*\\+\\s*")).map(repository.deploy()::resolve).toArray(Path[]::new);
        return ComposeFile.read(files[0], java.util.Arrays.copyOfRange(files, 1, files.length)).document();
    }

    /** The services that run a Redis Cluster node: redis-server with --cluster-enabled yes. */
    private static Map<String, Map<String, Object>> clusterNodes(Map<String, Map<String, Object>> services) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        services.forEach((name, s) -> {
            List<String> command = asList(s.get("command")).stream().map(String::valueOf).toList();
            int at = command.indexOf("--cluster-enabled");
            if (String.valueOf(s.get("image")).startsWith("redis:") && !command.isEmpty() && command.get(0).equals("redis-server")
                    && at >= 0 && at + 1 < command.size() && command.get(at + 1).equals("yes")) {
                out.put(name, s);
            }
        });
        return out;
    }

    /**
     * compose.cluster.yaml: six nodes, each with its append-only file and its cluster configuration
     * on a volume of its own, at a fixed address (a cluster's nodes find each other by the addresses
     * in their nodes.conf) outside the range Docker hands out; healthy only once they form a cluster
     * that serves every slot; made into one, three masters with a replica each, by a one-shot
     * container running deploy/create-redis-cluster.sh (RedisClusterScriptTest runs it) with exactly
     * those six addresses.
     */
    @Test
    void theClusterFileMakesSixNodesIntoOneClusterWithAReplicaEach() throws IOException {
        Map<String, Map<String, Object>> services = setup(CLUSTER);
        Map<String, Object> document = composeDocument(CLUSTER);
        Map<String, Map<String, Object>> nodes = clusterNodes(services);
        assertThat(nodes).as("cluster nodes").hasSize(6);
        List<String> problems = new ArrayList<>();
        Set<String> addresses = new java.util.TreeSet<>();
        Set<String> volumes = new java.util.TreeSet<>();
        Set<String> nodeNetworks = new java.util.TreeSet<>();
        nodes.forEach((name, node) -> {
            List<String> command = asList(node.get("command")).stream().map(String::valueOf).toList();
            if (!String.join(" ", command).contains("--appendonly yes")) {
                problems.add(name + ": no --appendonly yes: a node restarted would come back empty, and a master with it");
            }
            int config = command.indexOf("--cluster-config-file");
            String configFile = config >= 0 && config + 1 < command.size() ? command.get(config + 1) : "nodes.conf";
            List<String> mounts = asList(node.get("volumes")).stream().map(String::valueOf).toList();
            if (mounts.size() != 1 || !configFile.startsWith(mounts.get(0).split(":")[1] + "/")) {
                problems.add(name + ": its cluster configuration " + configFile + " is not on its one volume " + mounts
                        + ": recreated, the node would forget its cluster");
            } else if (!volumes.add(mounts.get(0).split(":")[0])) {
                problems.add(name + ": shares its volume " + mounts.get(0) + " with another node");
            } else if (!asMap(document.get("volumes")).containsKey(mounts.get(0).split(":")[0])) {
                problems.add(name + ": its volume " + mounts.get(0).split(":")[0] + " is not declared under volumes:");
            }
            if (!asList(node.get("ports")).isEmpty()) {
                problems.add(name + ": publishes " + node.get("ports") + "; the nodes are for the services only");
            }
            if (!String.valueOf(asMap(node.get("healthcheck")).get("test")).contains("cluster_state:ok")) {
                problems.add(name + ": its healthcheck does not wait for cluster_state:ok, so the services would start before the cluster is made");
            }
            Map<String, Object> networks = asMap(node.get("networks"));
            nodeNetworks.addAll(networks.keySet());
            networks.values().forEach(n -> {
                Object address = asMap(n).get("ipv4_address");
                if (address == null || !addresses.add(ComposeFile.withDefaults(String.valueOf(address)))) {
                    problems.add(name + ": no fixed ipv4_address of its own (" + address + ")");
                }
            });
        });
        assertThat(nodeNetworks).as("the nodes' network").hasSize(1);
        String network = nodeNetworks.iterator().next();
        Map<String, Object> ipam = asMap(asList(asMap(asMap(asMap(document.get("networks")).get(network)).get("ipam")).get("config"))
                .stream().findFirst().orElse(Map.of()));
        String subnet = ComposeFile.withDefaults(String.valueOf(ipam.get("subnet")));
        String range = ComposeFile.withDefaults(String.valueOf(ipam.get("ip_range")));
        for (String address : addresses) {
            if (!inSubnet(address, subnet) || inSubnet(address, range)) {
                problems.add("node address " + address + " is not in the subnet " + subnet + " outside its ip_range " + range
                        + " (where Docker hands out the others' addresses)");
            }
        }

        List<Map.Entry<String, Map<String, Object>>> creators = services.entrySet().stream()
                .filter(e -> String.join(" ", asList(e.getValue().get("command")).stream().map(String::valueOf).toList())
                        .contains("create-redis-cluster.sh"))
                .toList();
        assertThat(creators).as("the one-shot container that creates the cluster").hasSize(1);
        String name = creators.get(0).getKey();
        Map<String, Object> creator = creators.get(0).getValue();
        List<String> command = asList(creator.get("command")).stream().map(String::valueOf).map(ComposeFile::withDefaults).toList();
        String mounted = command.stream().filter(a -> a.endsWith("create-redis-cluster.sh")).findFirst().orElseThrow();
        assertThat(asList(creator.get("volumes"))).as(name + " mounts the script it runs")
                .contains("./create-redis-cluster.sh:" + mounted + ":ro");
        assertThat(repository.deploy().resolve("create-redis-cluster.sh")).isRegularFile();
        List<String> arguments = command.subList(command.indexOf(mounted) + 1, command.size());
        assertThat(new java.util.TreeSet<>(arguments)).as(name + "'s nodes: every node's address, once")
                .hasSize(arguments.size())
                .isEqualTo(addresses.stream().map(a -> a + ":6379").collect(Collectors.toCollection(java.util.TreeSet::new)));
        assertThat(ComposeFile.environment(creator)).as(name + ": three masters with one replica each")
                .containsEntry("REDIS_CLUSTER_REPLICAS", "1");
        assertThat(creator.get("restart")).as(name + " runs once").isEqualTo("no");
        assertThat(creator).as(name + " waits for the nodes itself: they turn healthy only once it made them a cluster")
                .doesNotContainKey("depends_on");
        assertThat(networks(creator)).as(name + "'s networks").contains(network);
        // the services that use Redis reach the nodes on their network (whatAServiceCallsIsOnANetworkOfIt) and the others by default
        services.forEach((service, s) -> module(s).map(repository.services()::get).filter(ServiceModule::usesRedis)
                .ifPresent(m -> assertThat(networks(s)).as(service + "'s networks").contains(network, "default")));
        assertThat(Files.readString(repository.deploy().resolve("create-redis-cluster.sh")))
                .contains("redis-cli --cluster create \"$@\" --cluster-replicas \"$replicas\" --cluster-yes")
                .contains("cluster_state");
        Problems.assertNone("deploy/compose.cluster.yaml", problems);
    }

    private static boolean inSubnet(String address, String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2 || !address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(address) & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String address) {
        long out = 0;
        for (String octet : address.split("\\.")) {
            out = (out << 8) | Integer.parseInt(octet);
        }
        return out;
    }

    /** Each compose file of deploy/ is in deploy/README.md with the command that starts it. */
    @Test
    void everyComposeFileIsInTheReadmeWithItsCommand() throws IOException {
        String readme = Files.readString(repository.deploy().resolve("README.md"));
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(repository.deploy())) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.matches("compose\\.[a-z0-9-]+\\.yaml")).sorted().forEach(f -> {
                if (!readme.contains("docker compose -f deploy/compose.yaml -f deploy/" + f)) {
                    problems.add("deploy/README.md has no `docker compose -f deploy/compose.yaml -f deploy/" + f + " ...` line");
                }
            });
        }
        Problems.assertNone("deploy/README.md", problems);
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
