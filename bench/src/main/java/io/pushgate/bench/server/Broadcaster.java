package io.pushgate.bench.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The "practical limit" baseline: a minimal WebSocket broadcaster on Vert.x with no topic
 * logic. Every text message a client sends is written to every other connected client, as one
 * shared frame buffer (each write gets a duplicate of it: indices of its own, the same bytes).
 * Like the gateway, it hands each message to each event loop once and the loop writes to its
 * own connections; a connection whose write queue is full misses the message rather than
 * queueing without bound.
 *
 * <p>{@code java -cp bench.jar io.pushgate.bench.server.Broadcaster <port>}
 */
public final class Broadcaster extends AbstractVerticle {

    private static final List<Broadcaster> LOOPS = new CopyOnWriteArrayList<>();
    private static final LongAdder SKIPPED = new LongAdder();

    private final Set<ServerWebSocket> sockets = new java.util.HashSet<>();
    private final int port;
    private Context loop;

    Broadcaster(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Broadcaster <port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        // One event loop per CPU, as the gateway runs (transport.EventLoopSizing), rather than
        // Vert.x's default of two: the same threading for both JVM servers.
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()));
        Vertx vertx = Vertx.vertx(options);
        int loops = options.getEventLoopPoolSize();
        vertx.deployVerticle(() -> new Broadcaster(port), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("broadcaster listening on 127.0.0.1:" + port + " with " + loops + " event loops"))
                .onFailure(e -> {
                    System.err.println("broadcaster failed to start: " + e);
                    System.exit(1);
                });
    }

    @Override
    public void start(Promise<Void> started) {
        loop = context;
        LOOPS.add(this);
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                .webSocketHandler(this::open)
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }

    private void open(ServerWebSocket ws) {
        sockets.add(ws);
        ws.closeHandler(v -> sockets.remove(ws));
        ws.exceptionHandler(e -> sockets.remove(ws));
        ws.handler(buffer -> broadcast(ws, buffer));
    }

    /** Hands the message to each event loop once; each writes the shared bytes to its own connections. */
    private static void broadcast(ServerWebSocket sender, Buffer message) {
        ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(message.getBytes()));
        for (Broadcaster b : LOOPS) {
            b.loop.runOnContext(v -> b.writeAll(sender, shared));
        }
    }

    private void writeAll(ServerWebSocket sender, ByteBuf shared) {
        for (ServerWebSocket ws : sockets) {
            if (ws == sender) {
                continue;
            }
            if (ws.writeQueueFull()) {
                SKIPPED.increment();
                continue;
            }
            ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, shared.duplicate(), true));
        }
    }
}
