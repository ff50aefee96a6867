package io.pushgate.gateway.transport.ws;

import io.pushgate.gateway.sessions.Frame;
import io.pushgate.gateway.sessions.Outbound;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.Executor;

/** A session's way out through a Vert.x server WebSocket: one text message per frame. */
final class WebSocketOutbound implements Outbound {

    private final ServerWebSocket socket;
    private final Executor executor;

    WebSocketOutbound(ServerWebSocket socket, Executor executor) {
        this.socket = socket;
        this.executor = executor;
    }

    @Override
    public void send(Frame frame) {
        if (!socket.isClosed()) {
            socket.writeTextMessage(frame.text());
        }
    }

    @Override
    public boolean closesWhenIdle() {
        return true;
    }

    @Override
    public boolean isWritable() {
        return !socket.writeQueueFull();
    }

    @Override
    public void close(int code, String reason) {
        if (!socket.isClosed()) {
            socket.close((short) code, reason);
        }
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
