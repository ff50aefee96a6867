package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checks catch what a broken manifest gets wrong: a sound gateway (Deployment, Service,
 * ConfigMap) passes, and each mistake below, made to it alone, is reported.
 */
class ManifestChecksTest {

    private static final String GATEWAY = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: topic-gateway-config
            data:
              GATEWAY_SECURITY_ISSUERS: http://auth-service:8081
              QUARKUS_SHUTDOWN_DELAY: 30s
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: topic-gateway
            spec:
              selector:
                app.kubernetes.io/name: topic-gateway
              ports:
                - name: http
                  port: 8080
                  targetPort: http
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: topic-gateway
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: topic-gateway
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: topic-gateway
                  annotations:
                    prometheus.io/scrape: "true"
                    prometheus.io/path: /q/metrics
                    prometheus.io/port: "8080"
                spec:
                  terminationGracePeriodSeconds: 45
                  securityContext:
                    runAsNonRoot: true
                  containers:
                    - name: topic-gateway
                      image: pushgate/topic-gateway:latest
                      ports:
                        - name: http
                          containerPort: 8080
                      envFrom:
                        - configMapRef:
                            name: topic-gateway-config
                      env:
                        - name: GATEWAY_LIMITS_MAX_TOPICS
                          value: "5000"
                      readinessProbe:
                        httpGet:
                          path: /q/health/ready
                          port: http
                      livenessProbe:
                        httpGet:
                          path: /q/health/live
                          port: http
                      lifecycle:
                        preStop:
                          exec:
                            command: ["sleep", "5"]
                      resources:
                        requests:
                          cpu: 250m
                          memory: 512Mi
                        limits:
                          cpu: "2"
                          memory: 1Gi
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: ["ALL"]
                      volumeMounts:
                        - name: tmp
                          mountPath: /tmp
                  volumes:
                    - name: tmp
                      emptyDir: {}
            """;

    private static final String INGRESS = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: topic-gateway
              annotations:
                nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
                nginx.ingress.kubernetes.io/proxy-send-timeout: "3600"
                nginx.ingress.kubernetes.io/proxy-buffering: "off"
            spec:
              rules:
                - host: pushgate.example.com
                  http:
                    paths:
                      - path: /v1
                        pathType: Prefix
                        backend:
                          service:
                            name: topic-gateway
                            port:
                              name: http
            """;

