package io.pushgate.bridge.passthrough;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletionStage;

/** {@link ClientTransport} over a websockets-next connection. */
final class WebSocketTransport implements ClientTransport {

    private final WebSocketConnection connection;

    WebSocketTransport(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public CompletionStage<Void> send(Frame frame) {
        // websockets-next's Uni is lazy: subscribing here writes now, in the caller's order.
        return (frame.isText() ? connection.sendText(frame.text()) : connection.sendBinary(Buffer.buffer(frame.binary())))
                .subscribeAsCompletionStage();
    }

    @Override
    public void close(int code, String reason) {
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(ignored -> { }, ignored -> { });
        }
    }
}
