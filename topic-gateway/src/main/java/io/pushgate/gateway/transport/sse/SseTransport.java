package io.pushgate.gateway.transport.sse;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.transport.EventLoops;
import io.pushgate.gateway.transport.SessionOpener;
import io.pushgate.gateway.transport.UpgradeGate;
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

    // The objects themselves (@Singleton producers), not CDI proxies: a stream may end after the container stopped.
    private final UpgradeGate gate;
    private final SessionOpener sessions;
    private final GatewayConfig config;

    public SseTransport(UpgradeGate gate, SessionOpener sessions, GatewayConfig config) {
        this.gate = gate;
        this.sessions = sessions;
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
        UpgradeGate.Request request = UpgradeGate.of(rc);
        UpgradeGate.Admission<Void> admission = gate.admit(request, () -> null);
        if (admission == null) {
            return;
        }
        // Released however the response ends: refused, finished, or the client went away.
        rc.addEndHandler(ar -> admission.release());
        gate.authenticate(request, admission, credentials -> stream(rc, credentials));
    }

    private void stream(RoutingContext rc, Credentials credentials) {
        DeltaFormat format;
        List<TopicSelector> selectors = new ArrayList<>();
        java.util.Map<String, String> userProperties;
        try {
            userProperties = sessions.connectProperties(rc.request().getParam("properties"));
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
        Session session = sessions.open(out, format, credentials, "SSE", rc.request().remoteAddress().host(), userProperties);
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
