package io.pushgate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Small blocking HTTP calls for the test's set-up and checks (JSON in, JSON out). */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** An answer: its status and its body (JSON when it is JSON, else null). */
    public record Answer(int status, String body) {
        public JsonNode json() {
            return Json.parse(body);
        }

        /** Any 2xx. */
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

    public static Answer get(String url, String token) {
        return send(request(url, token).GET());
    }

    /** A GET that asks for text (Prometheus metrics). */
    public static Answer getText(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").GET());
    }

    public static Answer put(String url, String token, String contentType, String body) {
        return send(request(url, token).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public static Answer post(String url, String token, String contentType, String body) {
        return send(request(url, token).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public static Answer postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return post(url, null, "application/x-www-form-urlencoded", body);
    }

    /** A token from the auth-service's password grant. */
    public static String passwordToken(String authUrl, String user, String password) {
        return postForm(authUrl + "/v1/token", Map.of("grant_type", "password", "username", user, "password", password))
                .expect(200).json().path("access_token").asText();
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
