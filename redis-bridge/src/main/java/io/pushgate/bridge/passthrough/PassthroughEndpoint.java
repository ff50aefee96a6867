package io.pushgate.bridge.passthrough;

import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.jwt.VerifiedToken;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /v1/redis/{channel}}: the raw Redis client. Every message Redis delivers on the channel
 * (or on a channel matching the pattern) is sent as is: a text frame with exactly the payload, or
 * a binary frame when the payload is not UTF-8. Every frame the client sends is PUBLISHed as is,
 * when the token it connected with allows it ({@link TokenCheck}, {@link PassthroughAccess}).
 * Messages of one connection are handled one at a time (websockets-next's serial mode, and the
 * returned {@link Uni} completes after the PUBLISH), so a client's messages reach Redis in order.
 */
@WebSocket(path = PassthroughEndpoint.PATH, endpointId = PassthroughEndpoint.ID)
public class PassthroughEndpoint {

    static final String ID = "redis-passthrough";
    static final String PATH = "/v1/redis/{channel}";
    static final String CHANNEL_PARAM = "channel";

    private static final UserData.TypedKey<Long> EXPIRY_TIMER = UserData.TypedKey.forLong("pushgate.expiry-timer");

    private final PassthroughHub hub;
    private final PassthroughAccess access;
    private final Vertx vertx;
    private final BridgeConfig.Passthrough config;

    public PassthroughEndpoint(PassthroughHub hub, PassthroughAccess access, Vertx vertx, BridgeConfig config) {
        this.hub = hub;
        this.access = access;
        this.vertx = vertx;
        this.config = config.passthrough();
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        Optional<ChannelName> channel = ChannelName.parse(connection.pathParam(CHANNEL_PARAM));
        if (channel.isEmpty()) {
            // ChannelNameCheck refuses these before the upgrade; this is the fallback
            return connection.close(new CloseReason(CloseCodes.INVALID_CHANNEL, "invalid channel name"));
        }
        Optional<VerifiedToken> caller = Optional.ofNullable(connection.userData().get(TokenCheck.CALLER));
        ClientSender sender = new ClientSender(new WebSocketTransport(connection),
                config.maxQueuedMessages(), config.maxQueuedBytes(), config.slowClient());
        hub.join(connection.id(), channel.get(), sender, caller);
        if (!access.readIsOpen() && caller.isPresent()) {
            // reading needed the token, so it ends with the token
            long delay = Math.max(1, Duration.between(Instant.now(), access.expiry(caller.get())).toMillis());
            connection.userData().put(EXPIRY_TIMER, vertx.setTimer(delay, id -> sender.close(CloseCodes.TOKEN_EXPIRED, "token expired")));
        }
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> onText(String message, WebSocketConnection connection) {
        return hub.publish(connection.id(), message.getBytes(StandardCharsets.UTF_8));
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer message, WebSocketConnection connection) {
        return hub.publish(connection.id(), message.getBytes());
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        Long timer = connection.userData().get(EXPIRY_TIMER);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        hub.leave(connection.id());
    }
}
