package io.pushgate.client;

import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.DeltaFormat;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The gateway's WebSocket endpoint as the client connects to it, and what a refused handshake means. */
final class Endpoint {

    private Endpoint() {
    }

    /**
     * The endpoint for a base URI: {@code ws(s)} (from {@code http(s)} too), {@code /v1/ws} when
     * there is no path, and {@code delta=} set to the format (replacing one already there). A null
     * format leaves the query as it is.
     *
     * @throws IllegalArgumentException for a URI that is not {@code ws(s)} or {@code http(s)}
     */
    static URI of(URI base, DeltaFormat format) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        scheme = switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("not a WebSocket URI: " + base);
        };
        if (base.getRawAuthority() == null) {
            throw new IllegalArgumentException("no host in " + base);
        }
        String path = base.getRawPath() == null || base.getRawPath().isEmpty() || base.getRawPath().equals("/")
                ? "/v1/ws" : base.getRawPath();
        StringBuilder query = new StringBuilder();
        if (base.getRawQuery() != null) {
            for (String param : base.getRawQuery().split("&")) {
                if (param.isEmpty() || (format != null && (param.equals("delta") || param.startsWith("delta=")))) {
                    continue;
                }
                query.append(query.length() == 0 ? "" : "&").append(param);
            }
        }
        if (format != null) {
            query.append(query.length() == 0 ? "" : "&").append("delta=")
                    .append(URLEncoder.encode(format.wireName(), StandardCharsets.UTF_8));
        }
        return URI.create(scheme + "://" + base.getRawAuthority() + path + (query.length() == 0 ? "" : "?" + query));
    }

    /** The error code of a refused handshake's HTTP status (401 is UNAUTHENTICATED, ...). */
    static ErrorCode codeForStatus(int status) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return code;
            }
        }
        return ErrorCode.UNAVAILABLE;
    }

    /** The endpoint with {@code properties=<JSON>} (user session properties) in its query, when there are any. */
    static URI withSessionProperties(URI endpoint, Map<String, String> properties) {
        if (properties.isEmpty()) {
            return endpoint;
        }
        String json = Json.write(Json.MAPPER.valueToTree(new TreeMap<>(properties)));
        String param = "properties=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
        String text = endpoint.toString();
        return URI.create(text + (endpoint.getRawQuery() == null ? "?" : "&") + param);
    }

    /** Why a connection to {@code uri} could not be opened, as the exception {@code connect()} throws. */
    static PushgateException connectFailure(URI uri, Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof PushgateException pe) {
            return pe;
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            Object body = handshake.getResponse().body();
            return new PushgateException(codeForStatus(status), "cannot connect to " + uri + ": HTTP " + status
                    + (body instanceof String s && !s.isBlank() ? " " + s : ""), cause);
        }
        return new PushgateException(ErrorCode.UNAVAILABLE, "cannot connect to " + uri + ": " + cause, cause);
    }

    /** A handshake refused with 400, 401 or 403: another replica would refuse it alike. */
    static boolean refusedEverywhere(Throwable error) {
        if (Causes.unwrap(error) instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            return status == 400 || status == 401 || status == 403;
        }
        return false;
    }
}
