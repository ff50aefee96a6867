package io.pushgate.deploy;

import static io.pushgate.deploy.ManifestChecks.list;
import static io.pushgate.deploy.ManifestChecks.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * Renders deploy/k8s (the base and each overlay) with {@code kubectl kustomize}, parses every
 * object with fabric8's Kubernetes model, and checks it against the services of this repository.
 */
class KustomizeTest {

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();
    private static final Pattern PUSHGATE_IMAGE = Pattern.compile("^(?:[^/]+/)*pushgate/([a-z0-9._-]+)(?::.*)?$");

    /** The base and every overlay under deploy/k8s/overlays, so that a new overlay is checked like the others. */
    static Stream<String> kustomizations() {
        Path overlays = Repository.get().deploy().resolve("k8s/overlays");
        try (Stream<Path> dirs = Files.list(overlays)) {
            List<String> found = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> "overlays/" + d.getFileName()).sorted().toList();
            assertThat(found).as("overlays under deploy/k8s/overlays").contains("overlays/dev", "overlays/prod");
            return Stream.concat(Stream.of("base"), found.stream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Manifests rendered(String dir) {
        return RENDERED.computeIfAbsent(dir, d -> Manifests.render(Repository.get().deploy().resolve("k8s").resolve(d)));
    }

    @ParameterizedTest(name = "deploy/k8s/{0}")
    @MethodSource("kustomizations")
    void rendersObjectsThatPassEveryCheck(String dir) {
        Manifests manifests = rendered(dir);
        assertThat(manifests.workloads()).as("workloads in deploy/k8s/" + dir).isNotEmpty();
        Problems.assertNone("deploy/k8s/" + dir, ManifestChecks.check(manifests, Repository.get().services()));
    }

    @ParameterizedTest(name = "deploy/k8s/{0}")
    @MethodSource("kustomizations")
    void everySecretItReadsIsDocumentedWithItsKeys(String dir) throws IOException {
        String readme = Files.readString(Repository.get().deploy().resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String secretKey : ManifestChecks.secretKeysReferenced(rendered(dir))) {
            String[] parts = secretKey.split("/", 2);
            if (!readme.contains("secret generic " + parts[0]) || !readme.contains(parts[1])) {
                missing.add(secretKey + " (deploy/README.md needs a `kubectl create secret generic " + parts[0]
                        + "` line with the key " + parts[1] + ")");
            }
        }
        for (Ingress ingress : rendered(dir).all(Ingress.class)) {
            list(ingress.getSpec().getTls()).stream().map(t -> t.getSecretName()).filter(n -> n != null && !readme.contains(n))
                    .forEach(n -> missing.add(n + " (TLS secret of " + ManifestChecks.describe(ingress) + ")"));
        }
        Problems.assertNone("the Secrets of deploy/k8s/" + dir, missing);
    }

    @ParameterizedTest(name = "deploy/k8s/{0}")
    @MethodSource("kustomizations")
    void deploysEveryServiceModule(String dir) {
        Set<String> modules = new TreeSet<>(Repository.get().services().keySet());
        assertThat(modules).as("the services of the root pom").contains("topic-gateway", "auth-service", "redis-bridge",
                "data-feeder", "backend-app", "client-web");
        assertThat(deployedModules(rendered(dir))).as("the services deploy/k8s/" + dir + " runs (pushgate/<module> images)")
                .isEqualTo(modules);
        for (String module : modules) {
            assertThat(rendered(dir).named(Service.class, module)).as("a Service " + module + " in deploy/k8s/" + dir).isPresent();
        }
    }

    @ParameterizedTest(name = "deploy/k8s/{0}")
    @MethodSource("kustomizations")
    void onlyPrometheusReachesTheMetricsFromOutsideAndNoOtherPodGetsIn(String dir) {
        Manifests manifests = rendered(dir);
        NetworkPolicies policies = new NetworkPolicies(manifests.all(NetworkPolicy.class));
        assertThat(policies.isEmpty()).as("NetworkPolicies in deploy/k8s/" + dir).isFalse();
        for (var w : manifests.workloads()) {
            if (deployedModules(List.of(w)).isEmpty()) {
                continue;
            }
            ContainerPort metrics = ManifestChecks.metricsPort(w);
            assertThat(metrics).as(w.describe() + ": the port of its prometheus.io/port annotation").isNotNull();
            assertThat(policies.admits(ManifestChecks.PROMETHEUS, w, metrics)).as("Prometheus may scrape " + w.describe()).isTrue();
            for (NetworkPolicies.Peer outsider : ManifestChecks.OUTSIDERS) {
                assertThat(policies.admits(outsider, w, metrics)).as(outsider.describe() + " reaches " + w.describe()).isFalse();
            }
        }
        // the web app calls no service (the browser does): its pods reach none of the others
        var web = manifests.named(Deployment.class, "client-web").orElseThrow();
        NetworkPolicies.Peer webPod = NetworkPolicies.Peer.inNamespace("client-web", web.getSpec().getTemplate().getMetadata().getLabels());
        for (var w : manifests.workloads()) {
            if (!w.name().equals("client-web")) {
                for (Container c : w.template().getSpec().getContainers()) {
                    for (ContainerPort p : list(c.getPorts())) {
                        assertThat(policies.admits(webPod, w, p)).as("client-web's pods reach " + w.describe()).isFalse();
                    }
                }
            }
        }
        // and the callers reach what they call (ManifestChecks derives every such edge from the configured URLs)
        assertThat(admitsName(manifests, policies, "backend-app", "topic-gateway")).as("backend-app reaches the gateway").isTrue();
        assertThat(admitsName(manifests, policies, "backend-app", "auth-service")).as("backend-app reaches the auth-service").isTrue();
        assertThat(admitsName(manifests, policies, "redis-bridge", "topic-gateway")).as("the redis-bridge reaches the gateway").isTrue();
        // the token verifiers fetch their issuer's discovery document and keys
        assertThat(admitsName(manifests, policies, "topic-gateway", "auth-service")).as("the gateway reaches the auth-service").isTrue();
        assertThat(admitsName(manifests, policies, "data-feeder", "auth-service")).as("the data-feeder reaches the auth-service").isTrue();
        assertThat(admitsName(manifests, policies, "redis-bridge", "auth-service")).as("the redis-bridge reaches the auth-service").isTrue();
        assertThat(admitsName(manifests, policies, "data-feeder", "topic-gateway")).as("the data-feeder calls no gateway").isFalse();
        assertThat(admitsName(manifests, policies, "client-web", "auth-service")).as("the web app calls no service").isFalse();
    }

    /**
     * The gateway, the data-feeder and the redis-bridge verify the same tokens, so they trust the
     * same issuers (TrustedIssuers; ManifestChecks reports any difference): the auth-service's, and
     * with the Keycloak component the realm's too. Each sets them: their default (localhost) is no one in a pod.
     */
    @ParameterizedTest(name = "deploy/k8s/{0}")
    @MethodSource("kustomizations")
    void theFeederTheBridgeAndTheGatewayTrustTheSameIssuers(String dir) {
        Manifests manifests = rendered(dir);
        String authIssuer = environmentOf(manifests, "auth-service").get("AUTH_ISSUER");
        Set<String> expected = new TreeSet<>(Set.of(authIssuer));
        if (dir.equals("overlays/prod-keycloak")) {
            expected.add("https://sso.example.com/realms/pushgate");
        }
        for (TrustedIssuers.Verifier verifier : TrustedIssuers.VERIFIERS) {
            Map<String, String> env = environmentOf(manifests, verifier.module());
            assertThat(env).as(verifier.module() + " in deploy/k8s/" + dir + " sets " + verifier.variable()).containsKey(verifier.variable());
            assertThat(TrustedIssuers.trustedBy(verifier, env, Repository.get().services().get(verifier.module())))
                    .as(verifier.variable() + " in deploy/k8s/" + dir).isEqualTo(expected);
        }
    }

    private static boolean admitsName(Manifests manifests, NetworkPolicies policies, String from, String to) {
        var source = manifests.workloads().stream().filter(w -> w.name().equals(from)).findFirst().orElseThrow();
        var target = manifests.workloads().stream().filter(w -> w.name().equals(to)).findFirst().orElseThrow();
        return policies.admits(NetworkPolicies.Peer.inNamespace(from, source.template().getMetadata().getLabels()), target,
                ManifestChecks.metricsPort(target));
    }

    @Test
    void devRunsOneReplicaOfEachServiceAndItsOwnRedis() {
        Manifests dev = rendered("overlays/dev");
        assertThat(dev.all(Deployment.class))
                .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).as(d.getMetadata().getName() + " replicas").isEqualTo(1));
        assertThat(dev.all(StatefulSet.class))
                .allSatisfy(s -> assertThat(s.getSpec().getReplicas()).as(s.getMetadata().getName() + " replicas").isEqualTo(1));
        StatefulSet redis = dev.named(StatefulSet.class, "redis").orElseThrow(() -> new AssertionFailedError("no StatefulSet redis"));
        assertThat(redis.getSpec().getReplicas()).isEqualTo(1);
        assertThat(redis.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).startsWith("redis:");
        Service service = dev.named(Service.class, "redis").orElseThrow(() -> new AssertionFailedError("no Service redis"));
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(6379));
        assertThat(redisHosts(dev)).as("QUARKUS_REDIS_HOSTS in dev").startsWith("redis://redis:6379");
    }

    @Test
    void prodScalesTheGatewayAndKeepsReplicasUpThroughDisruptions() {
        Manifests prod = rendered("overlays/prod");
        HorizontalPodAutoscaler hpa = prod.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals("topic-gateway"))
                .findFirst().orElseThrow(() -> new AssertionFailedError("no HorizontalPodAutoscaler of topic-gateway"));
        assertThat(hpa.getSpec().getMinReplicas()).as("minReplicas").isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
        assertThat(prod.named(Deployment.class, "topic-gateway").orElseThrow().getSpec().getReplicas())
                .as("the gateway's replicas, which the autoscaler owns").isNull();
        assertThat(prod.all(PodDisruptionBudget.class)).as("a PodDisruptionBudget of the gateway")
                .anySatisfy(pdb -> assertThat(map(pdb.getSpec().getSelector().getMatchLabels()))
                        .containsEntry(ManifestChecks.NAME_LABEL, "topic-gateway"));
    }

    @Test
    void prodRoutesTheGatewayTheAuthServiceTheWebAppAndThePriceChannelThroughAnIngressAndNothingUnderQ() {
        Manifests prod = rendered("overlays/prod");
        IngressRoutes routes = new IngressRoutes(prod.all(Ingress.class));
        String host = "pushgate.example.com";
        // the annotations that keep WebSocket and SSE connections open are checked for every Ingress of the gateway
        assertThat(routes.resolve(host, "/v1/ws")).map(IngressRoutes.Route::service).contains("topic-gateway");
        assertThat(routes.resolve(host, "/v1/topics/prices/btc")).map(IngressRoutes.Route::service).contains("topic-gateway");
        assertThat(routes.resolve(host, "/v1/token")).map(IngressRoutes.Route::service).contains("auth-service");
        assertThat(routes.resolve(host, "/.well-known/openid-configuration")).map(IngressRoutes.Route::service).contains("auth-service");
        assertThat(routes.resolve(host, "/")).map(IngressRoutes.Route::service).contains("client-web");
        assertThat(routes.resolve(host, "/dashboard.html")).map(IngressRoutes.Route::service).contains("client-web");
        assertThat(routes.resolve(host, "/lib/pushgate.js")).map(IngressRoutes.Route::service).contains("client-web");
        assertThat(routes.resolve(host, "/v1/redis/prices.btc")).map(IngressRoutes.Route::service).contains("redis-bridge");
        // another channel, or a pattern, goes to the gateway's /v1, which has no such path
        assertThat(routes.resolve(host, "/v1/redis/*")).map(IngressRoutes.Route::service).contains("topic-gateway");
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/dev-ui", "/q")) {
            assertThat(routes.resolve(host, path)).as("the route of " + path).isEmpty();
        }
        // the web app's pages are routed one by one: each top-level page and directory it serves
        Path resources = Repository.get().root().resolve("client-web/src/main/resources/META-INF/resources");
        try (Stream<Path> entries = Files.list(resources)) {
            entries.forEach(e -> assertThat(routes.resolve(host, "/" + e.getFileName() + (Files.isDirectory(e) ? "/x.js" : "")))
                    .as("the route of client-web's " + e.getFileName()).map(IngressRoutes.Route::service).contains("client-web"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(routes.resolve(host, "/config.json")).map(IngressRoutes.Route::service).contains("client-web");
    }

    @Test
    void prodServesTheWebAppAndWhatItCallsFromOneOriginWithoutCors() {
        Manifests prod = rendered("overlays/prod");
        Map<String, String> web = environmentOf(prod, "client-web");
        assertThat(web).containsEntry("WEB_GATEWAY_URL", "https://pushgate.example.com")
                .containsEntry("WEB_AUTH_URL", "https://pushgate.example.com")
                .containsEntry("WEB_BRIDGE_URL", "https://pushgate.example.com");
        for (String module : List.of("topic-gateway", "auth-service", "data-feeder")) {
            assertThat(environmentOf(prod, module)).as(module).containsEntry("QUARKUS_HTTP_CORS_ENABLED", "false");
        }
        assertThat(environmentOf(prod, "redis-bridge")).as("the bridge, public for one channel")
                .containsEntry("BRIDGE_PASSTHROUGH_ALLOW_PUBLISH", "false");
        // dev: through kubectl port-forward, on localhost, with CORS for the web app's origin
        Manifests dev = rendered("overlays/dev");
        assertThat(environmentOf(dev, "client-web")).containsEntry("WEB_GATEWAY_URL", "http://localhost:8080");
        assertThat(environmentOf(dev, "topic-gateway")).containsEntry("QUARKUS_HTTP_CORS_ENABLED", "true")
                .hasEntrySatisfying("QUARKUS_HTTP_CORS_ORIGINS", o -> assertThat(o).contains("http://localhost:8085"));
    }

    @Test
    void prodPinsTheReleaseOfEveryServiceImage() {
        for (var w : rendered("overlays/prod").workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                if (PUSHGATE_IMAGE.matcher(c.getImage()).matches()) {
                    assertThat(c.getImage()).as(w.describe() + "'s image (overlays/prod's images:)").doesNotEndWith(":latest").contains(":");
                }
            }
        }
    }

    @Test
    void prodKeycloakTrustsTheRealmAndIntrospectsItsTokensWithASecretFromASecret() {
        Manifests manifests = rendered("overlays/prod-keycloak");
        Map<String, String> gateway = environmentOf(manifests, "topic-gateway");
        String realm = "https://sso.example.com/realms/pushgate";
        assertThat(gateway.get("GATEWAY_SECURITY_ISSUERS").split(",")).contains("https://pushgate.example.com", realm);
        assertThat(IntrospectionEntries.of(gateway)).containsOnlyKeys("KEYCLOAK");
        assertThat(IntrospectionEntries.of(gateway).get("KEYCLOAK")).containsEntry("ISSUER", realm)
                .containsEntry("URL", realm + "/protocol/openid-connect/token/introspect")
                .containsEntry("CLIENT_ID", "pushgate-gateway")
                .containsKey("CLIENT_SECRET");
        Container container = manifests.named(Deployment.class, "topic-gateway").orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
        EnvVar secret = container.getEnv().stream().filter(e -> e.getName().equals("GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_CLIENT_SECRET"))
                .findFirst().orElseThrow();
        assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pushgate-gateway");
        assertThat(secret.getValueFrom().getSecretKeyRef().getOptional()).as("optional").isNotEqualTo(Boolean.TRUE);
        // without the component: no introspection, which is off unless configured
        assertThat(IntrospectionEntries.of(environmentOf(rendered("overlays/prod"), "topic-gateway"))).isEmpty();
    }

    @Test
    void theBackendAppGetsItsTokenWithTheSecretTheAuthServiceChecks() {
        for (String dir : kustomizations().toList()) {
            Manifests manifests = rendered(dir);
            Map<String, String> backend = environmentOf(manifests, "backend-app");
            assertThat(backend).as(dir).containsEntry("BACKEND_GATEWAY_URL", "http://topic-gateway:8080")
                    .containsEntry("BACKEND_AUTH_URL", "http://auth-service:8081")
                    .containsEntry("BACKEND_CLIENT_ID", "backend-app");
            assertThat(environmentOf(manifests, "auth-service")).as(dir).containsEntry("AUTH_CLIENTS_BACKEND_APP_ROLES", "TOPIC_CONTROL,MODERATOR");
            Deployment deployment = manifests.named(Deployment.class, "backend-app").orElseThrow();
            assertThat(deployment.getSpec().getReplicas()).as("one consumer of the pipeline stream").isEqualTo(1);
            assertThat(deployment.getSpec().getStrategy().getType()).as("never two side by side").isEqualTo("Recreate");
        }
    }

    private static Map<String, String> environmentOf(Manifests manifests, String module) {
        for (var w : manifests.workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                Matcher m = PUSHGATE_IMAGE.matcher(c.getImage());
                if (m.matches() && m.group(1).equals(module)) {
                    return ManifestChecks.environment(manifests, c);
                }
            }
        }
        throw new AssertionFailedError("no " + module + " in the manifests");
    }

    @Test
    void prodLetsTheIngressControllerReachOnlyWhatTheIngressRoutesTo() {
        Manifests prod = rendered("overlays/prod");
        NetworkPolicies policies = new NetworkPolicies(prod.all(NetworkPolicy.class));
        Set<String> reachable = new TreeSet<>();
        for (var workload : prod.workloads()) {
            for (Container c : workload.template().getSpec().getContainers()) {
                for (ContainerPort p : list(c.getPorts())) {
                    if (policies.admits(ManifestChecks.INGRESS_CONTROLLER, workload, p)) {
                        reachable.add(workload.name());
                    }
                }
            }
        }
        assertThat(reachable).as("workloads the ingress controller may reach")
                .containsExactlyInAnyOrder("topic-gateway", "auth-service", "client-web", "redis-bridge");
        // dev has no Ingress: nothing from the ingress controller's namespace gets in
        Manifests dev = rendered("overlays/dev");
        NetworkPolicies devPolicies = new NetworkPolicies(dev.all(NetworkPolicy.class));
        assertThat(dev.workloads()).noneSatisfy(w -> assertThat(devPolicies.admits(ManifestChecks.INGRESS_CONTROLLER, w,
                w.template().getSpec().getContainers().get(0).getPorts().get(0))).isTrue());
    }

    @Test
    void prodUsesAnExternalRedisWithItsPasswordFromASecret() {
        Manifests prod = rendered("overlays/prod");
        assertThat(prod.workloads()).as("workloads in prod").noneSatisfy(w -> assertThat(
                w.template().getSpec().getContainers().get(0).getImage()).startsWith("redis"));
        assertThat(redisHosts(prod)).as("QUARKUS_REDIS_HOSTS in prod").doesNotStartWith("redis://redis:").isNotBlank();
        for (var w : prod.workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                if (!ManifestChecks.environment(prod, c).containsKey("QUARKUS_REDIS_HOSTS")) {
                    // the web app has no Redis
                    assertThat(w.name()).isEqualTo("client-web");
                    continue;
                }
                EnvVar password = list(c.getEnv()).stream().filter(e -> e.getName().equals("QUARKUS_REDIS_PASSWORD")).findFirst()
                        .orElseThrow(() -> new AssertionFailedError(w.describe() + " gets no QUARKUS_REDIS_PASSWORD"));
                assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pushgate-redis");
            }
        }
    }

    /**
     * overlays/prod-cluster (prod with components/redis-cluster): every service that uses Redis gets
     * Quarkus's cluster settings, QUARKUS_REDIS_CLIENT_TYPE=cluster and QUARKUS_REDIS_HOSTS with the
     * cluster's six nodes, from the one ConfigMap pushgate-redis (set nowhere else), and the cluster's
     * password from the Secret pushgate-redis; the web app gets none; the gateway pins its shard count.
     * Every other kustomization (none uses the component) runs on one Redis, standalone.
     */
    @Test
    void prodClusterPointsEveryServiceThatUsesRedisAtTheClusterNodesGivenInOnePlace() {
        Manifests manifests = rendered("overlays/prod-cluster");
        List<ConfigMap> redisMaps = manifests.all(ConfigMap.class).stream()
                .filter(m -> m.getMetadata().getName().matches("pushgate-redis(-[a-z0-9]+)?")).toList();
        assertThat(redisMaps).as("the ConfigMap pushgate-redis").hasSize(1);
        ConfigMap redis = redisMaps.get(0);
        assertThat(map(redis.getData())).containsEntry(RedisSettings.CLIENT_TYPE, "cluster");
        List<String> nodes = List.of(map(redis.getData()).getOrDefault(RedisSettings.HOSTS, "").split(","));
        assertThat(nodes).as("the cluster's nodes in pushgate-redis").hasSize(6).doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(n).matches("rediss://[a-z0-9.-]+:\\d+"));

        Set<String> usingRedis = Repository.get().services().values().stream().filter(ServiceModule::usesRedis).map(ServiceModule::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(usingRedis).contains("topic-gateway", "auth-service", "redis-bridge", "data-feeder", "backend-app");
        Set<String> pointed = new TreeSet<>();
        for (var w : manifests.workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                Matcher m = PUSHGATE_IMAGE.matcher(c.getImage());
                if (!m.matches()) {
                    continue;
                }
                Map<String, String> env = ManifestChecks.environment(manifests, c);
                String where = w.describe() + " container " + c.getName();
                if (!usingRedis.contains(m.group(1))) {
                    assertThat(env).as(where + ", without Redis").doesNotContainKeys(RedisSettings.HOSTS, RedisSettings.CLIENT_TYPE);
                    continue;
                }
                assertThat(env).as(where).containsEntry(RedisSettings.CLIENT_TYPE, "cluster")
                        .containsEntry(RedisSettings.HOSTS, String.join(",", nodes));
                assertThat(list(c.getEnvFrom())).as(where + " loads pushgate-redis")
                        .anySatisfy(f -> assertThat(f.getConfigMapRef() == null ? null : f.getConfigMapRef().getName())
                                .isEqualTo(redis.getMetadata().getName()));
                assertThat(list(c.getEnv())).as(where + ": the Redis settings come from pushgate-redis alone")
                        .noneSatisfy(e -> assertThat(e.getName()).isIn(RedisSettings.HOSTS, RedisSettings.CLIENT_TYPE));
                EnvVar password = list(c.getEnv()).stream().filter(e -> e.getName().equals("QUARKUS_REDIS_PASSWORD")).findFirst()
                        .orElseThrow(() -> new AssertionFailedError(where + " gets no QUARKUS_REDIS_PASSWORD"));
                assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pushgate-redis");
                pointed.add(m.group(1));
            }
        }
        assertThat(pointed).as("the services pointed at the cluster").isEqualTo(usingRedis);
        assertThat(environmentOf(manifests, "topic-gateway")).as("the gateway on the cluster").containsEntry(RedisSettings.SHARDS, "16");

        for (String dir : kustomizations().toList()) {
            Path kustomization = Repository.get().deploy().resolve("k8s").resolve(dir).resolve("kustomization.yaml");
            boolean withTheComponent;
            try (var in = Files.newBufferedReader(kustomization)) {
                Object components = ComposeFile.asMap(new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                        new org.yaml.snakeyaml.LoaderOptions())).load(in)).get("components");
                withTheComponent = ComposeFile.asList(components).stream().map(String::valueOf)
                        .anyMatch(c -> c.replaceFirst("/+$", "").endsWith("components/redis-cluster"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(withTheComponent).as(dir + " uses components/redis-cluster").isEqualTo(dir.equals("overlays/prod-cluster"));
            if (withTheComponent) {
                continue;
            }
            for (String module : usingRedis) {
                RedisSettings settings = RedisSettings.of(Repository.get().services().get(module), environmentOf(rendered(dir), module));
                assertThat(settings.cluster()).as(module + " in " + dir + " on a cluster").isFalse();
                assertThat(settings.hosts()).as(module + "'s Redis in " + dir).hasSize(1);
            }
        }
    }

    /** Every overlay and every component is in deploy/README.md, which says what each is for. */
    @Test
    void everyOverlayAndComponentIsInTheReadme() throws IOException {
        String readme = Files.readString(Repository.get().deploy().resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String kind : List.of("overlays", "components")) {
            try (Stream<Path> dirs = Files.list(Repository.get().deploy().resolve("k8s").resolve(kind))) {
                dirs.filter(Files::isDirectory).map(d -> kind + "/" + d.getFileName()).sorted().forEach(d -> {
                    if (!readme.contains("`" + d + "/`") && !readme.contains("`" + d + "`")) {
                        missing.add(d + " (deploy/README.md does not name it in backquotes)");
                    }
                });
            }
        }
        Problems.assertNone("deploy/README.md", missing);
    }

    @Test
    void aMissingKubectlFailsWithAMessageThatSaysSo() {
        String before = System.getProperty("kubectl");
        System.setProperty("kubectl", Path.of("/nonexistent/kubectl").toString());
        try {
            assertThatThrownBy(Kubectl::binary).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("kubectl is not installed");
        } finally {
            if (before == null) {
                System.clearProperty("kubectl");
            } else {
                System.setProperty("kubectl", before);
            }
        }
    }

    private static String redisHosts(Manifests manifests) {
        return manifests.all(ConfigMap.class).stream()
                .filter(m -> map(m.getData()).containsKey("QUARKUS_REDIS_HOSTS"))
                .map(m -> m.getData().get("QUARKUS_REDIS_HOSTS"))
                .findFirst().orElse("");
    }

    private static Set<String> deployedModules(Manifests manifests) {
        return deployedModules(manifests.workloads());
    }

    private static Set<String> deployedModules(List<Manifests.Workload> workloads) {
        Set<String> out = new TreeSet<>();
        for (var w : workloads) {
            for (Container c : w.template().getSpec().getContainers()) {
                Matcher m = PUSHGATE_IMAGE.matcher(c.getImage());
                if (m.matches()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }
}
