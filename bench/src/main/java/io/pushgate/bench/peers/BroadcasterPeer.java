package io.pushgate.bench.peers;

import io.pushgate.bench.load.Clients;
import io.pushgate.bench.load.Probe;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The minimal Vert.x broadcaster ({@code io.pushgate.bench.server.Broadcaster}): no topics, every message to every other client. */
public final class BroadcasterPeer implements Peer {

    private final Clients clients;
    private final int port;
    private final List<Long> pids;

    public BroadcasterPeer(Clients clients, int port, List<Long> pids) {
        this.clients = clients;
        this.port = port;
        this.pids = pids;
    }

    @Override
    public String name() {
        return "broadcaster";
    }

    @Override
    public String label() {
        return "minimal Vert.x WebSocket broadcaster (no topics, one shared frame buffer per message)";
    }

    @Override
    public boolean hasTopics() {
        return false;
    }

    @Override
    public List<Long> pids() {
        return pids;
    }

    @Override
    public Future<Subscriber> subscribe(int source, String namespace, int[] topics, Probe probe) {
        return clients.within(clients.webSocket(source, port, "/", false).map(ws -> new Connection(ws, probe)), 30_000,
                "broadcaster connect");
    }

    @Override
    public Future<Publisher> publisher(String namespace) {
        return clients.within(clients.publisherWebSocket(port, "/").map(ws -> new Connection(ws, null)), 30_000,
                "broadcaster connect");
    }

    private static final class Connection extends WsConnection {
        Connection(WebSocket ws, Probe probe) {
            super(ws);
            if (probe != null) {
                ws.handler(buf -> probe.received(buf, 0, buf.length()));
            } else {
                ws.handler(buf -> { });
            }
        }

        @Override
        public void publish(int topic, byte[] payload) {
            ws.writeTextMessage(new String(payload, StandardCharsets.US_ASCII));
        }
    }
}
