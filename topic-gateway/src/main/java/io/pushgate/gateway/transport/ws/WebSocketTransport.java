package io.pushgate.gateway.transport.ws;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.sessions.Messages;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.transport.EventLoops;
import io.pushgate.gateway.transport.SessionOpener;
import io.pushgate.gateway.transport.UpgradeGate;
import java.util.Map;
import io.netty.channel.Channel;
import io.vertx.core.net.impl.ConnectionBase;
import io.pushgate.gateway.transport.HttpErrors;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.delta.DeltaFormat;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/ws}: the WebSocket transport. Vert.x's server WebSocket is used directly
 * (rather than websockets-next) because the fan-out path needs its write queue
 * ({@code writeQueueFull}, drain handler) to conflate slow consumers instead of queueing.
 */
@ApplicationScoped
public class WebSocketTransport implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class);

    // The objects themselves (@Singleton producers), not CDI proxies: a socket may close after the
    // container has stopped (a connection accepted as the gateway shut down), when a proxy could no
    // longer resolve.
    private final UpgradeGate gate;
    private final SessionOpener sessions;
    private final RequestDispatcher dispatcher;
    private final TopicService topics;
    private final GatewayConfig config;

    public WebSocketTransport(UpgradeGate gate, SessionOpener sessions, RequestDispatcher dispatcher, TopicService topics,
                              GatewayConfig config) {
        this.gate = gate;
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.topics = topics;
        this.config = config;
    }

    /**
     * A single WebSocket frame is read whole before anything can look at it, so its size is
     * bounded where it is decoded (Netty), at twice the gateway's limit: a frame a little too large
     * gets a TOO_LARGE error and the connection goes on; a larger one ends the connection with 1009
     * ({@link FrameLimit}). A message in many frames is put together by {@link MessageAssembler},
     * which drops one over the limit as it comes and answers TOO_LARGE, whatever its size.
     */
    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        int limit = maxWebSocketFrameBytes();
        options.setMaxWebSocketFrameSize(limit);
        // Vert.x aggregates nothing here (frameHandler); its bound would only matter to a text handler.
        options.setMaxWebSocketMessageSize(limit);
    }

    private int maxWebSocketFrameBytes() {
        return (int) Math.min(Integer.MAX_VALUE / 2, (long) config.limits().maxFrameBytes() * 2);
    }

    /**
     * The Netty channel under the upgraded request. Vert.x Web hands out a wrapper of the
     * server WebSocket, so the channel is reached through the request's connection (a Vert.x
     * internal type); null if that ever changes, and the connection then works unbatched.
     */
    private static Channel channelOf(RoutingContext rc) {
        if (rc.request().connection() instanceof ConnectionBase connection) {
            return connection.channel();
        }
        if (!channelWarned) {
            channelWarned = true;
            LOG.warnf("the WebSocket's Netty channel is not reachable (%s): writes are not batched", rc.request().connection());
        }
        return null;
    }

    private static volatile boolean channelWarned;

    void routes(@Observes Router router) {
        router.get("/v1/ws").handler(this::upgrade);
    }

    /** What the upgrade asks for besides the checks of the gate: the delta format, the framing, the user properties. */
    private record Parameters(DeltaFormat format, Framing framing, Map<String, String> userProperties) {
    }

    private void upgrade(RoutingContext rc) {
        UpgradeGate.Request request = UpgradeGate.of(rc);
        UpgradeGate.Admission<Parameters> admission = gate.admit(request, () -> new Parameters(
                DeltaFormat.parse(rc.request().getParam("delta")),
                Framing.parse(rc.request().getParam("batch"), rc.request().getParam("batch-delay"), config.limits().maxBatchDelay().toMillis()),
                sessions.connectProperties(rc.request().getParam("properties"))));
        if (admission == null) {
            return;
        }
        // A token is verified before the upgrade: a bad one gets HTTP 401 and no session.
        gate.authenticate(request, admission, credentials -> upgrade(rc, admission, credentials));
    }

    private void upgrade(RoutingContext rc, UpgradeGate.Admission<Parameters> admission, Credentials credentials) {
        if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
            admission.release();
            HttpErrors.send(rc.response(), ProtocolException.invalid("GET /v1/ws needs a WebSocket upgrade"));
            return;
        }
        rc.request().toWebSocket()
                .onSuccess(socket -> open(rc, socket, admission, credentials))
                .onFailure(error -> {
                    admission.release();
                    LOG.debugf("WebSocket upgrade failed: %s", error.getMessage());
                });
    }

    private void open(RoutingContext rc, ServerWebSocket socket, UpgradeGate.Admission<Parameters> admission, Credentials credentials) {
        Framing framing = admission.parameters().framing();
        socket.setWriteQueueMaxSize(config.limits().writeQueueBytes());
        Channel channel = channelOf(rc);
        int writesPerFlush = config.limits().writesPerFlush();
        int fragmentAbove = maxWebSocketFrameBytes();
        // Messages wait for the loop's next flush and leave in one write per connection (one
        // frame each, or one frame of lines with batch=lines); writes-per-flush 0 turns that off
        // for connections without batch, which then flush every frame at once.
        boolean batched = channel != null && (framing.lines() || writesPerFlush > 0);
        FrameBatcher batcher = batched ? FrameBatcher.of(channel.eventLoop(), framing.delayMillis(), config.limits().maxBatchDelay().toMillis()) : null;
        WebSocketOutbound out = new WebSocketOutbound(socket, EventLoops.current(), batcher, framing.lines(),
                Math.min(config.limits().maxBatchBytes(), fragmentAbove), framing.lines() ? Integer.MAX_VALUE : writesPerFlush,
                fragmentAbove, sessions.hub().stats().webSocketFrames, channel);
        Session session = sessions.open(out, admission.parameters().format(), credentials, "WEBSOCKET", admission.address(),
                admission.parameters().userProperties());
        MessageAssembler assembler = new MessageAssembler(dispatcher.maxFrameBytes(), new MessageAssembler.Messages() {
            /** Reading stopped for flow control (the store is behind this loop's writes). */
            private boolean paused;

            @Override
            public void text(String text) {
                dispatcher.handle(session, text);
                if (!paused && topics.writesBehind()) {
                    paused = true;
                    socket.pause();
                    topics.whenWritesCaughtUp(() -> {
                        paused = false;
                        socket.resume();
                    });
                }
            }

            @Override
            public void binary() {
                session.send(Messages.error(null, ErrorCode.INVALID, "binary frames are not part of the protocol: send JSON text frames"));
            }

            @Override
            public void tooLarge(com.fasterxml.jackson.databind.JsonNode id) {
                dispatcher.tooLarge(session, id);
            }
        });
        socket.frameHandler(assembler::frame);
        if (channel != null) {
            FrameLimit.install(channel, maxWebSocketFrameBytes());
        }
        socket.drainHandler(v -> session.drained());
        socket.closeHandler(v -> {
            out.closed();
            admission.release();
            session.close();
        });
        socket.exceptionHandler(error -> LOG.debugf("WebSocket of %s failed: %s", session, error.getMessage()));
    }
}
