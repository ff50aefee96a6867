package io.pushgate.deploy;

import static io.pushgate.deploy.ManifestChecks.list;
import static io.pushgate.deploy.ManifestChecks.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
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

    static Stream<String> kustomizations() {
        return Stream.of("base", "overlays/dev", "overlays/prod");
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

    @Test
    void everyOverlayDeploysTheSameServicesAsTheBase() {
        Set<String> base = deployedModules(rendered("base"));
        assertThat(base).as("services in the base").contains("topic-gateway", "auth-service");
        assertThat(deployedModules(rendered("overlays/dev"))).as("services in overlays/dev").isEqualTo(base);
        assertThat(deployedModules(rendered("overlays/prod"))).as("services in overlays/prod").isEqualTo(base);
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
    void prodRoutesTheGatewayAndTheAuthServiceThroughAnIngress() {
        Manifests prod = rendered("overlays/prod");
        Set<String> routed = prod.all(Ingress.class).stream()
                .flatMap(i -> list(i.getSpec().getRules()).stream())
                .flatMap(r -> list(r.getHttp().getPaths()).stream())
                .map(p -> p.getBackend().getService().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        // the annotations that keep WebSocket and SSE connections open are checked for every Ingress of the gateway
        assertThat(routed).contains("topic-gateway", "auth-service");
    }

    @Test
    void prodLetsTheIngressControllerReachOnlyThePublicServices() {
        Manifests prod = rendered("overlays/prod");
        Set<String> reachable = new TreeSet<>();
        for (NetworkPolicy policy : prod.all(NetworkPolicy.class)) {
            boolean fromIngressController = list(policy.getSpec().getIngress()).stream()
                    .flatMap(rule -> list(rule.getFrom()).stream())
                    .map(NetworkPolicyPeer::getNamespaceSelector)
                    .anyMatch(ns -> ns != null && map(ns.getMatchLabels()).containsKey("kubernetes.io/metadata.name"));
            if (!fromIngressController) {
                continue;
            }
            for (var workload : prod.workloads()) {
                if (ManifestChecks.selects(policy.getSpec().getPodSelector(), map(workload.template().getMetadata().getLabels()))) {
                    reachable.add(workload.name());
                }
            }
        }
        // which others are not reachable is checked for every policy (ManifestChecks.networkPolicies)
        assertThat(reachable).as("workloads the ingress controller may reach")
                .contains("topic-gateway", "auth-service").isSubsetOf(ManifestChecks.PUBLIC_SERVICES);
    }

    @Test
    void prodUsesAnExternalRedisWithItsPasswordFromASecret() {
        Manifests prod = rendered("overlays/prod");
        assertThat(prod.workloads()).as("workloads in prod").noneSatisfy(w -> assertThat(
                w.template().getSpec().getContainers().get(0).getImage()).startsWith("redis"));
        assertThat(redisHosts(prod)).as("QUARKUS_REDIS_HOSTS in prod").doesNotStartWith("redis://redis:").isNotBlank();
        for (var w : prod.workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                EnvVar password = list(c.getEnv()).stream().filter(e -> e.getName().equals("QUARKUS_REDIS_PASSWORD")).findFirst()
                        .orElseThrow(() -> new AssertionFailedError(w.describe() + " gets no QUARKUS_REDIS_PASSWORD"));
                assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pushgate-redis");
            }
        }
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
        Set<String> out = new TreeSet<>();
        for (var w : manifests.workloads()) {
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
