package io.pushgate.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SSE and REST half of the bad-input fuzz: random and mutated requests from {@link FuzzInputs},
 * each answer checked for what the contract allows (2xx, or 4xx with a JSON {@code {code, message}}).
 */
public final class HttpFuzz {

    /** The built-in roles are left alone: rewriting ADMINISTRATOR would change what the fuzz itself may do. */
    private static final Set<String> BUILT_IN_ROLES = Set.of("ADMINISTRATOR", "CLIENT", "TOPIC_CONTROL", "OPERATOR");

    private HttpFuzz() {
    }

    /** What came back: statuses, and each kind of bad answer with how often and an example. */
    public static final class Outcome {
        public int requests;
        public final Map<Integer, Integer> statuses = new TreeMap<>();
        /** Each kind of bad answer (status, content type, body), with how often and one request that got it. */
        public final Map<String, String> problems = new TreeMap<>();
        private final Map<String, Integer> counts = new HashMap<>();

        void record(String request, int status, String contentType, String body) {
            requests++;
            statuses.merge(status, 1, Integer::sum);
            boolean jsonError = false;
            if (status >= 400) {
                try {
                    JsonNode b = Json.parse(body);
                    jsonError = b.path("code").isTextual() && b.path("message").isTextual();
                } catch (RuntimeException e) {
                    jsonError = false;
                }
            }
            if (status >= 500 || status < 0 || (status >= 400 && !jsonError)) {
                String kind = status + " " + contentType + " " + abbreviate(body).replaceAll("[0-9a-f]{8,}", "*");
                int n = counts.merge(kind, 1, Integer::sum);
                problems.put(kind, n + "x, e.g. " + abbreviate(request));
            }
        }
    }

