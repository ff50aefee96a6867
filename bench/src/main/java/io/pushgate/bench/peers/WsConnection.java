package io.pushgate.bench.peers;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import java.util.concurrent.atomic.AtomicLong;

/** What every WebSocket-based subscriber and publisher shares: close tracking and error counting. */
abstract class WsConnection implements Subscriber, Publisher {

    protected final WebSocket ws;
    protected final Context context;
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastError;
    private volatile String closeReason;
    private volatile boolean open = true;
    private volatile boolean closedByUs;
    private volatile String failure;

    WsConnection(WebSocket ws) {
        this.ws = ws;
        this.context = java.util.Objects.requireNonNull(Vertx.currentContext(), "a connection is built on its event loop");
        ws.closeHandler(v -> {
            open = false;
            if (!closedByUs) {
                closeReason = "closed: " + ws.closeStatusCode() + (ws.closeReason() == null ? "" : " " + ws.closeReason())
                        + (failure == null ? "" : " after " + failure);
            }
            closed(String.valueOf(closeReason));
        });
        ws.exceptionHandler(e -> {
            if (failure == null) {
                failure = String.valueOf(e);
            }
        });
    }

    /** Called on the connection's event loop when it has closed, for whatever reason. */
    protected void closed(String reason) {
    }

    protected void failed(String message) {
        errors.incrementAndGet();
        lastError = message;
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public boolean writeQueueFull() {
        return ws.writeQueueFull();
    }

    @Override
    public long errors() {
        return errors.get();
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        closedByUs = true;
        if (open) {
            ws.close();
        }
    }

    @Override
    public void publish(int topic, byte[] payload) {
        throw new UnsupportedOperationException("a subscriber does not publish");
    }
}
