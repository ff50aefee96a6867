package io.pushgate.gateway.transport.ws;

import io.pushgate.protocol.Causes;
import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.core.GatewayCore;
import io.pushgate.gateway.sessions.Messages;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.transport.BearerToken;
import io.pushgate.gateway.transport.ConnectionLimiter;
import io.pushgate.gateway.transport.EventLoops;
import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.Vertx;
import java.util.Optional;
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

    private final GatewayCore core;
    private final GatewayConfig config;

    public WebSocketTransport(GatewayCore core, GatewayConfig config) {
        this.core = core;
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

    private void upgrade(RoutingContext rc) {
        if (core.isDraining()) {
            HttpErrors.send(rc.response(), new ProtocolException(ErrorCode.UNAVAILABLE, "this gateway is shutting down: connect to another"));
            return;
        }
        DeltaFormat format;
        Framing framing;
        try {
            format = DeltaFormat.parse(rc.request().getParam("delta"));
            framing = Framing.parse(rc.request().getParam("batch"), rc.request().getParam("batch-delay"),
                    config.limits().maxBatchDelay().toMillis());
        } catch (ProtocolException e) {
            HttpErrors.send(rc.response(), e);
            return;
        }
        Optional<String> token;
        java.util.Map<String, String> userProperties;
        try {
            userProperties = core.sessionControl().connectProperties(rc.request().getParam("properties"));
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
        if (token.isEmpty()) {
            upgrade(rc, format, framing, null, address, userProperties);
            return;
        }
        // A token is verified before the upgrade: a bad one gets HTTP 401 and no session.
        rc.request().pause();
        Context context = Vertx.currentContext();
        core.authenticate(token.get()).whenComplete((credentials, error) -> context.runOnContext(v -> {
            rc.request().resume();
            if (error != null) {
                core.connections().release(address);
                Throwable cause = Causes.unwrap(error);
                HttpErrors.send(rc.response(), cause instanceof ProtocolException pe ? pe
                        : new ProtocolException(ErrorCode.UNAUTHENTICATED, "the token was not accepted"));
            } else {
                upgrade(rc, format, framing, credentials, address, userProperties);
            }
        }));
    }

    private void upgrade(RoutingContext rc, DeltaFormat format, Framing framing, Credentials credentials, String address,
                         java.util.Map<String, String> userProperties) {
        if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
            core.connections().release(address);
            HttpErrors.send(rc.response(), ProtocolException.invalid("GET /v1/ws needs a WebSocket upgrade"));
            return;
        }
        rc.request().toWebSocket()
                .onSuccess(socket -> open(rc, socket, format, framing, credentials, address, userProperties))
                .onFailure(error -> {
                    core.connections().release(address);
                    LOG.debugf("WebSocket upgrade failed: %s", error.getMessage());
                });
    }

    private void open(RoutingContext rc, ServerWebSocket socket, DeltaFormat format, Framing framing, Credentials credentials, String address,
                      java.util.Map<String, String> userProperties) {
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
                fragmentAbove, core.hub().stats().webSocketFrames, channel);
        Session session = new Session(core.nextSessionId(), core.hub(), out, format, core.sessionLimits(), System::nanoTime);
        if (credentials != null) {
            session.authenticated(credentials);
        }
        core.describe(session, "WEBSOCKET", address, userProperties);
        // The real objects, not the CDI proxy: a socket may close after the container has stopped
        // (a connection accepted as the gateway shut down), when the proxy can no longer resolve.
        RequestDispatcher dispatcher = core.dispatcher();
        io.pushgate.gateway.operations.TopicService topics = core.topics();
        ConnectionLimiter connections = core.connections();
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
            connections.release(address);
            session.close();
        });
        socket.exceptionHandler(error -> LOG.debugf("WebSocket of %s failed: %s", session, error.getMessage()));
    }
}
