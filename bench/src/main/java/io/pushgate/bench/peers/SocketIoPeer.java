package io.pushgate.bench.peers;

import io.pushgate.bench.load.Clients;
import io.pushgate.bench.load.Probe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Socket.IO 4 (bench/node/server.js) spoken directly as Engine.IO v4 over a WebSocket:
 * {@code 0{...}} open (not waited for), {@code 40} connect to the main namespace, {@code 2}/{@code 3} ping/pong,
 * {@code 42[...]} events, {@code 43<id>[...]} acks. Topics are rooms {@code <namespace>.<i>}:
 * a subscriber emits {@code sub} with its rooms (acknowledged); the publisher emits
 * {@code pub} with a room and the data, which the server emits as {@code msg} to that room.
 */
public final class SocketIoPeer implements Peer, Ingesting {

    private static final String URI = "/socket.io/?EIO=4&transport=websocket";

    private final Clients clients;
    private final int port;
    private final List<Long> pids;

    public SocketIoPeer(Clients clients, int port, List<Long> pids) {
        this.clients = clients;
        this.port = port;
        this.pids = pids;
    }

    @Override
    public String name() {
        return "socketio";
    }

    @Override
    public String label() {
        return "Socket.IO 4.8 on Node with @socket.io/redis-adapter (rooms)";
    }

    @Override
    public boolean hasTopics() {
        return true;
    }

    @Override
    public List<Long> pids() {
        return pids;
    }

    static String room(String namespace, int topic) {
        return namespace + "." + topic;
    }

    @Override
    public Future<Subscriber> subscribe(int source, String namespace, int[] topics, Probe probe) {
        return clients.within(clients.webSocket(source, port, URI, false).compose(ws -> {
            Connection c = new Connection(ws, probe, namespace, topics);
            return c.ready.future().map(v -> (Subscriber) c);
        }), 60_000, "socket.io subscribe");
    }

    @Override
    public Future<Publisher> publisher(String namespace) {
        return clients.within(clients.publisherWebSocket(port, URI).compose(ws -> {
            Connection c = new Connection(ws, null, namespace, new int[0]);
            return c.ready.future().map(v -> (Publisher) c);
        }), 30_000, "socket.io connect");
    }

    @Override
    public Future<AckedPublisher> ackedPublisher(String namespace, AckedPublisher.AckHandler acks) {
        return clients.within(clients.publisherWebSocket(port, URI).compose(ws -> {
            Connection c = new Connection(ws, null, namespace, new int[0]);
            c.acks = acks;
            return c.ready.future().map(v -> (AckedPublisher) c);
        }), 30_000, "socket.io connect");
    }

    /** Socket.IO has no wildcard rooms: the subscriber joins every room of the namespace. */
    @Override
    public Future<Subscriber> subscribeAll(int source, String namespace, int topics, io.pushgate.bench.load.IngestProbe probe) {
        int[] all = new int[topics];
        for (int i = 0; i < topics; i++) {
            all[i] = i;
        }
        return clients.within(clients.webSocket(source, port, URI, false).compose(ws -> {
            Connection c = new Connection(ws, null, namespace, all);
            c.ingest = probe;
            return c.ready.future().map(v -> (Subscriber) c);
        }), 60_000, "socket.io subscribe");
    }

    /**
     * One Socket.IO connection. As an acknowledged publisher it emits {@code set} with an ack id
     * ({@code 42<id>["set",room,data]}); server.js acknowledges after emitting to the room
     * ({@code 43<id>[]}).
     */
    private static final class Connection extends WsConnection implements AckedPublisher {
        final Promise<Void> ready = Promise.promise();
        private final String namespace;
        private String[] prefixes = new String[0];
        private String[] setPrefixes = new String[0];
        AckedPublisher.AckHandler acks;
        io.pushgate.bench.load.IngestProbe ingest;

        Connection(WebSocket ws, Probe probe, String namespace, int[] rooms) {
            super(ws);
            this.namespace = namespace;
            // Engine.IO's open packet ("0{...}") may arrive with the handshake, before this
            // handler exists; the namespace connect does not wait for it.
            ws.writeTextMessage("40");
            ws.handler(buf -> {
                byte c0 = buf.length() > 0 ? buf.getByte(0) : 0;
                byte c1 = buf.length() > 1 ? buf.getByte(1) : 0;
                if (c0 == '4' && c1 == '2') {
                    if (probe != null) {
                        probe.received(buf, 2, buf.length());
                    } else if (ingest != null) {
                        ingest.received(buf, 2, buf.length());
                    }
                } else if (c0 == '2') {
                    ws.writeTextMessage("3");
                } else if (c0 == '4' && c1 == '0') {
                    if (rooms.length == 0) {
                        ready.tryComplete();
                    } else {
                        StringBuilder sb = new StringBuilder("421[\"sub\",[");
                        for (int i = 0; i < rooms.length; i++) {
                            sb.append(i == 0 ? "\"" : ",\"").append(room(namespace, rooms[i])).append('"');
                        }
                        ws.writeTextMessage(sb.append("]]").toString());
                    }
                } else if (c0 == '4' && c1 == '3') {
                    if (!ready.tryComplete() && acks != null) {
                        long id = 0;
                        for (int i = 2; i < buf.length() && buf.getByte(i) >= '0' && buf.getByte(i) <= '9'; i++) {
                            id = id * 10 + (buf.getByte(i) - '0');
                        }
                        acks.acked(id, null);
                    }
                } else if (c0 == '4' && c1 == '4') {
                    String text = buf.toString(StandardCharsets.UTF_8);
                    failed(text);
                    ready.tryFail("socket.io refused the connection: " + text);
                }
            });
        }

        @Override
        protected void closed(String reason) {
            ready.tryFail("closed before ready: " + reason);
        }

        @Override
        public void publish(int topic, byte[] payload) {
            if (topic >= prefixes.length) {
                String[] grown = new String[Math.max(topic + 1, prefixes.length * 2)];
                System.arraycopy(prefixes, 0, grown, 0, prefixes.length);
                prefixes = grown;
            }
            String prefix = prefixes[topic];
            if (prefix == null) {
                prefix = "42[\"pub\",\"" + room(namespace, topic) + "\",";
                prefixes[topic] = prefix;
            }
            ws.writeTextMessage(prefix + new String(payload, StandardCharsets.US_ASCII) + "]");
        }

        @Override
        public void publish(int topic, byte[] payload, long token) {
            if (token < 0) {
                publish(topic, payload);
                return;
            }
            if (topic >= setPrefixes.length) {
                String[] grown = new String[Math.max(topic + 1, setPrefixes.length * 2)];
                System.arraycopy(setPrefixes, 0, grown, 0, setPrefixes.length);
                setPrefixes = grown;
            }
            String prefix = setPrefixes[topic];
            if (prefix == null) {
                prefix = "[\"set\",\"" + room(namespace, topic) + "\",";
                setPrefixes[topic] = prefix;
            }
            ws.writeTextMessage("42" + token + prefix + new String(payload, StandardCharsets.US_ASCII) + "]");
        }
    }
}
