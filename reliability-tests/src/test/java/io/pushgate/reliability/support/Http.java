package io.pushgate.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Small blocking HTTP calls for set-up and checks (after e2e-tests' helper of the same name). */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** An answer: its status ({@code -1} when no answer came), content type and body. */
    public record Answer(int status, String contentType, String body) {
        public JsonNode json() {
            return Json.parse(body);
        }

        /** True when the body is a JSON object (whatever the declared content type). */
        public boolean isJsonObject() {
            try {
                return body != null && Json.parse(body).isObject();
            } catch (RuntimeException e) {
                return false;
            }
        }

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

    public static Answer put(String url, String contentType, String body) {
        return send("PUT", url, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    /** With a bearer token. */
    public static Answer put(String url, String token, String contentType, String body) {
        return send("PUT", url, Map.of("Content-Type", contentType, "Authorization", "Bearer " + token), body.getBytes(StandardCharsets.UTF_8));
    }

    public static Answer post(String url, String contentType, String body) {
        return send("POST", url, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    /** A form post ({@code application/x-www-form-urlencoded}). */
    public static Answer postForm(String url, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return post(url, "application/x-www-form-urlencoded", body.toString());
    }

    /** A token from the auth-service's password grant. */
    public static String passwordToken(String authUrl, String user, String password) {
        return postForm(authUrl + "/v1/token", Map.of("grant_type", "password", "username", user, "password", password))
                .expect(200).json().path("access_token").asText();
    }

    /** Any method, headers and body (null for none), on the shared client. */
    public static Answer send(String method, String url, Map<String, String> headers, byte[] body) {
        return send(CLIENT, method, url, headers, body);
    }

    public static Answer send(HttpClient client, String method, String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
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

    /** The status of {@code GET /q/health/ready}, or -1 when nothing answers. */
    public static int ready(String baseUrl) {
        return get(baseUrl + "/q/health/ready").status();
    }
}