    /** Up to {@code requests} SSE requests with random, mutated and repeated selectors and delta formats, until the deadline. */
    public static Outcome sse(ServiceProcess gateway, long seed, int requests, long deadline) {
        FuzzInputs inputs = new FuzzInputs(seed);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Outcome out = new Outcome();
        for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
            StringBuilder query = new StringBuilder();
            int selectors = inputs.random().nextInt(3);
            for (int s = 0; s < selectors; s++) {
                query.append(query.length() == 0 ? "" : "&").append("selector=").append(inputs.selectorParameter());
            }
            if (inputs.random().nextInt(4) == 0) {
                query.append(query.length() == 0 ? "" : "&").append("delta=")
                        .append(List.of("fossil", "none", "json-patch", "bogus", "").get(inputs.random().nextInt(5)));
            }
            String url = gateway.httpUrl() + "/v1/sse" + (query.length() == 0 ? "" : "?" + query);
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream").build();
            } catch (IllegalArgumentException e) {
                continue; // a URL the client cannot even send
            }
            try {
                HttpResponse<InputStream> r = sendOnce(client, request, HttpResponse.BodyHandlers.ofInputStream());
                String body = "";
                try (InputStream in = r.body()) {
                    if (r.statusCode() != 200) {
                        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                out.record("GET " + url, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body);
            } catch (IOException e) {
                out.record("GET " + url, -1, "", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /** Up to {@code requests} REST requests of random methods, paths, queries, content types and bodies, until the deadline. */
    public static Outcome rest(ServiceProcess gateway, long seed, int requests, long deadline) {
        FuzzInputs inputs = new FuzzInputs(seed);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Outcome out = new Outcome();
        Random r = inputs.random();
        for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
            String method = List.of("GET", "PUT", "POST", "DELETE", "PATCH").get(r.nextInt(5));
            String target = switch (r.nextInt(7)) {
                case 0 -> "/v1/topics/" + inputs.pathParameter() + query(r, "type", "add", "ifSeq", "descendants");
                case 1 -> "/v1/topics?selector=" + inputs.selectorParameter() + query(r, "withValues");
                case 2 -> "/v1/timeseries/" + inputs.pathParameter() + query(r, "fromLast", "from", "to", "fromTime", "limit", "view");
                case 3 -> "/v1/timeseries/" + inputs.pathParameter() + "/" + r.nextInt(5);
                case 4 -> "/v1/views/" + viewName(inputs);
                case 5 -> "/v1/security/roles/" + roleName(inputs);
                default -> List.of("/v1/views", "/v1/security/roles", "/v1/topics").get(r.nextInt(3));
            };
            String contentType = List.of("application/json", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded",
                    "garbage/\u00e9", "").get(r.nextInt(6));
            String body = target.startsWith("/v1/views/") ? viewText(inputs)
                    : target.startsWith("/v1/security/roles/") ? roleBody(inputs)
                    : r.nextBoolean() ? inputs.value(4) : inputs.mutate(inputs.value(3));
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(gateway.httpUrl() + target)).timeout(Duration.ofSeconds(10));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!contentType.isEmpty()) {
                try {
                    b.header("Content-Type", contentType);
                } catch (IllegalArgumentException e) {
                    // not a legal header value for this client
                }
            }
            b.method(method, "GET".equals(method) || "DELETE".equals(method) ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            try {
                HttpResponse<String> a = sendOnce(client, b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                out.record(method + " " + target, a.statusCode(), a.headers().firstValue("Content-Type").orElse(""), a.body());
            } catch (IOException e) {
                out.record(method + " " + target, -1, "", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /**
     * Sends, and once more if the connection failed: a server closes its connection after
     * refusing a request line that is too long, and the client may have picked that pooled
     * connection for the next request.
     */
    private static <T> HttpResponse<T> sendOnce(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            return client.send(request, handler);
        }
    }

    private static String query(Random r, String... names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            if (r.nextInt(3) == 0) {
                String v = List.of("1", "-1", "0", "true", "x", "9223372036854775808", "1e309", "%00", "JSON", "TIME_SERIES", "%ZZ", "")
                        .get(r.nextInt(12));
                sb.append(sb.length() == 0 ? "?" : "&").append(name).append('=').append(v.equals("%ZZ") ? "%25ZZ" : v);
            }
        }
        return sb.toString();
    }

    private static String viewName(FuzzInputs inputs) {
        Random r = inputs.random();
        return r.nextBoolean() ? "fuzz" + r.nextInt(4) : inputs.pathParameter();
    }

    private static String viewText(FuzzInputs inputs) {
        Random r = inputs.random();
        String valid = List.of(
                "map ?fuzz// to fuzzviews/<path(1)>",
                "map >fuzz/json to fuzzviews/j as <value(/a)> throttle to 1 update every 5 seconds",
                "map ?fuzz/ to fuzzviews/<scalar(/a)>/<path(1)> delay by 2 seconds",
                "map *(a+)+b to fuzzviews/x",
                "map ?fuzz// to fuzzviews/<path(0, 9999999999)>",
                "map ?fuzz// to fuzzviews/<scalar(/" + "a/".repeat(200) + ")> separator '/'",
                "map ?fuzz// to <path(0)>/<path(0)>",
                "map ?fuzz/ to fuzzviews/<path(1)> type INT64 throttle to 0 updates every 0 seconds",
                "map >fuzz/ts to fuzzviews/ts expand",
                "").get(r.nextInt(10));
        return r.nextInt(3) == 0 ? inputs.mutate(valid) : valid;
    }

    private static String roleName(FuzzInputs inputs) {
        Random r = inputs.random();
        String name = r.nextBoolean() ? "FUZZ" + r.nextInt(4) : inputs.pathParameter();
        return BUILT_IN_ROLES.contains(name.toUpperCase(Locale.ROOT)) ? "FUZZ9" : name;
    }

    private static String roleBody(FuzzInputs inputs) {
        Random r = inputs.random();
        List<String> perms = List.of("\"SELECT_TOPIC\"", "\"READ_TOPIC\"", "\"MODIFY_SECURITY\"", "\"BOGUS\"", "1", "null", "\"\"");
        String p1 = perms.get(r.nextInt(perms.size()));
        String p2 = perms.get(r.nextInt(perms.size()));
        String role = "\"FUZZ" + r.nextInt(4) + "\"";
        String valid = "{\"defaultPathPermissions\":[" + p1 + "],\"pathPermissions\":{\"fuzz\":[" + p2 + "]},"
                + "\"globalPermissions\":[" + p2 + "],\"includes\":[" + role + "]}";
        return r.nextInt(3) == 0 ? inputs.mutate(valid) : r.nextInt(5) == 0 ? inputs.value(3) : valid;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
