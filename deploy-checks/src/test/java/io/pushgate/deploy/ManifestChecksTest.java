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

    private static List<String> problems(String yaml) {
        return ManifestChecks.check(Manifests.parse(yaml), Repository.get().services());
    }

    private static List<String> problemsAfter(String from, String to) {
        String yaml = GATEWAY + INGRESS;
        assertThat(yaml).as("the mistake's context").contains(from);
        return problems(yaml.replace(from, to));
    }

    @Test
    void aSoundGatewayPasses() {
        assertThat(problems(GATEWAY + INGRESS)).isEmpty();
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
        assertThat(problems(feeder)).isEmpty();
        assertThat(problems(feeder + INGRESS.replace("topic-gateway", "data-feeder")))
                .anySatisfy(p -> assertThat(p).contains("exposes [data-feeder]"));
    }

    @Test
    void aNetworkPolicyOpeningAPrivateServiceToOtherNamespacesIsReported() {
        String policies = """
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
        assertThat(problems(GATEWAY + policies))
                .anySatisfy(p -> assertThat(p).contains("admits traffic from outside the namespace to [data-feeder, topic-gateway]"));
        assertThat(problems(GATEWAY + policies.replace(", \"data-feeder\"", ""))).isEmpty();
        assertThat(problems(GATEWAY + policies.substring(policies.indexOf("---", 3))))
                .anySatisfy(p -> assertThat(p).contains("none denies ingress by default"));
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

    private static String unescape(String s) {
        return s.replace("\\n", "\n");
    }
}
