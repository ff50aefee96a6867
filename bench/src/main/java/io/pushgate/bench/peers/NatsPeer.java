package io.pushgate.bench.peers;

import io.pushgate.bench.load.Clients;
import io.pushgate.bench.load.Probe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * nats-server's WebSocket listener, spoken with the NATS text protocol in binary WebSocket
 * messages: {@code CONNECT}, {@code SUB <subject> <sid>}, {@code PUB <subject> <bytes>}, and
 * {@code PING} to know the server has processed what came before ({@code PONG}). Topics are
 * subjects {@code bench.<namespace>.<i>}.
 */
public final class NatsPeer implements Peer, Ingesting {

    private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,\"name\":\"pushgate-bench\",\"lang\":\"java\",\"version\":\"0\"}\r\n";

    private final Clients clients;
    private final int port;
    private final List<Long> pids;

    public NatsPeer(Clients clients, int port, List<Long> pids) {
        this.clients = clients;
        this.port = port;
        this.pids = pids;
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public String label() {
        return "nats-server WebSocket listener (NATS text protocol over WebSocket)";
    }

    @Override
    public boolean hasTopics() {
        return true;
    }

    @Override
    public List<Long> pids() {
        return pids;
    }

    static String subject(String namespace, int topic) {
        return "bench." + namespace + "." + topic;
    }

    @Override
    public Future<Subscriber> subscribe(int source, String namespace, int[] topics, Probe probe) {
        return clients.within(clients.webSocket(source, port, "/", false).compose(ws -> {
            Connection c = new Connection(ws, probe, namespace);
            StringBuilder sb = new StringBuilder(CONNECT);
            for (int i = 0; i < topics.length; i++) {
                sb.append("SUB ").append(subject(namespace, topics[i])).append(' ').append(i + 1).append("\r\n");
            }
            c.send(sb.append("PING\r\n").toString());
            return c.ready.future().map(v -> (Subscriber) c);
        }), 60_000, "nats subscribe");
    }

    @Override
    public Future<Publisher> publisher(String namespace) {
        return clients.within(clients.publisherWebSocket(port, "/").compose(ws -> {
            Connection c = new Connection(ws, null, namespace);
            c.send(CONNECT + "PING\r\n");
            return c.ready.future().map(v -> (Publisher) c);
        }), 30_000, "nats connect");
    }

    @Override
    public Future<AckedPublisher> ackedPublisher(String namespace, AckedPublisher.AckHandler acks) {
        return clients.within(clients.publisherWebSocket(port, "/").compose(ws -> {
            Connection c = new Connection(ws, null, namespace);
            c.acks = acks;
            c.send(CONNECT + "PING\r\n");
            return c.ready.future().map(v -> (AckedPublisher) c);
        }), 30_000, "nats connect");
    }

    /** {@code SUB bench.<ns>.>}: NATS's wildcard for every subject below the namespace. */
    @Override
    public Future<Subscriber> subscribeAll(int source, String namespace, int topics, io.pushgate.bench.load.IngestProbe probe) {
        return clients.within(clients.webSocket(source, port, "/", false).compose(ws -> {
            Connection c = new Connection(ws, null, namespace);
            c.ingest = probe;
            c.send(CONNECT + "SUB bench." + namespace + ".> 1\r\nPING\r\n");
            return c.ready.future().map(v -> (Subscriber) c);
        }), 60_000, "nats wildcard subscribe");
    }

    /**
     * A NATS connection. As an acknowledged publisher each {@code PUB} is followed by a {@code PING}:
     * the server answers a connection's PINGs in order, once it has processed what came before,
     * so the n-th {@code PONG} acknowledges the n-th message (NATS core stores nothing).
     */
    private static final class Connection extends WsConnection implements NatsParser.Handler, AckedPublisher {
        final Promise<Void> ready = Promise.promise();
        private final Probe probe;
        private final String namespace;
        private final NatsParser parser = new NatsParser(this);
        private byte[][] heads = new byte[0][];
        AckedPublisher.AckHandler acks;
        io.pushgate.bench.load.IngestProbe ingest;
        private long[] tokens = new long[1024];
        private int tokenHead;
        private int tokenTail;

        Connection(WebSocket ws, Probe probe, String namespace) {
            super(ws);
            this.probe = probe;
            this.namespace = namespace;
            ws.handler(parser::feed);
        }

        void send(String text) {
            ws.writeBinaryMessage(Buffer.buffer(text.getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        protected void closed(String reason) {
            ready.tryFail("closed before ready: " + reason);
        }

        @Override
        public void publish(int topic, byte[] payload) {
            publish(topic, payload, -1);
        }

        @Override
        public void publish(int topic, byte[] payload, long token) {
            if (topic >= heads.length) {
                byte[][] grown = new byte[Math.max(topic + 1, heads.length * 2)][];
                System.arraycopy(heads, 0, grown, 0, heads.length);
                heads = grown;
            }
            byte[] head = heads[topic];
            if (head == null) {
                head = ("PUB " + subject(namespace, topic) + " ").getBytes(StandardCharsets.US_ASCII);
                heads[topic] = head;
            }
            Buffer frame = Buffer.buffer(head.length + payload.length + 8)
                    .appendBytes(head).appendString(Integer.toString(payload.length)).appendString("\r\n")
                    .appendBytes(payload).appendString("\r\n");
            if (token >= 0) {
                frame.appendString("PING\r\n");
                if (tokenTail - tokenHead == tokens.length) {
                    long[] grown = new long[tokens.length * 2];
                    for (int i = tokenHead; i < tokenTail; i++) {
                        grown[i - tokenHead] = tokens[i % tokens.length];
                    }
                    tokenTail -= tokenHead;
                    tokenHead = 0;
                    tokens = grown;
                }
                tokens[tokenTail++ % tokens.length] = token;
            }
            ws.writeBinaryMessage(frame);
        }

        @Override
        public void info(String json) {
        }

        @Override
        public void msg(Buffer buf, int from, int to) {
            if (probe != null) {
                probe.received(buf, from, to);
            } else if (ingest != null) {
                ingest.received(buf, from, to);
            }
        }

        @Override
        public void ping() {
            send("PONG\r\n");
        }

        @Override
        public void pong() {
            if (!ready.tryComplete() && acks != null && tokenHead < tokenTail) {
                acks.acked(tokens[tokenHead++ % tokens.length], null);
            }
        }

        @Override
        public void error(String message) {
            failed(message);
            ready.tryFail("nats: " + message);
        }
    }
}
