package io.pushgate.bridge.gateway;

import io.pushgate.bridge.config.BridgeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Sets a gateway topic over its REST API: {@code PUT {gateway}/v1/topics/{path}?type=T} with the value as the body. */
public final class GatewayClient {

    /** How one attempt ended. */
    public enum Result {
        /** The gateway set the topic. */
        OK,
        /** Worth trying again: unreachable, timed out, 408, 429 or 5xx. */
        RETRY,
        /** The gateway refused it (400, 401, 403, 404, 409, 413): trying again would not help. */
        REJECTED
    }

    /** The result, the HTTP status (0 without an answer) and what went wrong, for the log. */
    public record Outcome(Result result, int status, String detail) {
    }

    private final HttpClient http;
    private final String topicsUrl;
    private final Optional<String> token;
    private final Duration requestTimeout;

    public GatewayClient(BridgeConfig config) {
        this(HttpClient.newBuilder().connectTimeout(config.gateway().connectTimeout()).build(),
                config.gatewayUrl(), config.gatewayToken(), config.gateway().requestTimeout());
    }

    GatewayClient(HttpClient http, URI gatewayUrl, Optional<String> token, Duration requestTimeout) {
        String base = gatewayUrl.toString();
        this.http = http;
        this.topicsUrl = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/topics/";
        this.token = token.filter(t -> !t.isBlank());
        this.requestTimeout = requestTimeout;
    }

    /** One attempt; blocks for at most the request timeout. */
    public Outcome put(GatewayUpdate update) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(topicsUrl + update.topic() + "?type=" + update.type().name()))
                .timeout(requestTimeout)
                .header("Content-Type", update.type().contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(update.body()));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(Result.OK, status, "");
            }
            boolean retry = status == 408 || status == 429 || status >= 500;
            return new Outcome(retry ? Result.RETRY : Result.REJECTED, status, response.body());
        } catch (IOException e) {
            return new Outcome(Result.RETRY, 0, e.toString());
        }
    }
}
