package io.pushgate.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Small blocking HTTP calls for a test's set-up and checks against services run as processes
 * (JSON in, JSON out), on one shared JDK client speaking HTTP/1.1. A call that gets no answer
 * returns status {@code -1} rather than throwing, so that fault tests can assert on it.
 */
public final class Http {

    /** The tests' JSON mapper. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Http() {
    }

    /** An answer: its status ({@code -1} when no answer came), content type and body. */
    public record Answer(int status, String contentType, String body) {

        /** The body as JSON; fails when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** True when the body is a JSON object (whatever the declared content type). */
        public boolean isJsonObject() {
            try {
                return body != null && JSON.readTree(body).isObject();
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /** Any 2xx, else an {@link AssertionError} with the answer. */
        public Answer expectSuccess() {
            if (status < 200 || status > 299) {
                throw new AssertionError("expected a success, got " + status + ": " + body);
            }
            return this;
        }

        public Answer expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected " + expected + ", got " + status + ": " + body);
            }
            return this;
        }
    }

    public static Answer get(String url) {
        return send("GET", url, Map.of(), null);
    }

    /** With a bearer token ({@code null} for none). */
    public static Answer get(String url, String token) {
        return send("GET", url, bearer(token, Map.of()), null);
    }

    /** A GET that asks for text (Prometheus metrics). */
    public static Answer getText(String url) {
        return send("GET", url, Map.of("Accept", "text/plain"), null);
    }

    public static Answer put(String url, String contentType, String body) {
        return put(url, null, contentType, body);
    }

    /** With a bearer token ({@code null} for none). */
    public static Answer put(String url, String token, String contentType, String body) {
        return send("PUT", url, bearer(token, Map.of("Content-Type", contentType)), body.getBytes(StandardCharsets.UTF_8));
    }

    public static Answer post(String url, String contentType, String body) {
        return post(url, null, contentType, body);
    }

    /** With a bearer token ({@code null} for none). */
    public static Answer post(String url, String token, String contentType, String body) {
        return send("POST", url, bearer(token, Map.of("Content-Type", contentType)), body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code body} as JSON ({@code null} for none), with a bearer token ({@code null} for none). */
    public static Answer sendJson(String method, String url, String token, Object body) {
        byte[] bytes;
        try {
            bytes = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + body + " as JSON", e);
        }
        return send(method, url, bearer(token, Map.of("Content-Type", "application/json")), bytes);
    }

    /** A form post ({@code application/x-www-form-urlencoded}). */
    public static Answer postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return post(url, "application/x-www-form-urlencoded", body);
    }

    /** A token from the auth-service's password grant. */
    public static String passwordToken(String authUrl, String user, String password) {
        return postForm(authUrl + "/v1/token", Map.of("grant_type", "password", "username", user, "password", password))
                .expect(200).json().path("access_token").asText();
    }

    /** The status of {@code GET /q/health/ready}, or -1 when nothing answers. */
    public static int ready(String baseUrl) {
        return get(baseUrl + "/q/health/ready").status();
    }

    /** Any method, headers and body (null for none), on the shared client; {@code Accept: application/json} unless given. */
    public static Answer send(String method, String url, Map<String, String> headers, byte[] body) {
        return send(CLIENT, method, url, headers, body);
    }

    /** The same on another client (one with other settings, or another HTTP version). */
    public static Answer send(HttpClient client, String method, String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        if (!headers.containsKey("Accept")) {
            b.header("Accept", "application/json");
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            return new Answer(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> bearer(String token, Map<String, String> headers) {
        if (token == null) {
            return headers;
        }
        Map<String, String> with = new LinkedHashMap<>(headers);
        with.put("Authorization", "Bearer " + token);
        return with;
    }
}
