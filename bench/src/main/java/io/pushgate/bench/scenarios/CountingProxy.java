package io.pushgate.bench.scenarios;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 that counts the bytes the server sends to the client: what a
 * client's socket reads on the wire (WebSocket framing and compression included, TCP/IP
 * headers not). One per measured connection.
 */
final class CountingProxy implements AutoCloseable {

    private final NetServer server;
    private final NetClient client;
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong toServer = new AtomicLong();

    private CountingProxy(Vertx vertx, int targetPort) {
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
        server.connectHandler(downstream -> {
            downstream.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(upstream -> relay(downstream, upstream))
                    .onFailure(e -> downstream.close());
        });
    }

    static Future<CountingProxy> start(Vertx vertx, int targetPort) {
        CountingProxy proxy = new CountingProxy(vertx, targetPort);
        return proxy.server.listen().map(s -> proxy);
    }

    private void relay(NetSocket downstream, NetSocket upstream) {
        upstream.handler(buf -> {
            toClient.addAndGet(buf.length());
            downstream.write(buf);
        });
        downstream.handler(buf -> {
            toServer.addAndGet(buf.length());
            upstream.write(buf);
        });
        upstream.closeHandler(v -> downstream.close());
        downstream.closeHandler(v -> upstream.close());
        upstream.exceptionHandler(e -> downstream.close());
        downstream.exceptionHandler(e -> upstream.close());
        downstream.resume();
    }

    int port() {
        return server.actualPort();
    }

    /** Bytes relayed from the server to the client so far. */
    long bytesToClient() {
        return toClient.get();
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
