package io.pushgate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pushgate.deploy.Manifests.Workload;
import io.pushgate.deploy.NetworkPolicies.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a broken manifest gets wrong, checked on parsed objects: each method adds one line per
 * problem, naming the object and what to fix, so that one run lists them all.
 */
final class ManifestChecks {

    static final String NAME_LABEL = "app.kubernetes.io/name";

    /** The services the ingress controller may reach: the gateway, the auth-service and the web app. */
    static final Set<String> PUBLIC_SERVICES = Set.of("topic-gateway", "auth-service", "client-web");

    /**
     * The redis-bridge, public only for reading: anyone may read any channel of its passthrough
     * (bridge.passthrough.read-roles is {@code *}), so an Ingress may route to it only {@code Exact} paths of single channels ({@link #BRIDGE_PUBLIC_PATH}: no
     * pattern), and only when it refuses what clients send ({@code BRIDGE_PASSTHROUGH_ALLOW_PUBLISH=false}).
     */
    static final String BRIDGE = "redis-bridge";
    static final Pattern BRIDGE_PUBLIC_PATH = Pattern.compile("^/v1/redis/[A-Za-z0-9_.:-]{1,128}$");

    /** Where every service serves its Prometheus metrics; with /q/health, never routed from outside. */
    static final String METRICS = "/q/metrics";
    static final List<String> MANAGEMENT_PATHS = List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/dev-ui");

    /** The ingress controller, as base/ and overlays/prod label it (ingress-nginx's own namespace and pod labels). */
    static final Peer INGRESS_CONTROLLER = Peer.elsewhere("the ingress controller (namespace ingress-nginx)", "ingress-nginx",
            Map.of(NAME_LABEL, "ingress-nginx", "app.kubernetes.io/component", "controller"));
    /** Prometheus, where kube-prometheus-stack and the Prometheus Operator put it, labelled as they label it. */
    static final Peer PROMETHEUS = Peer.elsewhere("Prometheus (namespace monitoring, " + NAME_LABEL + "=prometheus)", "monitoring",
            Map.of(NAME_LABEL, "prometheus"));
    /** Pods that must reach no Pushgate pod at all. */
    static final List<Peer> OUTSIDERS = List.of(
            Peer.elsewhere("a pod of another namespace", "some-other-namespace", Map.of(NAME_LABEL, "some-app")),
            Peer.elsewhere("a pod of the monitoring namespace other than Prometheus", "monitoring", Map.of(NAME_LABEL, "grafana")),
            Peer.inNamespace("a pod of the namespace that is none of Pushgate's", Map.of("run", "debug")));

    /** Images other than Pushgate's own that the manifests may run. */
    static final Set<String> THIRD_PARTY_IMAGES = Set.of("redis", "library/redis");

    static final String READY = "/q/health/ready";
    static final String LIVE = "/q/health/live";
    static final Set<String> HEALTH_PATHS = Set.of(READY, LIVE, "/q/health/started");

    private static final Pattern PUSHGATE_IMAGE =
            Pattern.compile("^(?:[^/]+/)*pushgate/([a-z0-9][a-z0-9._-]*)(?::[\\w][\\w.-]*)?(?:@sha256:[0-9a-f]{64})?$");
    private static final Pattern URL = Pattern.compile("\\b(https?|wss?|rediss?)://(?:[^@/\\s,]*@)?([A-Za-z0-9.-]+)(?::(\\d+))?");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("http", 80, "https", 443, "ws", 80, "wss", 443,
            "redis", 6379, "rediss", 6379);
    private static final String NGINX = "nginx.ingress.kubernetes.io/";
    private static final long LONG_LIVED_SECONDS = 3600;

    private final Manifests manifests;
    private final Map<String, ServiceModule> services;
    private final List<String> problems = new ArrayList<>();

    private ManifestChecks(Manifests manifests, Map<String, ServiceModule> services) {
        this.manifests = manifests;
        this.services = services;
    }

    /** Every problem of the objects, given the services of the repository; empty when all is well. */
    static List<String> check(Manifests manifests, Map<String, ServiceModule> services) {
        ManifestChecks checks = new ManifestChecks(manifests, services);
        checks.knownKindsAndFields();
        checks.secretsHoldNoValues();
        checks.workloads();
        checks.servicesSelectPodsAndTheirPorts();
        checks.gatewayOutlastsItsDrain();
        checks.gatewayTrustsTheAuthService();
        checks.tokenVerifiersTrustTheGatewaysIssuers();
        checks.gatewayIntrospection();
        checks.everyServiceUsesTheSameRedis();
        checks.backendGetsItsTokenFromTheAuthService();
        checks.ingresses();
        checks.webAppReachesItsServices();
        checks.networkPolicies();
        checks.autoscalersAndBudgets();
        return List.copyOf(checks.problems);
    }