    /** Nothing gets in but Prometheus, to any pod's port http. */
    private static final String POLICIES = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: default-deny-ingress
            spec:
              podSelector: {}
              policyTypes: ["Ingress"]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: metrics-from-prometheus
            spec:
              podSelector: {}
              policyTypes: ["Ingress"]
              ingress:
                - from:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: monitoring
                      podSelector:
                        matchLabels:
                          app.kubernetes.io/name: prometheus
                  ports:
                    - protocol: TCP
                      port: http
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-from-ingress-controller
            spec:
              podSelector:
                matchExpressions:
                  - key: app.kubernetes.io/name
                    operator: In
                    values: ["topic-gateway", "auth-service", "client-web", "redis-bridge"]
              ingress:
                - from:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: ingress-nginx
                  ports:
                    - port: http
            """;

    /**
     * A sound Service and Deployment of a module, like the gateway's, its environment given as
     * "NAME: value" or "NAME: secret SECRET/KEY".
     */
    private static String service(String module, int port, String... env) {
        StringBuilder variables = new StringBuilder();
        for (String e : env) {
            int colon = e.indexOf(':');
            variables.append("            - name: ").append(e, 0, colon).append('\n');
            String value = e.substring(colon + 1).trim();
            if (value.startsWith("secret ")) {
                String[] ref = value.substring("secret ".length()).split("/");
                variables.append("              valueFrom:\n                secretKeyRef:\n                  name: ").append(ref[0])
                        .append("\n                  key: ").append(ref[1]).append('\n');
            } else {
                variables.append("              value: \"").append(value).append("\"\n");
            }
        }
        String yaml = GATEWAY.substring(GATEWAY.indexOf("---"))
                .replace("          envFrom:\n            - configMapRef:\n                name: topic-gateway-config\n", "")
                .replace("          lifecycle:\n            preStop:\n              exec:\n                command: [\"sleep\", \"5\"]\n", "")
                .replace("topic-gateway", module)
                .replace("8080", String.valueOf(port))
                .replace("            - name: GATEWAY_LIMITS_MAX_TOPICS\n              value: \"5000\"\n", variables.toString());
        assertThat(yaml).as("the fixture of " + module).doesNotContain("GATEWAY_LIMITS_MAX_TOPICS", "envFrom", "preStop");
        return yaml;
    }

    private static List<String> problems(String yaml) {
        return ManifestChecks.check(Manifests.parse(yaml), Repository.get().services());
    }

    private static List<String> problemsAfter(String from, String to) {
        String yaml = GATEWAY + INGRESS + POLICIES;
        assertThat(yaml).as("the mistake's context").contains(from);
        return problems(yaml.replace(from, to));
    }

    @Test
    void aSoundGatewayPasses() {
        assertThat(problems(GATEWAY + INGRESS + POLICIES)).isEmpty();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            selector:\\n    app.kubernetes.io/name: topic-gateway   | selector:\\n    app.kubernetes.io/name: topic-gatway     | which no Deployment or StatefulSet's pods carry
            targetPort: http                                          | targetPort: web                                          | targets 'web'
            targetPort: http                                          | targetPort: 8081                                         | targets 8081
            path: /q/health/ready                                     | path: /health                                            | readinessProbe asks /health
            path: /q/health/live\\n              port: http           | path: /q/health/live\\n              port: 9090          | livenessProbe uses port 9090
            readinessProbe:                                           | readinesProbe:                                           | unknown field
            GATEWAY_SECURITY_ISSUERS: http                            | GATEWAY_SECURITY_ISSUER: http                            | sets GATEWAY_SECURITY_ISSUER, which topic-gateway does not read
            name: GATEWAY_LIMITS_MAX_TOPICS                           | name: GATEWAY_MAX_TOPICS                                 | sets GATEWAY_MAX_TOPICS, which topic-gateway does not read
            image: pushgate/topic-gateway:latest                      | image: pushgate/topic-gatway:latest                      | names no service module
            image: pushgate/topic-gateway:latest                      | image: nginx:1.27                                        | is neither pushgate/<service module>
            containerPort: 8080                                       | containerPort: 8081                                      | listens on 8080
            cpu: 250m                                                 | cpu: "4"                                                 | exceeds the limit
            memory: 512Mi\\n                                          | \\n                                                      | no resources.requests.memory
            runAsNonRoot: true                                        | runAsNonRoot: false                                      | runAsNonRoot is not true
            allowPrivilegeEscalation: false                           | allowPrivilegeEscalation: true                           | allowPrivilegeEscalation is not false
            readOnlyRootFilesystem: true                              | readOnlyRootFilesystem: false                            | readOnlyRootFilesystem is not true
            drop: ["ALL"]                                             | drop: ["NET_RAW"]                                        | drop does not hold ALL
            mountPath: /tmp                                           | mountPath: /scratch                                      | needs an emptyDir mounted at /tmp
            terminationGracePeriodSeconds: 45                         | terminationGracePeriodSeconds: 30                        | shorter than its preStop pause
            QUARKUS_SHUTDOWN_DELAY: 30s                               | QUARKUS_SHUTDOWN_DELAY: 90s                              | drain time (90 s)
            QUARKUS_SHUTDOWN_DELAY: 30s                               | QUARKUS_SHUTDOWN_TIMEOUT: 30s                            | sets QUARKUS_SHUTDOWN_TIMEOUT
            name: topic-gateway-config\\ndata:                     | name: gateway-config\\ndata:                            | envFrom ConfigMap topic-gateway-config, which the manifests do not define
            proxy-read-timeout: "3600"                                | proxy-read-timeout: "60"                                 | proxy-read-timeout is 60
            proxy-buffering: "off"                                    | proxy-buffering: "on"                                    | proxy-buffering is not off
            name: topic-gateway\\n                port               | name: topic-gateways\\n                port               | routes to Service topic-gateways
            apiVersion: networking.k8s.io/v1                          | apiVersion: networking.k8s.io/v2                         | is not a kind the Kubernetes model knows
            prometheus.io/port: "8080"                                | prometheus.io/port: "9090"                               | annotation prometheus.io/port is 9090
            prometheus.io/path: /q/metrics                            | prometheus.io/path: /metrics                             | annotation prometheus.io/path is /metrics
            prometheus.io/scrape: "true"                              | prometheus.io/scrape: "false"                            | no annotation prometheus.io/scrape
            path: /v1\\n            pathType: Prefix                 | path: /\\n            pathType: Prefix                  | Prefix path / of pushgate.example.com routes /q/dev-ui, /q/health, /q/health/live, /q/health/ready, /q/metrics to topic-gateway
            path: /v1\\n            pathType: Prefix                 | path: /q\\n            pathType: Prefix                 | Prefix path /q of pushgate.example.com routes /q/dev-ui, /q/health
            app.kubernetes.io/name: prometheus                        | app.kubernetes.io/name: grafana                          | do not let Prometheus
            podSelector:\\n            matchLabels:\\n              app.kubernetes.io/name: prometheus | podSelector: {} | a pod of the monitoring namespace other than Prometheus
            kubernetes.io/metadata.name: monitoring\\n          podSelector: | kubernetes.io/metadata.name: monitoring\\n        - podSelector: | a pod of the monitoring namespace other than Prometheus
            podSelector: {}\\n  policyTypes: ["Ingress"]\\n--- | podSelector:\\n    matchLabels:\\n      app: x\\n  policyTypes: ["Ingress"]\\n--- | none denies ingress by default
            """)
    void eachMistakeIsReported(String from, String to, String reported) {
        assertThat(problemsAfter(unescape(from), unescape(to))).anySatisfy(p -> assertThat(p).contains(reported));
    }

    @Test
    void aSecretWithValuesIsReported() {
        String secret = """
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: pushgate-auth
                stringData:
                  admin-password: hunter2
                """;
        assertThat(problems(GATEWAY + secret)).anySatisfy(p -> assertThat(p).contains("Secret pushgate-auth commits values"));
    }

    @Test
    void variablesFromAnUnlistedSecretAreReported() {
        String yaml = GATEWAY.replace("envFrom:\n", "envFrom:\n            - secretRef:\n                name: pushgate-auth\n");
        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("hides which variables it sets"));
    }

    @Test
    void anIngressToAPrivateServiceIsReported() {
        String feeder = GATEWAY.replace("topic-gateway", "data-feeder").replace("8080", "8083")
                .replace("GATEWAY_SECURITY_ISSUERS: http://auth-service:8081", "FEEDER_SOURCE: replay")
                .replace("GATEWAY_LIMITS_MAX_TOPICS", "FEEDER_PERIOD").replace("\"5000\"", "5s");
        assertThat(problems(feeder + POLICIES)).isEmpty();
        assertThat(problems(feeder + POLICIES + INGRESS.replace("topic-gateway", "data-feeder")))
                .anySatisfy(p -> assertThat(p).contains("exposes [data-feeder]"));
    }

    @Test
    void aNetworkPolicyLettingTheIngressControllerReachAPrivateServiceIsReported() {
        String policy = """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: allow-from-ingress-controller
                spec:
                  podSelector:
                    matchExpressions:
                      - key: app.kubernetes.io/name
                        operator: In
                        values: ["topic-gateway", "data-feeder"]
                  policyTypes: ["Ingress"]
                  ingress:
                    - from:
                        - namespaceSelector:
                            matchLabels:
                              kubernetes.io/metadata.name: ingress-nginx
                """;
        String feeder = service("data-feeder", 8083, "FEEDER_SECURITY_ISSUERS: http://auth-service:8081");
        assertThat(problems(GATEWAY + POLICIES + feeder)).isEmpty();
        assertThat(problems(GATEWAY + POLICIES + feeder + policy))
                .anySatisfy(p -> assertThat(p).contains("admit the ingress controller (namespace ingress-nginx) to Deployment data-feeder"))
                .noneSatisfy(p -> assertThat(p).contains("to Deployment topic-gateway"));
        assertThat(problems(GATEWAY + POLICIES + feeder + policy.replace(", \"data-feeder\"", ""))).isEmpty();
    }

    @Test
    void aCallThatTheNetworkPoliciesBlockIsReported() {
        String auth = service("auth-service", 8081, "AUTH_ISSUER: http://auth-service:8081");
        String allow = """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: auth-service-from-its-callers
                spec:
                  podSelector:
                    matchLabels:
                      app.kubernetes.io/name: auth-service
                  ingress:
                    - from:
                        - podSelector:
                            matchLabels:
                              app.kubernetes.io/name: topic-gateway
                      ports:
                        - port: http
                """;
        assertThat(problems(GATEWAY + POLICIES + auth)).anySatisfy(p -> assertThat(p).contains(
                "do not let Deployment topic-gateway reach Deployment auth-service on port 8081, which GATEWAY_SECURITY_ISSUERS"
                        + " (http://auth-service:8081) needs"));
        assertThat(problems(GATEWAY + POLICIES + auth + allow)).isEmpty();
        // a URL naming a deployed module whose Service is missing
        assertThat(problems(GATEWAY + POLICIES + auth.replace("name: auth-service\nspec:\n  selector:", "name: auth\nspec:\n  selector:") + allow))
                .anySatisfy(p -> assertThat(p).contains("calls http://auth-service:8081, but the manifests define no Service auth-service"));
    }

    @Test
    void theBridgeIsPublicOnlyForReadingSingleChannels() {
        String bridge = service("redis-bridge", 8082, "BRIDGE_PASSTHROUGH_ALLOW_PUBLISH: false",
                "BRIDGE_SECURITY_ISSUERS: http://auth-service:8081");
        String ingress = INGRESS.replace("name: topic-gateway", "name: redis-bridge")
                .replace("path: /v1\n            pathType: Prefix", "path: /v1/redis/prices.btc\n            pathType: Exact");
        assertThat(ingress).contains("/v1/redis/prices.btc");
        assertThat(problems(GATEWAY + POLICIES + bridge + ingress)).isEmpty();
        assertThat(problems(GATEWAY + POLICIES + bridge.replace("value: \"false\"", "value: \"true\"") + ingress))
                .anySatisfy(p -> assertThat(p).contains("which lets clients publish"));
        assertThat(problems(GATEWAY + POLICIES + bridge + ingress.replace("/v1/redis/prices.btc", "/v1/redis/*")))
                .anySatisfy(p -> assertThat(p).contains("route only Exact paths of single channels"));
        assertThat(problems(GATEWAY + POLICIES + bridge + ingress.replace("pathType: Exact", "pathType: Prefix")))
                .anySatisfy(p -> assertThat(p).contains("route only Exact paths of single channels"));
    }

    @Test
    void anIncompleteOrUntrustedIntrospectionEntryIsReported() {
        String complete = GATEWAY.replace("  QUARKUS_SHUTDOWN_DELAY: 30s\n", """
                  QUARKUS_SHUTDOWN_DELAY: 30s
                  GATEWAY_SECURITY_INTROSPECTION_KC_ISSUER: http://auth-service:8081
                  GATEWAY_SECURITY_INTROSPECTION_KC_URL: http://auth-service:8081/introspect
                  GATEWAY_SECURITY_INTROSPECTION_KC_CLIENT_ID: pushgate-gateway
                """).replace("            - name: GATEWAY_LIMITS_MAX_TOPICS\n", """
                            - name: GATEWAY_SECURITY_INTROSPECTION_KC_CLIENT_SECRET
                              valueFrom:
                                secretKeyRef:
                                  name: pushgate-gateway
                                  key: kc-secret
                            - name: GATEWAY_LIMITS_MAX_TOPICS
                """);
        assertThat(complete).contains("INTROSPECTION_KC_URL", "INTROSPECTION_KC_CLIENT_SECRET");
        assertThat(problems(complete + POLICIES)).isEmpty();
        assertThat(problems(complete.replace("  GATEWAY_SECURITY_INTROSPECTION_KC_URL: http://auth-service:8081/introspect\n", "") + POLICIES))
                .anySatisfy(p -> assertThat(p).contains("introspection entry KC").contains("has no GATEWAY_SECURITY_INTROSPECTION_KC_URL"));
        assertThat(problems(complete.replace("KC_ISSUER: http://auth-service:8081", "KC_ISSUER: http://keycloak:8180/realms/x") + POLICIES))
                .anySatisfy(p -> assertThat(p).contains("its issuer http://keycloak:8180/realms/x is not one of GATEWAY_SECURITY_ISSUERS"));
        assertThat(problems(complete.replace("key: kc-secret", "key: kc-secret\n                  optional: true") + POLICIES))
                .anySatisfy(p -> assertThat(p).contains("is optional: without it the gateway would not start"));
        assertThat(problems(complete.replace("  GATEWAY_SECURITY_INTROSPECTION_KC_CLIENT_ID: pushgate-gateway\n",
                "  GATEWAY_SECURITY_INTROSPECTION_KC_CLIENT_ID: pushgate-gateway\n  GATEWAY_SECURITY_INTROSPECTION_KC_CLIENT_SECRET: s3cret\n")
                .replace("            - name: GATEWAY_SECURITY_INTROSPECTION_KC_CLIENT_SECRET\n              valueFrom:\n                secretKeyRef:\n"
                        + "                  name: pushgate-gateway\n                  key: kc-secret\n", "") + POLICIES))
                .anySatisfy(p -> assertThat(p).contains("GATEWAY_SECURITY_INTROSPECTION_KC_CLIENT_SECRET is not taken from a secret"));
    }

    @Test
    void aBackendAppWithoutTheAuthServicesClientSecretIsReported() {
        String auth = service("auth-service", 8081, "AUTH_ISSUER: http://auth-service:8081", "BACKEND_APP_SECRET: secret pushgate-auth/backend-app-secret");
        String backend = service("backend-app", 8084, "BACKEND_GATEWAY_URL: http://topic-gateway:8080",
                "BACKEND_AUTH_URL: http://auth-service:8081", "BACKEND_CLIENT_SECRET: secret pushgate-auth/backend-app-secret");
        String open = """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: from-pushgate
                spec:
                  podSelector: {}
                  ingress:
                    - from:
                        - podSelector:
                            matchExpressions:
                              - key: app.kubernetes.io/name
                                operator: In
                                values: ["topic-gateway", "backend-app"]
                """;
        String yaml = GATEWAY + POLICIES + open + auth + backend;
        assertThat(problems(yaml)).isEmpty();
        assertThat(problems(yaml.replace("secret pushgate-auth/backend-app-secret", "x").replace("key: backend-app-secret\n              value",
                "key: backend-app-secret\n              value")
                .replace("BACKEND_CLIENT_SECRET\n              valueFrom:\n                secretKeyRef:\n                  name: pushgate-auth\n"
                        + "                  key: backend-app-secret", "BACKEND_CLIENT_SECRET\n              valueFrom:\n                secretKeyRef:\n"
                        + "                  name: pushgate-auth\n                  key: backend-secret")))
                .anySatisfy(p -> assertThat(p).contains("the auth-service checks Secret pushgate-auth key backend-app-secret: they must be the same"));
        assertThat(problems(yaml.replace("            - name: BACKEND_AUTH_URL\n              value: \"http://auth-service:8081\"\n", "")))
                .anySatisfy(p -> assertThat(p).contains("backend-app has no BACKEND_AUTH_URL"));
        assertThat(problems(yaml.replace("BACKEND_CLIENT_SECRET\n              valueFrom:\n                secretKeyRef:\n"
                + "                  name: pushgate-auth\n                  key: backend-app-secret\n", "BACKEND_CLIENT_SECRET\n              value: \"s3cret\"\n")))
                .anySatisfy(p -> assertThat(p).contains("backend-app takes BACKEND_CLIENT_SECRET from no Secret"));
    }

    @Test
    void aWebAppThatTheBrowserCannotFollowIsReported() {
        String web = service("client-web", 8085, "WEB_GATEWAY_URL: http://localhost:8080", "WEB_AUTH_URL: http://localhost:8081",
                "WEB_BRIDGE_URL: http://localhost:8082", "WEB_FEEDER_URL: http://localhost:8083");
        String others = service("auth-service", 8081, "AUTH_ISSUER: http://auth-service:8081", "QUARKUS_HTTP_CORS_ENABLED: true",
                "QUARKUS_HTTP_CORS_ORIGINS: http://localhost:8085,http://127.0.0.1:8085")
                + service("redis-bridge", 8082, "BRIDGE_PASSTHROUGH_ALLOW_PUBLISH: false", "BRIDGE_SECURITY_ISSUERS: http://auth-service:8081")
                + service("data-feeder", 8083, "QUARKUS_HTTP_CORS_ENABLED: true", "QUARKUS_HTTP_CORS_ORIGINS: http://localhost:8085",
                        "FEEDER_SECURITY_ISSUERS: http://auth-service:8081");
        String allowGateway = """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: auth-service-from-the-token-verifiers
                spec:
                  podSelector:
                    matchLabels:
                      app.kubernetes.io/name: auth-service
                  ingress:
                    - from:
                        - podSelector:
                            matchExpressions:
                              - key: app.kubernetes.io/name
                                operator: In
                                values: ["topic-gateway", "data-feeder", "redis-bridge"]
                """;
        String cors = GATEWAY.replace("  QUARKUS_SHUTDOWN_DELAY: 30s\n",
                "  QUARKUS_SHUTDOWN_DELAY: 30s\n  QUARKUS_HTTP_CORS_ENABLED: \"true\"\n  QUARKUS_HTTP_CORS_ORIGINS: http://localhost:8085\n");
        web = web + others + allowGateway;
        assertThat(problems(cors + POLICIES + web)).isEmpty();
        assertThat(problems(GATEWAY + POLICIES + web)).anySatisfy(p -> assertThat(p).contains(
                "topic-gateway: the web app's pages (http://localhost:8085) call it from another origin, but it does not allow that origin"));
        assertThat(problems(cors + POLICIES + web.replace("value: \"http://localhost:8080\"", "value: \"http://localhost:9999\"")))
                .anySatisfy(p -> assertThat(p).contains("WEB_GATEWAY_URL is http://localhost:9999").contains("kubectl port-forward svc/topic-gateway 8080"));
        // behind an Ingress: the web app's origin, routed to the right services
        String ingress = INGRESS.replace("          - path: /v1\n", """
                          - path: /
                            pathType: Exact
                            backend:
                              service:
                                name: client-web
                                port:
                                  name: http
                          - path: /v1
                """);
        String publicWeb = web.replace("value: \"http://localhost:8080\"", "value: \"http://pushgate.example.com\"")
                .replace("value: \"http://localhost:8081\"", "value: \"http://pushgate.example.com\"");
        assertThat(ingress).contains("name: client-web");
        assertThat(problems(GATEWAY + POLICIES + publicWeb + ingress))
                .anySatisfy(p -> assertThat(p).contains("a browser's request to http://pushgate.example.com/v1/token (WEB_AUTH_URL) goes to"
                        + " Service topic-gateway, not auth-service"))
                .anySatisfy(p -> assertThat(p).contains("WEB_BRIDGE_URL http://localhost:8082 is not the web app's origin http://pushgate.example.com"))
                .noneSatisfy(p -> assertThat(p).contains("WEB_GATEWAY_URL"));
    }

    /**
     * The data-feeder and the redis-bridge must trust exactly the gateway's issuers: unset (their
     * default, localhost), one fewer, or one more is reported; and the issuer they fetch keys from
     * is a call the NetworkPolicies must admit, like the gateway's.
     */
    @Test
    void aFeederOrBridgeThatTrustsOtherIssuersThanTheGatewayIsReported() {
        String auth = service("auth-service", 8081, "AUTH_ISSUER: http://auth-service:8081");
        String feeder = service("data-feeder", 8083, "FEEDER_SECURITY_ISSUERS: http://auth-service:8081");
        // read-only, as POLICIES lets the ingress controller reach it
        String bridge = service("redis-bridge", 8082, "BRIDGE_PASSTHROUGH_ALLOW_PUBLISH: false", "BRIDGE_SECURITY_ISSUERS: http://auth-service:8081");
        String allow = """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: auth-service-from-the-token-verifiers
                spec:
                  podSelector:
                    matchLabels:
                      app.kubernetes.io/name: auth-service
                  ingress:
                    - from:
                        - podSelector:
                            matchExpressions:
                              - key: app.kubernetes.io/name
                                operator: In
                                values: ["topic-gateway", "data-feeder", "redis-bridge"]
                      ports:
                        - port: http
                """;
        String sound = GATEWAY + POLICIES + allow + auth + feeder + bridge;
        assertThat(problems(sound)).isEmpty();
        // the same issuers in another order, with spaces, agree
        String twoIssuers = GATEWAY.replace("GATEWAY_SECURITY_ISSUERS: http://auth-service:8081",
                "GATEWAY_SECURITY_ISSUERS: http://auth-service:8081,https://sso.example.com/realms/x");
        assertThat(problems(twoIssuers + POLICIES + allow + auth
                + service("data-feeder", 8083, "FEEDER_SECURITY_ISSUERS: https://sso.example.com/realms/x , http://auth-service:8081")
                + service("redis-bridge", 8082, "BRIDGE_PASSTHROUGH_ALLOW_PUBLISH: false",
                        "BRIDGE_SECURITY_ISSUERS: http://auth-service:8081, https://sso.example.com/realms/x")))
                .isEmpty();

        assertThat(problems(GATEWAY + POLICIES + allow + auth + service("data-feeder", 8083) + bridge)).singleElement().satisfies(p -> assertThat(p)
                .contains("Deployment data-feeder container data-feeder trusts the issuers [http://localhost:8081] (FEEDER_SECURITY_ISSUERS")
                .contains("but Deployment topic-gateway container topic-gateway trusts [http://auth-service:8081] (GATEWAY_SECURITY_ISSUERS)"));
        assertThat(problems(GATEWAY + POLICIES + allow + auth + feeder
                + bridge.replace("value: \"http://auth-service:8081\"", "value: \"http://auth-service:8081,http://keycloak:8180/realms/pushgate\"")))
                .singleElement().satisfies(p -> assertThat(p).contains("Deployment redis-bridge container redis-bridge trusts the issuers"
                        + " [http://auth-service:8081, http://keycloak:8180/realms/pushgate] (BRIDGE_SECURITY_ISSUERS"));
        assertThat(problems(sound.replace("GATEWAY_SECURITY_ISSUERS: http://auth-service:8081",
                "GATEWAY_SECURITY_ISSUERS: http://auth-service:8081,http://keycloak:8180/realms/pushgate")))
                .hasSize(2).allSatisfy(p -> assertThat(p).contains("trusts [http://auth-service:8081, http://keycloak:8180/realms/pushgate]"));
        // their issuer's keys: a call the policies must admit
        assertThat(problems(sound.replace("values: [\"topic-gateway\", \"data-feeder\", \"redis-bridge\"]", "values: [\"topic-gateway\"]")))
                .anySatisfy(p -> assertThat(p).contains("do not let Deployment data-feeder reach Deployment auth-service on port 8081, which"
                        + " FEEDER_SECURITY_ISSUERS (http://auth-service:8081) needs"))
                .anySatisfy(p -> assertThat(p).contains("do not let Deployment redis-bridge reach Deployment auth-service on port 8081, which"
                        + " BRIDGE_SECURITY_ISSUERS (http://auth-service:8081) needs"));
    }

    @Test
    void aGatewayThatDoesNotTrustTheAuthServiceIsReported() {
        String auth = """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: auth-service
                spec:
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: auth-service
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: auth-service
                    spec:
                      containers:
                        - name: auth-service
                          image: pushgate/auth-service:latest
                          env:
                            - name: AUTH_ISSUER
                              value: https://auth.example.com
                """;
        assertThat(problems(GATEWAY + auth))
                .anySatisfy(p -> assertThat(p).contains("not the auth-service's AUTH_ISSUER https://auth.example.com"));
    }

    /**
     * Every service that uses Redis uses the same one, the same way: another Redis, another client
     * type, several hosts for a standalone client, or a host that is no Redis URL is reported; a
     * service without Redis given one is reported; on a cluster the gateways pin one shard count.
     */
    @Test
    void servicesOnAnotherRedisOrGatewaysThatDisagreeOnTheirShardsAreReported() {
        String gateway = GATEWAY.replace("  QUARKUS_SHUTDOWN_DELAY: 30s\n", "  QUARKUS_SHUTDOWN_DELAY: 30s\n  QUARKUS_REDIS_HOSTS: redis://redis:6379\n");
        String feeder = service("data-feeder", 8083, "FEEDER_SECURITY_ISSUERS: http://auth-service:8081", "QUARKUS_REDIS_HOSTS: redis://redis:6379");
        assertThat(problems(gateway + POLICIES + feeder)).isEmpty();
        // unset: the service's own default (localhost), another Redis than the gateway's
        assertThat(problems(gateway + POLICIES + service("data-feeder", 8083, "FEEDER_SECURITY_ISSUERS: http://auth-service:8081")))
                .anySatisfy(p -> assertThat(p).contains("Deployment data-feeder container data-feeder uses Redis as"
                        + " QUARKUS_REDIS_CLIENT_TYPE=standalone QUARKUS_REDIS_HOSTS=redis://localhost:6379, but Deployment topic-gateway"));
        assertThat(problems(gateway + POLICIES + feeder.replace("redis://redis:6379", "redis:6379")))
                .anySatisfy(p -> assertThat(p).contains("holds redis:6379, which is not a redis:// or rediss:// URL"));
        assertThat(problems(gateway + POLICIES + feeder + service("client-web", 8085, "QUARKUS_REDIS_HOSTS: redis://redis:6379")))
                .anySatisfy(p -> assertThat(p).contains("Deployment client-web container client-web: is given QUARKUS_REDIS_HOSTS, but"
                        + " client-web uses no Redis"));

        String nodes = "redis://node-1:6379,redis://node-2:6379,redis://node-3:6379";
        String clusterGateway = GATEWAY.replace("  QUARKUS_SHUTDOWN_DELAY: 30s\n", "  QUARKUS_SHUTDOWN_DELAY: 30s\n"
                + "  QUARKUS_REDIS_CLIENT_TYPE: cluster\n  QUARKUS_REDIS_HOSTS: " + nodes + "\n  GATEWAY_REDIS_SHARDS: \"16\"\n");
        String clusterFeeder = service("data-feeder", 8083, "FEEDER_SECURITY_ISSUERS: http://auth-service:8081",
                "QUARKUS_REDIS_CLIENT_TYPE: cluster", "QUARKUS_REDIS_HOSTS: " + nodes.replace(",", ", "));
        assertThat(problems(clusterGateway + POLICIES + clusterFeeder)).isEmpty();
        assertThat(problems(clusterGateway + POLICIES + clusterFeeder.replace("value: \"cluster\"", "value: \"standalone\"")))
                .anySatisfy(p -> assertThat(p).contains("lists 3 hosts, but its client is standalone"))
                .anySatisfy(p -> assertThat(p).contains("Deployment data-feeder container data-feeder uses Redis as"
                        + " QUARKUS_REDIS_CLIENT_TYPE=standalone"));
        assertThat(problems(clusterGateway.replace("  GATEWAY_REDIS_SHARDS: \"16\"\n", "") + POLICIES + clusterFeeder))
                .singleElement().satisfies(p -> assertThat(p).contains("on a Redis Cluster, GATEWAY_REDIS_SHARDS is not set"));
        assertThat(problems(clusterGateway.replace("GATEWAY_REDIS_SHARDS: \"16\"", "GATEWAY_REDIS_SHARDS: \"sixteen\"") + POLICIES + clusterFeeder))
                .anySatisfy(p -> assertThat(p).contains("GATEWAY_REDIS_SHARDS is sixteen, not a number"));
        // a second Deployment of the gateway (a canary, say) with another shard count
        String canary = GATEWAY.substring(GATEWAY.lastIndexOf("---"))
                .replace("metadata:\n  name: topic-gateway\n", "metadata:\n  name: topic-gateway-canary\n")
                .replace("name: GATEWAY_LIMITS_MAX_TOPICS\n              value: \"5000\"", "name: GATEWAY_REDIS_SHARDS\n              value: \"8\"");
        assertThat(canary).contains("topic-gateway-canary", "GATEWAY_REDIS_SHARDS");
        assertThat(problems(clusterGateway + POLICIES + clusterFeeder + "\n" + canary))
                .anySatisfy(p -> assertThat(p).contains("the gateways disagree on GATEWAY_REDIS_SHARDS")
                        .contains("Deployment topic-gateway container topic-gateway=16").contains("Deployment topic-gateway-canary container topic-gateway=8"));
        assertThat(problems(clusterGateway.replace("  GATEWAY_REDIS_SHARDS: \"16\"\n", "  GATEWAY_REDIS_SHARDS: \"16\"\n  GATEWAY_REDIS_WAIT_REPLICAS: one\n")
                + POLICIES + clusterFeeder)).anySatisfy(p -> assertThat(p).contains("GATEWAY_REDIS_WAIT_REPLICAS is one, not a number"));
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n");
    }
}
