package io.pushgate.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The load generator's Vert.x clients, one per loopback source address (127.0.0.2, 127.0.0.3,
 * ...), so that the connections of one run are not limited by one address's ephemeral ports.
 * Connection {@code i} uses address {@code i mod n}.
 */
public final class Clients {

    public static final String HOST = "127.0.0.1";

    private final Vertx vertx;
    private final Vertx publishers;
    private final List<String> sources;
    private final Map<String, WebSocketClient> webSockets = new ConcurrentHashMap<>();
    private final Map<String, NetClient> nets = new ConcurrentHashMap<>();

    /**
     * @param vertx the subscribers' event loops
     * @param publishers a Vert.x of its own for publishers, so that a publisher's pacing timer
     *                   does not wait behind the subscribers' reads on a shared event loop
     */
    public Clients(Vertx vertx, Vertx publishers, List<String> sources) {
        this.vertx = vertx;
        this.publishers = publishers;
        this.sources = List.copyOf(sources);
    }

    public Vertx vertx() {
        return vertx;
    }

    public String source(int i) {
        return sources.get(Math.floorMod(i, sources.size()));
    }

    /** A WebSocket to {@code HOST:port uri} from source {@code i}; {@code deflate} asks for permessage-deflate. */
    public Future<WebSocket> webSocket(int i, int port, String uri, boolean deflate) {
        return webSocket(vertx, i, port, uri, deflate);
    }

    /** A publisher's WebSocket, on the publishers' event loop. */
    public Future<WebSocket> publisherWebSocket(int port, String uri) {
        return webSocket(publishers, 0, port, uri, false);
    }

    private Future<WebSocket> webSocket(Vertx owner, int i, int port, String uri, boolean deflate) {
        String source = source(i);
        WebSocketClient client = webSockets.computeIfAbsent(source + "/" + deflate + "/" + (owner == vertx), k -> owner.createWebSocketClient(
                new WebSocketClientOptions()
                        .setLocalAddress(source)
                        .setMaxConnections(1_000_000)
                        .setConnectTimeout(15_000)
                        .setMaxFrameSize(4 * 1024 * 1024)
                        .setMaxMessageSize(16 * 1024 * 1024)
                        .setTryUsePerMessageCompression(deflate)
                        .setTcpNoDelay(true)));
        return client.connect(new WebSocketConnectOptions().setHost(HOST).setPort(port).setURI(uri));
    }

    /** A TCP connection to {@code HOST:port} from source {@code i}. */
    public Future<NetSocket> tcp(int i, int port) {
        return tcp(vertx, i, port);
    }

    /** A publisher's TCP connection, on the publishers' event loop. */
    public Future<NetSocket> publisherTcp(int port) {
        return tcp(publishers, 0, port);
    }

    private Future<NetSocket> tcp(Vertx owner, int i, int port) {
        String source = source(i);
        NetClient client = nets.computeIfAbsent(source + "/" + (owner == vertx), k -> owner.createNetClient(new NetClientOptions()
                .setLocalAddress(source).setConnectTimeout(15_000).setTcpNoDelay(true)));
        return client.connect(port, HOST);
    }

    /** Fails {@code future} with {@code what} if it has not completed within {@code millis}. */
    public <T> Future<T> within(Future<T> future, long millis, String what) {
        Promise<T> promise = Promise.promise();
        long timer = vertx.setTimer(millis, id -> promise.tryFail(what + " did not complete within " + millis + " ms"));
        future.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                if (!promise.tryComplete(ar.result()) && ar.result() instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // a late connection nobody waits for
                    }
                }
            } else {
                promise.tryFail(ar.cause());
            }
        });
        return promise.future();
    }

    public void close() {
        webSockets.values().forEach(WebSocketClient::close);
        nets.values().forEach(NetClient::close);
    }
}
