package io.pushgate.backend.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pushgate.client.PushgateClient;
import io.pushgate.client.PushgateException;
import io.pushgate.client.TopicState;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link GatewayPort} over the real gateway. {@code add}, {@code set} and fetches go through the
 * Java client library's WebSocket connection ({@link GatewayConnection}); the library has no
 * {@code append}, {@code edit}, {@code range} nor security operations, so those use the gateway's
 * REST API ({@code POST /v1/topics/{path}}, {@code PUT /v1/timeseries/{path}/{seq}},
 * {@code GET /v1/timeseries/{path}}, {@code /v1/security/principals/{name}}), with the same token.
 */
public final class Gateway implements GatewayPort {

    private final GatewayConnection connection;
    private final HttpClient http;
    private final URI baseUrl;
    private final TokenSource tokens;
    private final Duration timeout;

    public Gateway(GatewayConnection connection, HttpClient http, URI baseUrl, TokenSource tokens, Duration timeout) {
        this.connection = connection;
        this.http = http;
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.timeout = timeout;
    }

    // ---------------------------------------------------------------- through the client library

    @Override
    public boolean add(String topic, JsonNode spec) {
        return "CREATED".equals(await(client().add(topic, spec), "add " + topic));
    }

    @Override
    public long set(String topic, JsonNode value, JsonNode spec) {
        return await(client().set(topic, value, spec), "set " + topic);
    }

    @Override
    public Optional<JsonNode> value(String topic) {
        List<TopicState> found = await(client().fetch(">" + topic), "fetch " + topic);
        return found.stream().filter(t -> t.topic().equals(topic) && t.value() != null).map(TopicState::value).findFirst();
    }

    @Override
    public Optional<JsonNode> spec(String topic) {
        List<TopicState> found = await(client().fetch(">" + topic, false), "fetch " + topic);
        return found.stream().filter(t -> t.topic().equals(topic)).map(TopicState::spec).findFirst();
    }

    private PushgateClient client() {
        PushgateClient c = connection.client();
        if (c == null) {
            throw GatewayException.unavailable("not connected to the gateway yet", false, null);
        }
        return c;
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PushgateException pe) {
                if (pe.code() == ErrorCode.UNAUTHENTICATED) {
                    tokens.invalidate();
                }
                return rethrow(new GatewayException(pe.code(), what + ": " + pe.getMessage(), pe.code() == ErrorCode.UNAVAILABLE, pe));
            }
            return rethrow(GatewayException.unavailable(what + ": " + cause, true, cause));
        } catch (TimeoutException e) {
            future.cancel(false);
            return rethrow(GatewayException.unavailable(what + ": no answer within " + timeout, true, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return rethrow(GatewayException.unavailable(what + ": interrupted", true, e));
        }
    }

    private static <T> T rethrow(GatewayException e) {
        throw e;
    }

    // ---------------------------------------------------------------- through REST

    @Override
    public long append(String topic, JsonNode value) {
        return call("POST", "/v1/topics/" + topic, value, "append to " + topic).path("seq").asLong();
    }

    @Override
    public long edit(String topic, long seq, JsonNode value) {
        return call("PUT", "/v1/timeseries/" + topic + "/" + seq, value, "edit " + topic + " #" + seq).path("seq").asLong();
    }

    @Override
    public List<GatewayEvent> lastEvents(String topic, int count, View view) {
        return events(call("GET", "/v1/timeseries/" + topic + "?fromLast=" + count + viewParameter(view), null, "range of " + topic));
    }

    @Override
    public List<GatewayEvent> eventsFrom(String topic, long from, int limit, View view) {
        return events(call("GET", "/v1/timeseries/" + topic + "?from=" + from + "&limit=" + limit + viewParameter(view), null,
                "range of " + topic));
    }

    private static String viewParameter(View view) {
        return view == View.EDITS ? "&view=edits" : "";
    }

    @Override
    public JsonNode principalOverrides(String principal) {
        try {
            return call("GET", "/v1/security/principals/" + segment(principal), null, "overrides of " + principal);
        } catch (GatewayException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Json.MAPPER.createObjectNode();
            }
            throw e;
        }
    }

    @Override
    public void putPrincipalOverrides(String principal, JsonNode overrides) {
        call("PUT", "/v1/security/principals/" + segment(principal), overrides, "overrides of " + principal);
    }

    @Override
    public int closeSessions(String filter, String reason) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.MAPPER.createObjectNode().put("filter", filter).put("reason", reason);
        return call("POST", "/v1/sessions/close", body, "close of sessions " + filter).path("sessions").asInt();
    }

    @Override
    public int unsubscribeSessions(String filter, String selector) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.MAPPER.createObjectNode().put("filter", filter).put("selector", selector);
        return call("POST", "/v1/sessions/unsubscribe", body, "unsubscription of sessions " + filter).path("sessions").asInt();
    }

    private static List<GatewayEvent> events(JsonNode body) {
        List<GatewayEvent> events = new ArrayList<>();
        JsonNode list = body.path("events");
        if (list instanceof ArrayNode array) {
            array.forEach(e -> events.add(GatewayEvent.fromJson(e)));
        }
        return events;
    }

    private JsonNode call(String method, String path, JsonNode body, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(timeout).header("Accept", "application/json");
        tokens.current().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        boolean write = !"GET".equals(method);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw GatewayException.unavailable(what + ": no answer within " + timeout, write, e);
        } catch (IOException e) {
            // a refused connection was never sent; anything else may have reached the gateway
            boolean refused = e instanceof java.net.ConnectException;
            throw GatewayException.unavailable(what + ": " + e, write && !refused, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unavailable(what + ": interrupted", write, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            String text = response.body();
            try {
                return text == null || text.isBlank() ? Json.MAPPER.createObjectNode() : Json.parse(text);
            } catch (ProtocolException e) {
                throw GatewayException.unavailable(what + ": the answer is not JSON", false, e);
            }
        }
        ErrorCode code = codeOf(status, response.body());
        if (code == ErrorCode.UNAUTHENTICATED) {
            tokens.invalidate();
        }
        // a 5xx that is not the gateway's own UNAVAILABLE (a proxy, a crash mid-request) may have applied it
        boolean inDoubt = write && status >= 500 && status != 503;
        throw new GatewayException(code, what + ": " + status + " " + TokenResponse.errorOf(response.body()), inDoubt);
    }

    /** The {@code code} of the gateway's {@code {code, message}} error, else the one its HTTP status means. */
    static ErrorCode codeOf(int status, String body) {
        try {
            JsonNode json = Json.parse(body);
            if (json.hasNonNull("code")) {
                return ErrorCode.valueOf(json.get("code").asText());
            }
        } catch (ProtocolException | IllegalArgumentException e) {
            // not the gateway's error format: go by the status
        }
        for (ErrorCode c : ErrorCode.values()) {
            if (c.httpStatus() == status) {
                return c;
            }
        }
        return status >= 500 ? ErrorCode.UNAVAILABLE : status == 405 ? ErrorCode.NOT_FOUND : ErrorCode.INVALID;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
