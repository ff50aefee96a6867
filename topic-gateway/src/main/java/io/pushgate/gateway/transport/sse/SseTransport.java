package io.pushgate.gateway.transport.sse;

import io.pushgate.protocol.Causes;
import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.core.GatewayCore;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.transport.BearerToken;
import io.pushgate.gateway.transport.ConnectionLimiter;
import io.pushgate.gateway.transport.EventLoops;
import io.pushgate.protocol.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Optional;
import io.pushgate.gateway.transport.HttpErrors;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.delta.DeltaFormat;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.pushgate.protocol.TopicPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * {@code GET /v1/sse?selector=...}: the same messages as the WebSocket, as Server-Sent Events.
 * {@code selector} may be repeated; {@code delta} chooses the delta format as on the
 * WebSocket. A comment line every 15 s keeps proxies from closing an idle stream.
 */
@ApplicationScoped
public class SseTransport {

    private static final long HEARTBEAT_MS = 15_000;

    private final GatewayCore core;
    private final GatewayConfig config;

    public SseTransport(GatewayCore core, GatewayConfig config) {
        this.core = core;
        this.config = config;
    }

    void routes(@Observes Router router) {
        router.get("/v1/sse").handler(this::open);
    }

    /**
     * The resume positions an event id carries: {@code path=seq;path=seq}. Anything that does
     * not parse is ignored: the client then gets what a new subscriber gets.
     */
    static Map<String, Long> positions(String lastEventId) {
        Map<String, Long> positions = new HashMap<>();
        if (lastEventId == null || lastEventId.isBlank()) {
            return positions;
        }
        for (String part : lastEventId.split(";")) {
            int eq = part.lastIndexOf('=');
            if (eq > 0) {
                String path = part.substring(0, eq).trim();
                try {
                    long seq = Long.parseLong(part.substring(eq + 1).trim());
                    if (TopicPath.isValid(path) && seq >= 0) {
                        positions.put(path, seq);
                    }
                } catch (NumberFormatException e) {
                    // not a position: ignored
                }
            }
        }
        return positions;
    }

    private void open(RoutingContext rc) {
        if (core.isDraining()) {
            HttpErrors.send(rc.response(), new ProtocolException(ErrorCode.UNAVAILABLE, "this gateway is shutting down: connect to another"));
            return;
        }
        Optional<String> token;
        try {
            core.origins().check(rc.request());
            token = BearerToken.of(rc.request());
        } catch (ProtocolException e) {
            HttpErrors.send(rc.response(), e);
            return;
        }
        String address = rc.request().remoteAddress().host();
        if (!core.connections().tryAcquire(address)) {
            HttpErrors.send(rc.response(), new ProtocolException(ErrorCode.RATE_LIMITED,
                    "at most " + core.connections().limit() + " connections from one address"));
            return;
        }
        // Released however the response ends: refused, finished, or the client went away.
        // The limiter itself, not through the CDI proxy: a stream may end after the container stopped.
        ConnectionLimiter connections = core.connections();
        rc.addEndHandler(ar -> connections.release(address));
        if (token.isEmpty()) {
            stream(rc, null);
            return;
        }
        rc.request().pause();
        Context context = Vertx.currentContext();
        core.authenticate(token.get()).whenComplete((credentials, error) -> context.runOnContext(v -> {
            rc.request().resume();
            if (error != null) {
                Throwable cause = Causes.unwrap(error);
                HttpErrors.send(rc.response(), cause instanceof ProtocolException pe ? pe
                        : new ProtocolException(ErrorCode.UNAUTHENTICATED, "the token was not accepted"));
            } else {
                stream(rc, credentials);
            }
        }));
    }

    private void stream(RoutingContext rc, Credentials credentials) {
        DeltaFormat format;
        List<TopicSelector> selectors = new ArrayList<>();
        java.util.Map<String, String> userProperties;
        try {
            userProperties = core.sessionControl().connectProperties(rc.request().getParam("properties"));
            format = DeltaFormat.parse(rc.request().getParam("delta"));
            List<String> expressions = rc.queryParam("selector");
            if (expressions.isEmpty()) {
                throw ProtocolException.invalid("missing query parameter 'selector'");
            }
            for (String expression : expressions) {
                selectors.add(TopicSelector.parse(expression));
            }
        } catch (ProtocolException e) {
            HttpErrors.send(rc.response(), e);
            return;
        }
        HttpServerResponse response = rc.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.setWriteQueueMaxSize(config.limits().writeQueueBytes());
        response.write(": connected\n\n");
        SseOutbound out = new SseOutbound(response, EventLoops.current());
        Session session = new Session(core.nextSessionId(), core.hub(), out, format, core.sessionLimits(), System::nanoTime);
        if (credentials != null) {
            session.authenticated(credentials);
        }
        core.describe(session, "SSE", rc.request().remoteAddress().host(), userProperties);
        long heartbeat = rc.vertx().setPeriodic(HEARTBEAT_MS, id -> {
            if (!response.closed()) {
                response.write(": ping\n\n");
            }
        });
        response.drainHandler(v -> session.drained());
        response.closeHandler(v -> {
            rc.vertx().cancelTimer(heartbeat);
            session.close();
        });
        session.resumeFrom(positions(rc.request().getHeader("Last-Event-ID")));
        for (TopicSelector selector : selectors) {
            session.subscribe(selector);
        }
    }
}