    /** The Secrets that the workloads read, as "name/key", for the README check. */
    static Set<String> secretKeysReferenced(Manifests manifests) {
        Set<String> out = new TreeSet<>();
        for (Workload w : manifests.workloads()) {
            for (Container c : containers(w.template().getSpec())) {
                for (EnvVar e : list(c.getEnv())) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        out.add(e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
            }
        }
        return out;
    }

    // ---- objects

    private void knownKindsAndFields() {
        for (HasMetadata object : manifests.all()) {
            if (object instanceof GenericKubernetesResource) {
                problems.add(describe(object) + ": apiVersion " + object.getApiVersion()
                        + " kind " + object.getKind() + " is not a kind the Kubernetes model knows (a typo?)");
                continue;
            }
            for (String field : UnknownFields.of(object)) {
                problems.add(describe(object) + ": unknown field " + field + " (a typo? Kubernetes would reject or ignore it)");
            }
        }
    }

    private void secretsHoldNoValues() {
        for (Secret secret : manifests.all(Secret.class)) {
            if (!map(secret.getData()).isEmpty() || !map(secret.getStringData()).isEmpty()) {
                problems.add(describe(secret) + " commits values (" + String.join(", ", keys(secret))
                        + "): reference Secrets by name and create them with kubectl (deploy/README.md)");
            }
        }
    }

    private static Set<String> keys(Secret secret) {
        Set<String> keys = new TreeSet<>(map(secret.getData()).keySet());
        keys.addAll(map(secret.getStringData()).keySet());
        return keys;
    }

    // ---- workloads and their containers

    private void workloads() {
        for (Workload w : manifests.workloads()) {
            PodSpec pod = w.template().getSpec();
            Map<String, String> podLabels = map(w.template().getMetadata() == null ? null : w.template().getMetadata().getLabels());
            LabelSelector selector = selectorOf(w.object());
            if (selector != null && !selects(selector, podLabels)) {
                problems.add(w.describe() + ": its selector " + render(selector) + " does not match its own pod labels " + podLabels);
            }
            for (Container c : containers(pod)) {
                String where = w.describe() + " container " + c.getName();
                Optional<ServiceModule> module = image(where, c.getImage());
                resources(where, c.getResources());
                security(where, pod, c, module.isPresent());
                probes(where, c, module.isPresent());
                module.ifPresent(m -> {
                    environment(where, c, m);
                    listensOnItsPort(where, c, m);
                    saysWhereToScrape(w, c, m);
                });
            }
            for (Container c : list(pod.getInitContainers())) {
                String where = w.describe() + " init container " + c.getName();
                image(where, c.getImage());
                resources(where, c.getResources());
                security(where, pod, c, false);
            }
        }
    }

    /** The service module an image is built from, if it is one of Pushgate's; a problem if it is neither. */
    private Optional<ServiceModule> image(String where, String image) {
        if (image == null || image.isBlank()) {
            problems.add(where + ": no image");
            return Optional.empty();
        }
        Matcher pushgate = PUSHGATE_IMAGE.matcher(image);
        if (pushgate.matches()) {
            ServiceModule module = services.get(pushgate.group(1));
            if (module == null) {
                problems.add(where + ": image " + image + " names no service module (services, the root pom's modules with an"
                        + " application.properties: " + services.keySet() + ")");
            }
            return Optional.ofNullable(module);
        }
        String repository = image.replaceFirst("@.*$", "").replaceFirst(":[^/]*$", "");
        String withoutRegistry = repository.contains("/") && repository.substring(0, repository.indexOf('/')).contains(".")
                ? repository.substring(repository.indexOf('/') + 1) : repository;
        if (!THIRD_PARTY_IMAGES.contains(withoutRegistry)) {
            problems.add(where + ": image " + image + " is neither pushgate/<service module> nor one of " + THIRD_PARTY_IMAGES);
        }
        return Optional.empty();
    }

    private void resources(String where, ResourceRequirements resources) {
        Map<String, Quantity> requests = resources == null ? Map.of() : map(resources.getRequests());
        Map<String, Quantity> limits = resources == null ? Map.of() : map(resources.getLimits());
        for (String kind : List.of("cpu", "memory")) {
            if (!requests.containsKey(kind)) {
                problems.add(where + ": no resources.requests." + kind);
            }
            if (!limits.containsKey(kind)) {
                problems.add(where + ": no resources.limits." + kind);
            }
            if (requests.containsKey(kind) && limits.containsKey(kind)
                    && requests.get(kind).getNumericalAmount().compareTo(limits.get(kind).getNumericalAmount()) > 0) {
                problems.add(where + ": resources.requests." + kind + " " + requests.get(kind) + " exceeds the limit " + limits.get(kind));
            }
        }
    }

    private void security(String where, PodSpec pod, Container c, boolean pushgate) {
        PodSecurityContext podContext = pod.getSecurityContext();
        SecurityContext context = c.getSecurityContext();
        boolean nonRoot = (context != null && Boolean.TRUE.equals(context.getRunAsNonRoot()))
                || (podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot())
                        && (context == null || !Boolean.FALSE.equals(context.getRunAsNonRoot())));
        if (!nonRoot) {
            problems.add(where + ": runAsNonRoot is not true (in the pod's or the container's securityContext)");
        }
        Long user = context != null && context.getRunAsUser() != null ? context.getRunAsUser()
                : podContext != null ? podContext.getRunAsUser() : null;
        if (user != null && user == 0) {
            problems.add(where + ": runAsUser is 0 (root)");
        }
        if (context == null) {
            problems.add(where + ": no securityContext (allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,"
                    + " capabilities.drop: [ALL])");
            return;
        }
        if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
            problems.add(where + ": securityContext.allowPrivilegeEscalation is not false");
        }
        if (Boolean.TRUE.equals(context.getPrivileged())) {
            problems.add(where + ": securityContext.privileged is true");
        }
        if (context.getCapabilities() == null || !list(context.getCapabilities().getDrop()).contains("ALL")) {
            problems.add(where + ": securityContext.capabilities.drop does not hold ALL");
        }
        if (context.getCapabilities() != null && !list(context.getCapabilities().getAdd()).isEmpty()) {
            problems.add(where + ": securityContext.capabilities.add " + context.getCapabilities().getAdd());
        }
        if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
            problems.add(where + ": securityContext.readOnlyRootFilesystem is not true");
        } else if (pushgate && !writableTmp(pod, c)) {
            problems.add(where + ": a read-only root file system needs an emptyDir mounted at /tmp (the JVM and Vert.x write there)");
        }
    }

    private static boolean writableTmp(PodSpec pod, Container c) {
        return list(c.getVolumeMounts()).stream()
                .filter(m -> "/tmp".equals(m.getMountPath()) && !Boolean.TRUE.equals(m.getReadOnly()))
                .anyMatch(m -> list(pod.getVolumes()).stream()
                        .anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
    }

    private void probes(String where, Container c, boolean pushgate) {
        probe(where, "readinessProbe", c.getReadinessProbe(), c, pushgate ? Set.of(READY) : null, true);
        probe(where, "livenessProbe", c.getLivenessProbe(), c, pushgate ? Set.of(LIVE) : null, true);
        probe(where, "startupProbe", c.getStartupProbe(), c, pushgate ? HEALTH_PATHS : null, false);
    }

    /** {@code paths}: the paths a Pushgate service's probe may use (null: any probe of a third-party image). */
    private void probe(String where, String kind, Probe probe, Container c, Set<String> paths, boolean required) {
        if (probe == null) {
            if (required) {
                problems.add(where + ": no " + kind);
            }
            return;
        }
        IntOrString port = null;
        if (probe.getHttpGet() != null) {
            port = probe.getHttpGet().getPort();
            String path = probe.getHttpGet().getPath();
            if (paths != null && !paths.contains(path)) {
                problems.add(where + ": " + kind + " asks " + path + ", not " + String.join(" or ", new TreeSet<>(paths))
                        + " (what the service answers)");
            }
        } else if (paths != null) {
            problems.add(where + ": " + kind + " is not an HTTP GET of " + String.join(" or ", new TreeSet<>(paths)));
        }
        if (probe.getTcpSocket() != null) {
            port = probe.getTcpSocket().getPort();
        }
        if (port != null && !declares(c, port)) {
            problems.add(where + ": " + kind + " uses port " + show(port) + ", which the container does not declare "
                    + declaredPorts(c));
        }
    }

    private void environment(String where, Container c, ServiceModule module) {
        ConfigSurface config = module.config();
        Set<String> seen = new TreeSet<>();
        for (EnvVar e : list(c.getEnv())) {
            if (!seen.add(e.getName())) {
                problems.add(where + ": sets " + e.getName() + " twice");
            }
            if (!config.reads(e.getName())) {
                problems.add(where + ": sets " + e.getName() + ", which " + module.name() + " does not read (closest it reads: "
                        + config.suggestionsFor(e.getName()) + ")");
            }
            if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                Optional<ConfigMap> map = manifests.named(ConfigMap.class, ref.getName());
                if (!Boolean.TRUE.equals(ref.getOptional()) && (map.isEmpty() || !map(map.get().getData()).containsKey(ref.getKey()))) {
                    problems.add(where + ": " + e.getName() + " comes from ConfigMap " + ref.getName() + " key " + ref.getKey()
                            + ", which the manifests do not define");
                }
            }
        }
        for (EnvFromSource from : list(c.getEnvFrom())) {
            if (from.getSecretRef() != null) {
                problems.add(where + ": envFrom Secret " + from.getSecretRef().getName() + " hides which variables it sets;"
                        + " use env[].valueFrom.secretKeyRef so that each one is checked");
            }
            if (from.getConfigMapRef() == null) {
                continue;
            }
            String name = from.getConfigMapRef().getName();
            Optional<ConfigMap> map = manifests.named(ConfigMap.class, name);
            if (map.isEmpty()) {
                if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                    problems.add(where + ": envFrom ConfigMap " + name + ", which the manifests do not define");
                }
                continue;
            }
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            for (String key : map(map.get().getData()).keySet()) {
                if (!config.reads(prefix + key)) {
                    problems.add(where + ": ConfigMap " + name + " sets " + prefix + key + ", which " + module.name()
                            + " does not read (closest it reads: " + config.suggestionsFor(prefix + key) + ")");
                }
            }
        }
    }

    private void listensOnItsPort(String where, Container c, ServiceModule module) {
        int port = Optional.ofNullable(environmentOf(c).get("QUARKUS_HTTP_PORT"))
                .map(String::trim).filter(v -> v.matches("\\d+")).map(Integer::parseInt).orElse(module.port());
        if (list(c.getPorts()).stream().noneMatch(p -> Objects.equals(p.getContainerPort(), port))) {
            problems.add(where + ": " + module.name() + " listens on " + port + " (its quarkus.http.port), which the container"
                    + " does not declare " + declaredPorts(c));
        }
    }

    /** Prometheus's pod annotations: scrape, on the port the service listens on, at /q/metrics. */
    private void saysWhereToScrape(Workload w, Container c, ServiceModule module) {
        Map<String, String> annotations = w.template().getMetadata() == null ? Map.of() : map(w.template().getMetadata().getAnnotations());
        String where = w.describe() + " pod template";
        if (!"true".equals(annotations.get("prometheus.io/scrape"))) {
            problems.add(where + ": no annotation prometheus.io/scrape: \"true\" (Prometheus finds the pods to scrape by it)");
        }
        if (!METRICS.equals(annotations.get("prometheus.io/path"))) {
            problems.add(where + ": annotation prometheus.io/path is " + annotations.get("prometheus.io/path") + ", not " + METRICS);
        }
        String port = annotations.get("prometheus.io/port");
        int listens = Optional.ofNullable(environmentOf(c).get("QUARKUS_HTTP_PORT"))
                .map(String::trim).filter(v -> v.matches("\\d+")).map(Integer::parseInt).orElse(module.port());
        if (port == null || !port.equals(String.valueOf(listens))) {
            problems.add(where + ": annotation prometheus.io/port is " + port + ", but " + module.name() + " serves " + METRICS + " on "
                    + listens);
        }
    }

    /** The container port Prometheus scrapes: the annotated one, else the one named http. */
    static ContainerPort metricsPort(Workload w) {
        Map<String, String> annotations = w.template().getMetadata() == null ? Map.of() : map(w.template().getMetadata().getAnnotations());
        String port = annotations.get("prometheus.io/port");
        IntOrString designated = port != null && port.matches("\\d+") ? new IntOrString(Integer.parseInt(port)) : new IntOrString("http");
        return NetworkPolicies.containerPort(w, designated);
    }

    /** The variables a container of these manifests gets from its env and its ConfigMaps (see {@link #environmentOf}). */
    static Map<String, String> environment(Manifests manifests, Container c) {
        return new ManifestChecks(manifests, Map.of()).environmentOf(c);
    }

    /** The variables a container gets from its env and its ConfigMaps; values from elsewhere (Secrets, fields) are "(from elsewhere)". */
    Map<String, String> environmentOf(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : list(c.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                manifests.named(ConfigMap.class, from.getConfigMapRef().getName())
                        .ifPresent(m -> map(m.getData()).forEach((k, v) -> env.put(prefix + k, v)));
            }
        }
        for (EnvVar e : list(c.getEnv())) {
            env.put(e.getName(), e.getValue() != null ? e.getValue() : e.getValueFrom() != null ? "(from elsewhere)" : "");
        }
        return env;
    }

    // ---- Services

    private void servicesSelectPodsAndTheirPorts() {
        for (Service s : manifests.all(Service.class)) {
            Map<String, String> selector = map(s.getSpec().getSelector());
            if (selector.isEmpty()) {
                problems.add(describe(s) + ": no selector, so no pods behind it");
                continue;
            }
            List<Workload> selected = manifests.workloads().stream()
                    .filter(w -> labelsOf(w).entrySet().containsAll(selector.entrySet()))
                    .toList();
            if (selected.isEmpty()) {
                problems.add(describe(s) + ": selects " + selector + ", which no Deployment or StatefulSet's pods carry ("
                        + manifests.workloads().stream().map(w -> w.name() + " " + labelsOf(w)).collect(Collectors.joining("; ")) + ")");
                continue;
            }
            for (ServicePort port : list(s.getSpec().getPorts())) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                for (Workload w : selected) {
                    if (containers(w.template().getSpec()).stream().noneMatch(c -> declares(c, target))) {
                        problems.add(describe(s) + ": port " + Optional.ofNullable(port.getName()).orElse("" + port.getPort())
                                + " targets " + show(target) + ", which " + w.describe() + " does not declare "
                                + containers(w.template().getSpec()).stream().map(ManifestChecks::declaredPorts).toList());
                    }
                }
            }
        }
    }

    // ---- the gateway

    private void gatewayOutlastsItsDrain() {
        for (Workload w : workloadsOf("topic-gateway")) {
            PodSpec pod = w.template().getSpec();
            long grace = pod.getTerminationGracePeriodSeconds() == null ? 30 : pod.getTerminationGracePeriodSeconds();
            for (Container c : containers(pod)) {
                if (!isImageOf(c, "topic-gateway")) {
                    continue;
                }
                // the drain times it is given, else those its application.properties sets
                Map<String, String> given = new LinkedHashMap<>();
                Optional.ofNullable(services.get("topic-gateway")).map(ServiceModule::properties).orElse(Map.of())
                        .forEach((k, v) -> given.put(EnvNames.toEnv(k), v));
                given.putAll(environmentOf(c));
                if (environmentOf(c).containsKey("QUARKUS_SHUTDOWN_TIMEOUT")) {
                    problems.add(w.describe() + ": sets QUARKUS_SHUTDOWN_TIMEOUT, which holds every stop of a gateway that had a"
                            + " WebSocket open for its whole length and ends in an ERROR (docs/reliability.md, finding 1)");
                }
                Duration drain = given.entrySet().stream()
                        .filter(e -> e.getKey().contains("SHUTDOWN") || e.getKey().contains("DRAIN"))
                        .map(e -> Durations.parse(e.getValue()))
                        .flatMap(Optional::stream)
                        .max(Duration::compareTo)
                        .orElse(null);
                if (drain == null) {
                    problems.add(w.describe() + ": has no drain time (QUARKUS_SHUTDOWN_DELAY, here or in its"
                            + " application.properties), so a rolling update cuts its clients off instead of draining them");
                    continue;
                }
                long preStop = preStopSeconds(c);
                if (grace < preStop + drain.toSeconds()) {
                    problems.add(w.describe() + ": terminationGracePeriodSeconds " + grace + " is shorter than its preStop pause ("
                            + preStop + " s) and its drain time (" + drain.toSeconds() + " s): the kubelet would kill it mid-drain");
                }
            }
        }
    }

    private static long preStopSeconds(Container c) {
        if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null) {
            return 0;
        }
        var preStop = c.getLifecycle().getPreStop();
        if (preStop.getSleep() != null && preStop.getSleep().getSeconds() != null) {
            return preStop.getSleep().getSeconds();
        }
        if (preStop.getExec() != null) {
            List<String> command = list(preStop.getExec().getCommand());
            if (command.size() == 2 && command.get(0).endsWith("sleep") && command.get(1).matches("\\d+")) {
                return Long.parseLong(command.get(1));
            }
        }
        return 0;
    }

    /** The gateway must trust the issuer the auth-service puts in its tokens, or no token of it is accepted. */
    private void gatewayTrustsTheAuthService() {
        Optional<String> issuer = firstValue("auth-service", "AUTH_ISSUER", "http://localhost:8081");
        Optional<String> trusted = firstValue("topic-gateway", "GATEWAY_SECURITY_ISSUERS", "http://localhost:8081");
        if (issuer.isEmpty() || trusted.isEmpty()) {
            return;
        }
        Set<String> issuers = Stream.of(trusted.get().split(",")).map(String::trim).collect(Collectors.toSet());
        if (!issuers.contains(issuer.get().trim())) {
            problems.add("topic-gateway trusts the issuers " + issuers + ", not the auth-service's AUTH_ISSUER " + issuer.get()
                    + ": its tokens would be refused");
        }
    }

    /**
     * The data-feeder and the redis-bridge verify the same tokens as the gateway, so they trust the
     * same issuers ({@link TrustedIssuers}), every container of each.
     */
    private void tokenVerifiersTrustTheGatewaysIssuers() {
        Map<TrustedIssuers.Verifier, Map<String, Set<String>>> trusted = new LinkedHashMap<>();
        for (TrustedIssuers.Verifier verifier : TrustedIssuers.VERIFIERS) {
            for (Workload w : workloadsOf(verifier.module())) {
                for (Container c : containers(w.template().getSpec())) {
                    if (isImageOf(c, verifier.module())) {
                        trusted.computeIfAbsent(verifier, v -> new LinkedHashMap<>()).put(w.describe() + " container " + c.getName(),
                                TrustedIssuers.trustedBy(verifier, environmentOf(c), services.get(verifier.module())));
                    }
                }
            }
        }
        problems.addAll(TrustedIssuers.disagreements(trusted));
    }

    /**
     * Every container of a service that uses Redis uses the same Redis, the same way (client type
     * and hosts, {@link RedisSettings}); a service without Redis is given no Redis address; the
     * gateways agree on their shard count, pinned on a cluster; their wait settings are well formed.
     */
    private void everyServiceUsesTheSameRedis() {
        Map<String, RedisSettings> settings = new LinkedHashMap<>();
        Map<String, String> shards = new LinkedHashMap<>();
        Map<String, String> pinned = new LinkedHashMap<>();
        for (Workload w : manifests.workloads()) {
            for (Container c : containers(w.template().getSpec())) {
                Matcher image = PUSHGATE_IMAGE.matcher(Objects.toString(c.getImage(), ""));
                ServiceModule module = image.matches() ? services.get(image.group(1)) : null;
                if (module == null) {
                    continue;
                }
                String where = w.describe() + " container " + c.getName();
                Map<String, String> env = environmentOf(c);
                if (!module.usesRedis()) {
                    for (String variable : List.of(RedisSettings.HOSTS, RedisSettings.CLIENT_TYPE)) {
                        if (env.containsKey(variable)) {
                            problems.add(where + ": is given " + variable + ", but " + module.name() + " uses no Redis");
                        }
                    }
                    continue;
                }
                settings.put(where, RedisSettings.of(module, env));
                if (module.name().equals("topic-gateway")) {
                    shards.put(where, RedisSettings.shards(module, env));
                    if (!env.getOrDefault(RedisSettings.SHARDS, "").isBlank()) {
                        pinned.put(where, env.get(RedisSettings.SHARDS));
                    }
                    problems.addAll(RedisSettings.waitProblems(where, env));
                }
            }
        }
        problems.addAll(RedisSettings.problems(settings));
        problems.addAll(RedisSettings.shardProblems(shards, pinned, settings.values().stream().anyMatch(RedisSettings::cluster)));
    }

    /** Each token introspection entry of the gateway is complete, trusts its issuer, and takes its secret from a Secret. */
    private void gatewayIntrospection() {
        for (Workload w : workloadsOf("topic-gateway")) {
            for (Container c : containers(w.template().getSpec())) {
                if (!isImageOf(c, "topic-gateway")) {
                    continue;
                }
                Map<String, String> env = environmentOf(c);
                problems.addAll(IntrospectionEntries.problems(w.describe(), env, name -> secretRef(c, name).isPresent()));
                IntrospectionEntries.of(env).keySet().forEach(entry -> secretRef(c, IntrospectionEntries.PREFIX + entry + "_CLIENT_SECRET")
                        .filter(ref -> Boolean.TRUE.equals(ref.getOptional()))
                        .ifPresent(ref -> problems.add(w.describe() + ": the introspection secret of " + entry + " (Secret " + ref.getName()
                                + " key " + ref.getKey() + ") is optional: without it the gateway would not start; make it required")));
            }
        }
    }

    /**
     * backend-app gets its token from the auth-service with the client secret that the auth-service
     * checks: the same key of the same Secret, never a committed value.
     */
    private void backendGetsItsTokenFromTheAuthService() {
        Optional<Container> backend = containerOf("backend-app");
        Optional<Container> auth = containerOf("auth-service");
        if (backend.isEmpty()) {
            return;
        }
        Map<String, String> env = environmentOf(backend.get());
        String authUrl = env.getOrDefault("BACKEND_AUTH_URL", "").trim();
        if (authUrl.isEmpty()) {
            problems.add("backend-app has no BACKEND_AUTH_URL: it would call the gateway without a token, and the gateway refuses"
                    + " anonymous writes");
        }
        Optional<io.fabric8.kubernetes.api.model.SecretKeySelector> secret = secretRef(backend.get(), "BACKEND_CLIENT_SECRET")
                .or(() -> secretRef(backend.get(), "BACKEND_APP_SECRET"));
        if (secret.isEmpty()) {
            problems.add("backend-app takes BACKEND_CLIENT_SECRET from no Secret: it gets no token (or its secret is committed)");
            return;
        }
        if (Boolean.TRUE.equals(secret.get().getOptional())) {
            problems.add("backend-app's BACKEND_CLIENT_SECRET (Secret " + secret.get().getName() + " key " + secret.get().getKey()
                    + ") is optional: without the key it would start without a token; make it required");
        }
        if (auth.isEmpty()) {
            return;
        }
        String client = env.getOrDefault("BACKEND_CLIENT_ID", "backend-app").trim();
        String clientVariable = "AUTH_CLIENTS_" + EnvNames.toEnv(client) + "_SECRET";
        Optional<io.fabric8.kubernetes.api.model.SecretKeySelector> checked = secretRef(auth.get(), clientVariable)
                // auth.clients.backend-app.secret is ${BACKEND_APP_SECRET} in the auth-service's application.properties
                .or(() -> "backend-app".equals(client) ? secretRef(auth.get(), "BACKEND_APP_SECRET") : Optional.empty());
        if (checked.isEmpty()) {
            problems.add("backend-app authenticates as client " + client + ", whose secret the auth-service takes from no Secret ("
                    + clientVariable + (client.equals("backend-app") ? " or BACKEND_APP_SECRET" : "") + "): no token would be issued");
        } else if (!checked.get().getName().equals(secret.get().getName()) || !checked.get().getKey().equals(secret.get().getKey())) {
            problems.add("backend-app's client secret is Secret " + secret.get().getName() + " key " + secret.get().getKey()
                    + ", the auth-service checks Secret " + checked.get().getName() + " key " + checked.get().getKey()
                    + ": they must be the same");
        }
    }

    private static Optional<io.fabric8.kubernetes.api.model.SecretKeySelector> secretRef(Container c, String variable) {
        return list(c.getEnv()).stream()
                .filter(e -> e.getName().equals(variable) && e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef())
                .findFirst();
    }

    private Optional<Container> containerOf(String module) {
        return workloadsOf(module).stream()
                .flatMap(w -> containers(w.template().getSpec()).stream())
                .filter(c -> isImageOf(c, module))
                .findFirst();
    }

    /** The value of a variable in the first container of a module's image, its default when unset; empty if not deployed. */
    private Optional<String> firstValue(String module, String variable, String defaultValue) {
        for (Workload w : workloadsOf(module)) {
            for (Container c : containers(w.template().getSpec())) {
                if (isImageOf(c, module)) {
                    return Optional.of(environmentOf(c).getOrDefault(variable, defaultValue));
                }
            }
        }
        return Optional.empty();
    }

    // ---- Ingress, NetworkPolicy, HPA, PDB

    private void ingresses() {
        for (Ingress ingress : manifests.all(Ingress.class)) {
            List<IngressServiceBackend> backends = new ArrayList<>();
            if (ingress.getSpec().getDefaultBackend() != null && ingress.getSpec().getDefaultBackend().getService() != null) {
                backends.add(ingress.getSpec().getDefaultBackend().getService());
            }
            for (IngressRule rule : list(ingress.getSpec().getRules())) {
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : list(rule.getHttp().getPaths())) {
                    IngressBackend backend = path.getBackend();
                    if (backend == null || backend.getService() == null) {
                        problems.add(describe(ingress) + ": path " + path.getPath() + " has no service backend");
                    } else {
                        backends.add(backend.getService());
                    }
                }
            }
            for (IngressServiceBackend backend : backends) {
                Optional<Service> service = manifests.named(Service.class, backend.getName());
                if (service.isEmpty()) {
                    problems.add(describe(ingress) + ": routes to Service " + backend.getName() + ", which the manifests do not define");
                    continue;
                }
                var port = backend.getPort();
                boolean known = port != null && list(service.get().getSpec().getPorts()).stream().anyMatch(p -> port.getName() != null
                        ? port.getName().equals(p.getName()) : Objects.equals(port.getNumber(), p.getPort()));
                if (!known) {
                    problems.add(describe(ingress) + ": routes to port " + (port == null ? "(none)" : port.getName() != null
                            ? port.getName() : port.getNumber()) + " of Service " + backend.getName() + ", which it does not have");
                }
                Set<String> behind = servedBy(service.get());
                Set<String> notPublic = new TreeSet<>(behind);
                notPublic.removeAll(PUBLIC_SERVICES);
                notPublic.remove(BRIDGE);
                if (!notPublic.isEmpty()) {
                    problems.add(describe(ingress) + ": exposes " + behind + "; only " + new TreeSet<>(PUBLIC_SERVICES)
                            + " may be public (and " + BRIDGE + " for reading single channels)");
                }
                if (behind.contains("topic-gateway") || behind.contains(BRIDGE)) {
                    keepsConnectionsOpen(ingress);
                }
            }
        }
        IngressRoutes routes = new IngressRoutes(manifests.all(Ingress.class));
        Map<IngressRoutes.Route, Set<String>> routedManagement = new LinkedHashMap<>();
        for (String host : routes.hosts()) {
            for (String path : MANAGEMENT_PATHS) {
                routes.resolve(host, path).ifPresent(r -> routedManagement.computeIfAbsent(r, k -> new TreeSet<>()).add(path));
            }
        }
        routedManagement.forEach((r, paths) -> problems.add(describe(r.ingress()) + ": " + r.pathType() + " path " + r.path()
                + (r.host() == null ? "" : " of " + r.host()) + " routes " + String.join(", ", paths) + " to " + r.service()
                + "; /q/ (metrics, health) must stay inside the cluster: route the service's own paths, not a prefix that covers /q/"));
        for (IngressRoutes.Route route : routes.routes()) {
            manifests.named(Service.class, route.service()).filter(s -> servedBy(s).contains(BRIDGE)).ifPresent(s -> {
                if (!"Exact".equals(route.pathType()) || !BRIDGE_PUBLIC_PATH.matcher(route.path()).matches()) {
                    problems.add(describe(route.ingress()) + ": routes " + route.pathType() + " " + route.path() + " to the " + BRIDGE
                            + ", whose passthrough lets anyone read any channel: route only Exact paths of single channels"
                            + " (/v1/redis/<channel>, no pattern)");
                }
                if (!firstValue(BRIDGE, "BRIDGE_PASSTHROUGH_ALLOW_PUBLISH", "true").orElse("true").trim().equalsIgnoreCase("false")) {
                    problems.add(describe(route.ingress()) + ": routes " + route.path() + " to the " + BRIDGE + ", which lets clients"
                            + " publish (set BRIDGE_PASSTHROUGH_ALLOW_PUBLISH=false): every token with a publish role could write"
                            + " into Redis from outside");
                }
            });
        }
    }

    /** What the web app's pages call, at which paths, and whether it is plain HTTP (which needs CORS across origins). */
    record WebCall(String variable, String module, List<String> paths, boolean needsCors) {
    }

    static final List<WebCall> WEB_CALLS = List.of(
            new WebCall("WEB_GATEWAY_URL", "topic-gateway", List.of("/v1/ws", "/v1/topics"), true),
            new WebCall("WEB_AUTH_URL", "auth-service", List.of("/v1/token", "/v1/principals"), true),
            // a WebSocket, which CORS does not cover
            new WebCall("WEB_BRIDGE_URL", BRIDGE, List.of("/v1/redis/{channel}"), false),
            new WebCall("WEB_FEEDER_URL", "data-feeder", List.of("/v1/feed/start", "/v1/feed/stop"), true));

    /**
     * The browser reaches what the web app's /config.json names. Behind an Ingress, the web app's
     * origin is the Ingress host's, and each URL must route its paths to the right service (the
     * data-feeder's control is not public, so it is not asked for there). Without one, the browser
     * reaches the services through {@code kubectl port-forward}: each URL is localhost with the port
     * of that service's Service. Across origins the service must allow the web app's in CORS; on the
     * same origin behind a TLS-terminating Ingress, CORS must be off or allow it too (the browser's
     * Origin is https, the service sees http).
     */
    private void webAppReachesItsServices() {
        Optional<Container> web = containerOf("client-web");
        if (web.isEmpty()) {
            return;
        }
        Map<String, String> env = environmentOf(web.get());
        String channel = env.getOrDefault("WEB_DASHBOARD_CHANNEL", "prices.btc");
        IngressRoutes routes = new IngressRoutes(manifests.all(Ingress.class));
        Optional<String> publicHost = routes.hosts().stream().filter(Objects::nonNull)
                .filter(h -> routes.resolve(h, "/").map(r -> serves(r.service(), "client-web")).orElse(false))
                .findFirst();
        Optional<Integer> forwardedPort = servicePortOf("client-web");
        String webOrigin = publicHost.map(routes::origin).orElseGet(() -> "http://localhost:" + forwardedPort.orElse(8085));
        for (WebCall call : WEB_CALLS) {
            ServiceModule target = services.get(call.module());
            if (target == null) {
                continue;
            }
            String url = env.getOrDefault(call.variable(), "http://localhost:" + target.port()).trim();
            java.net.URI uri;
            try {
                uri = new java.net.URI(url);
            } catch (java.net.URISyntaxException e) {
                problems.add("client-web: " + call.variable() + " is not a URL: " + url);
                continue;
            }
            String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            String base = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("/+$", "");
            if (publicHost.isPresent()) {
                if (!PUBLIC_SERVICES.contains(call.module()) && !BRIDGE.equals(call.module())) {
                    continue;
                }
                if (!origin.equals(webOrigin)) {
                    problems.add("client-web: " + call.variable() + " " + url + " is not the web app's origin " + webOrigin
                            + " (its Ingress): route " + call.module() + " there");
                    continue;
                }
                for (String path : call.paths()) {
                    String full = base + path.replace("{channel}", channel);
                    Optional<IngressRoutes.Route> route = routes.resolve(publicHost.get(), full);
                    if (route.isEmpty() || !serves(route.get().service(), call.module())) {
                        problems.add("client-web: a browser's request to " + origin + full + " (" + call.variable() + ") goes to "
                                + route.map(r -> "Service " + r.service()).orElse("no Service") + ", not " + call.module());
                    }
                }
                if (call.needsCors()) {
                    corsAllowsOrMayBeOff(call.module(), webOrigin);
                }
            } else {
                boolean local = "http".equals(uri.getScheme()) && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
                Optional<Integer> port = servicePortOf(call.module());
                int urlPort = uri.getPort() < 0 ? 80 : uri.getPort();
                if (!local || port.isEmpty() || port.get() != urlPort) {
                    problems.add("client-web: " + call.variable() + " is " + url + "; without an Ingress the browser reaches "
                            + call.module() + " through `kubectl port-forward svc/" + call.module() + " " + port.map(String::valueOf)
                            .orElse("(no Service)") + "`, so http://localhost:" + port.map(String::valueOf).orElse("?"));
                    continue;
                }
                if (call.needsCors()) {
                    corsAllows(call.module(), webOrigin);
                }
            }
        }
    }

    private void corsAllows(String module, String origin) {
        Map<String, String> env = containerOf(module).map(this::environmentOf).orElse(Map.of());
        boolean enabled = "true".equalsIgnoreCase(env.getOrDefault("QUARKUS_HTTP_CORS_ENABLED", "false").trim());
        Set<String> origins = Stream.of(env.getOrDefault("QUARKUS_HTTP_CORS_ORIGINS", "").split(","))
                .map(String::trim).collect(Collectors.toSet());
        if (!enabled || !origins.contains(origin)) {
            problems.add(module + ": the web app's pages (" + origin + ") call it from another origin, but it does not allow that origin"
                    + " in CORS (QUARKUS_HTTP_CORS_ENABLED=true and " + origin + " in QUARKUS_HTTP_CORS_ORIGINS)");
        }
    }

    private void corsAllowsOrMayBeOff(String module, String origin) {
        Map<String, String> env = containerOf(module).map(this::environmentOf).orElse(Map.of());
        boolean enabled = "true".equalsIgnoreCase(env.getOrDefault("QUARKUS_HTTP_CORS_ENABLED", "false").trim());
        if (enabled && Stream.of(env.getOrDefault("QUARKUS_HTTP_CORS_ORIGINS", "").split(",")).map(String::trim).noneMatch(origin::equals)) {
            problems.add(module + ": CORS is on without the web app's origin " + origin + ": behind the TLS-terminating Ingress the"
                    + " browser's Origin is not what the service sees, so it would refuse the pages' requests; turn CORS off"
                    + " (one origin) or allow " + origin);
        }
    }

    /** The port of the Service in front of a module's pods. */
    private Optional<Integer> servicePortOf(String module) {
        return manifests.all(Service.class).stream()
                .filter(s -> servedBy(s).contains(module))
                .flatMap(s -> list(s.getSpec().getPorts()).stream())
                .map(ServicePort::getPort)
                .findFirst();
    }

    private boolean serves(String serviceName, String module) {
        return manifests.named(Service.class, serviceName).map(s -> servedBy(s).contains(module)).orElse(false);
    }

    /** The gateway's WebSocket and SSE connections last for hours: nginx must neither time them out nor buffer them. */
    private void keepsConnectionsOpen(Ingress ingress) {
        Map<String, String> annotations = map(ingress.getMetadata().getAnnotations());
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            String value = annotations.get(NGINX + timeout);
            if (value == null || !value.trim().matches("\\d+") || Long.parseLong(value.trim()) < LONG_LIVED_SECONDS) {
                problems.add(describe(ingress) + ": " + NGINX + timeout + " is " + value + "; WebSocket and SSE connections to"
                        + " the gateway need at least " + LONG_LIVED_SECONDS);
            }
        }
        if (!"off".equals(annotations.get(NGINX + "proxy-buffering"))) {
            problems.add(describe(ingress) + ": " + NGINX + "proxy-buffering is not off, so SSE events would wait in nginx's buffer");
        }
    }

    /**
     * Who may reach whom, evaluated with Kubernetes' rule on representative pods: a default deny;
     * from outside the namespace only the ingress controller (to what may be public) and Prometheus
     * (to every Pushgate pod's metrics port); no other pod, here or elsewhere; and every in-cluster
     * URL a service is configured with, and every Ingress route, admitted.
     */
    private void networkPolicies() {
        List<Workload> pushgate = manifests.workloads().stream()
                .filter(w -> containers(w.template().getSpec()).stream().anyMatch(c -> PUSHGATE_IMAGE.matcher(Objects.toString(c.getImage(), "")).matches()))
                .toList();
        if (pushgate.isEmpty()) {
            return;
        }
        List<NetworkPolicy> list = manifests.all(NetworkPolicy.class);
        boolean defaultDeny = list.stream().anyMatch(p -> isEmpty(p.getSpec().getPodSelector())
                && list(p.getSpec().getPolicyTypes()).contains("Ingress") && list(p.getSpec().getIngress()).isEmpty());
        if (!defaultDeny) {
            problems.add("NetworkPolicies: none denies ingress by default (podSelector: {}, policyTypes: [Ingress], no rules),"
                    + " so pods no policy selects stay open");
        }
        NetworkPolicies policies = new NetworkPolicies(list);
        for (Workload w : manifests.workloads()) {
            for (Container c : containers(w.template().getSpec())) {
                for (ContainerPort port : list(c.getPorts())) {
                    String target = w.describe() + " port " + (port.getName() != null ? port.getName() + "=" : "") + port.getContainerPort();
                    for (NetworkPolicies.Peer outsider : OUTSIDERS) {
                        if (policies.admits(outsider, w, port)) {
                            problems.add("NetworkPolicies admit " + outsider.describe() + " to " + target + "; from elsewhere only "
                                    + INGRESS_CONTROLLER.describe() + " and " + PROMETHEUS.describe() + " may come in, and a policy"
                                    + " naming a namespace should name the pods too");
                        }
                    }
                    if (policies.admits(INGRESS_CONTROLLER, w, port) && !mayBePublic(w)) {
                        problems.add("NetworkPolicies admit " + INGRESS_CONTROLLER.describe() + " to " + target + "; only "
                                + new TreeSet<>(PUBLIC_SERVICES) + " may be public (and a read-only " + BRIDGE + ")");
                    }
                }
            }
        }
        for (Workload w : pushgate) {
            ContainerPort metrics = metricsPort(w);
            if (metrics != null && !policies.admits(PROMETHEUS, w, metrics)) {
                problems.add("NetworkPolicies do not let " + PROMETHEUS.describe() + " reach " + w.describe() + " on port "
                        + metrics.getContainerPort() + ", where it serves " + METRICS);
            }
        }
        for (Workload source : manifests.workloads()) {
            for (Container c : containers(source.template().getSpec())) {
                environmentOf(c).forEach((variable, value) -> {
                    Matcher url = URL.matcher(value);
                    while (url.find()) {
                        calls(source, variable, url.group(), url.group(1), url.group(2), url.group(3), policies);
                    }
                });
            }
        }
        for (IngressRoutes.Route route : new IngressRoutes(manifests.all(Ingress.class)).routes()) {
            manifests.named(Service.class, route.service()).ifPresent(service ->
                    reaches(INGRESS_CONTROLLER, describe(route.ingress()) + " path " + route.path(), service, null, policies));
        }
    }

    /** A URL a workload is configured with: when it names a Service of these manifests, its pods must be reachable. */
    private void calls(Workload source, String variable, String url, String scheme, String host, String port,
            NetworkPolicies policies) {
        NetworkPolicies.Peer from = NetworkPolicies.Peer.inNamespace(source.describe(), labelsOf(source));
        String h = host.toLowerCase();
        String name;
        if (!h.contains(".")) {
            name = h;
        } else if (h.endsWith(".svc") || h.endsWith(".svc.cluster.local")) {
            name = h.substring(0, h.indexOf('.'));
        } else {
            return;
        }
        Optional<Service> service = manifests.named(Service.class, name);
        if (service.isEmpty()) {
            // a deployed service module under that name, but no Service for it: the call would fail
            if (services.containsKey(name) && !workloadsOf(name).isEmpty()) {
                problems.add(from.describe() + ": " + variable + " calls " + url + ", but the manifests define no Service " + name);
            }
            return;
        }
        Map<String, String> selector = map(service.get().getSpec().getSelector());
        if (!selector.isEmpty() && labelsOf(source).entrySet().containsAll(selector.entrySet())) {
            // its own Service: a name it goes by (the auth-service's AUTH_ISSUER), not a call
            return;
        }
        int number = port != null ? Integer.parseInt(port) : DEFAULT_PORTS.getOrDefault(scheme.toLowerCase(), 80);
        Optional<ServicePort> servicePort = list(service.get().getSpec().getPorts()).stream().filter(p -> p.getPort() == number).findFirst();
        if (servicePort.isEmpty()) {
            problems.add(from.describe() + ": " + variable + " calls " + url + ", but Service " + name + " has no port " + number);
            return;
        }
        reaches(from, variable + " (" + url + ")", service.get(), servicePort.get(), policies);
    }

    /** The pods behind a Service (on one of its ports, or any) admit the peer. */
    private void reaches(NetworkPolicies.Peer from, String why, Service service, ServicePort only, NetworkPolicies policies) {
        if (policies.isEmpty()) {
            return;
        }
        Map<String, String> selector = map(service.getSpec().getSelector());
        for (Workload w : manifests.workloads()) {
            if (selector.isEmpty() || !labelsOf(w).entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            for (ServicePort sp : only != null ? List.of(only) : list(service.getSpec().getPorts())) {
                IntOrString target = sp.getTargetPort() != null ? sp.getTargetPort() : new IntOrString(sp.getPort());
                ContainerPort port = NetworkPolicies.containerPort(w, target);
                if (port != null && !policies.admits(from, w, port)) {
                    problems.add("NetworkPolicies do not let " + from.describe() + " reach " + w.describe() + " on port "
                            + port.getContainerPort() + ", which " + why + " needs");
                }
            }
        }
    }

    /** Whether a workload may be reached from the ingress controller: a public service, or the bridge when it is read-only. */
    private boolean mayBePublic(Workload w) {
        for (Container c : containers(w.template().getSpec())) {
            Matcher m = PUSHGATE_IMAGE.matcher(Objects.toString(c.getImage(), ""));
            if (!m.matches()) {
                return false;
            }
            if (BRIDGE.equals(m.group(1))) {
                return "false".equalsIgnoreCase(environmentOf(c).getOrDefault("BRIDGE_PASSTHROUGH_ALLOW_PUBLISH", "true").trim());
            }
            if (!PUBLIC_SERVICES.contains(m.group(1))) {
                return false;
            }
        }
        return true;
    }

    private void autoscalersAndBudgets() {
        for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            boolean exists = manifests.workloads().stream()
                    .anyMatch(w -> w.object().getKind().equals(target.getKind()) && w.name().equals(target.getName()));
            if (!exists) {
                problems.add(describe(hpa) + ": scales " + target.getKind() + " " + target.getName() + ", which the manifests do not define");
            }
        }
        for (PodDisruptionBudget pdb : manifests.all(PodDisruptionBudget.class)) {
            LabelSelector selector = pdb.getSpec().getSelector();
            if (selector == null || manifests.workloads().stream().noneMatch(w -> selects(selector, labelsOf(w)))) {
                problems.add(describe(pdb) + ": its selector " + render(selector) + " matches no workload's pods");
            }
        }
    }

    // ---- helpers

    private List<Workload> workloadsOf(String module) {
        return manifests.workloads().stream()
                .filter(w -> containers(w.template().getSpec()).stream().anyMatch(c -> isImageOf(c, module)))
                .toList();
    }

    private static boolean isImageOf(Container c, String module) {
        Matcher m = PUSHGATE_IMAGE.matcher(Objects.toString(c.getImage(), ""));
        return m.matches() && m.group(1).equals(module);
    }

    /** The modules (by image) of the pods a Service selects, or their names when they are not Pushgate's. */
    private Set<String> servedBy(Service service) {
        Map<String, String> selector = map(service.getSpec().getSelector());
        Set<String> out = new TreeSet<>();
        for (Workload w : manifests.workloads()) {
            if (!selector.isEmpty() && labelsOf(w).entrySet().containsAll(selector.entrySet())) {
                for (Container c : containers(w.template().getSpec())) {
                    Matcher m = PUSHGATE_IMAGE.matcher(Objects.toString(c.getImage(), ""));
                    out.add(m.matches() ? m.group(1) : w.name());
                }
            }
        }
        return out;
    }

    private static boolean declares(Container c, IntOrString port) {
        for (ContainerPort p : list(c.getPorts())) {
            if (port.getStrVal() != null ? port.getStrVal().equals(p.getName()) : Objects.equals(port.getIntVal(), p.getContainerPort())) {
                return true;
            }
        }
        return false;
    }

    private static String declaredPorts(Container c) {
        return list(c.getPorts()).stream()
                .map(p -> (p.getName() == null ? "" : p.getName() + "=") + p.getContainerPort())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String show(IntOrString port) {
        return port.getStrVal() != null ? "'" + port.getStrVal() + "'" : String.valueOf(port.getIntVal());
    }

    private static Map<String, String> labelsOf(Workload w) {
        return w.template().getMetadata() == null ? Map.of() : map(w.template().getMetadata().getLabels());
    }

    private static LabelSelector selectorOf(HasMetadata object) {
        if (object instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
            return d.getSpec().getSelector();
        }
        if (object instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
            return s.getSpec().getSelector();
        }
        if (object instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet s) {
            return s.getSpec().getSelector();
        }
        return null;
    }

    /** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (!labels.entrySet().containsAll(map(selector.getMatchLabels()).entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : list(selector.getMatchExpressions())) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && list(r.getValues()).contains(value);
                case "NotIn" -> value == null || !list(r.getValues()).contains(value);
                case "Exists" -> labels.containsKey(r.getKey());
                case "DoesNotExist" -> !labels.containsKey(r.getKey());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(LabelSelector selector) {
        return selector == null || (map(selector.getMatchLabels()).isEmpty() && list(selector.getMatchExpressions()).isEmpty());
    }

    private static String render(LabelSelector selector) {
        if (selector == null) {
            return "(none)";
        }
        List<String> parts = new ArrayList<>();
        map(selector.getMatchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
        list(selector.getMatchExpressions()).forEach(r -> parts.add(r.getKey() + " " + r.getOperator() + " " + list(r.getValues())));
        return parts.toString();
    }

    private static List<Container> containers(PodSpec pod) {
        return pod == null ? List.of() : list(pod.getContainers());
    }

    static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    static <K, V> Map<K, V> map(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
