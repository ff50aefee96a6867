package io.pushgate.bench.peers;

import io.pushgate.bench.load.Clients;
import io.pushgate.bench.load.Payloads;
import io.pushgate.bench.load.Probe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Pushgate gateway over its WebSocket protocol ({@code /v1/ws}, docs/protocol.md). Topics
 * are {@code bench/<namespace>/<i>}; subscribers use {@code ?delta=none}, so every update is a
 * whole {@code value} message, as the other systems send it; the publisher sends {@code set}.
 */
public final class GatewayPeer implements Peer, Ingesting {

    private final Clients clients;
    private final int port;
    private final List<Long> pids;
    private final boolean lines;
    private final int batchDelayMillis;
    private final String server;

    /**
     * With {@code batchDelayMillis >= 0}, subscribers ask for {@code ?batch=lines&batch-delay=N}:
     * messages waiting for the same flush share a frame; with -1 one message per frame.
     */
    public GatewayPeer(Clients clients, int port, List<Long> pids, int batchDelayMillis) {
        this(clients, port, pids, batchDelayMillis, "gateway");
    }

    /**
     * {@code server} names the gateway process: {@code gateway}, or {@code gateway-before} for a
     * build given to run.sh with {@code --baseline}, so that one run measures before and after.
     */
    public GatewayPeer(Clients clients, int port, List<Long> pids, int batchDelayMillis, String server) {
        this.server = server;
        this.clients = clients;
        this.port = port;
        this.pids = pids;
        this.lines = batchDelayMillis >= 0;
        this.batchDelayMillis = batchDelayMillis;
    }

    @Override
    public String name() {
        return lines ? server + "-lines" : server;
    }

    @Override
    public String server() {
        return server;
    }

    @Override
    public String label() {
        String before = switch (server) {
            case "gateway" -> "";
            case "gateway-cluster" -> "[on a Redis Cluster: three masters with a replica each, 16 shards, sharded pub/sub] ";
            case "gateway-cluster-wait" -> "[on a Redis Cluster, each write confirmed by a replica: gateway.redis.wait-replicas=1] ";
            default -> "[" + server + ": the baseline build] ";
        };
        return before + (lines ? "Pushgate gateway (WebSocket, delta=none, batch=lines, batch-delay=" + batchDelayMillis
                + " ms: several messages per frame) with its Redis"
                : "Pushgate gateway (WebSocket, delta=none, one message per frame) with its Redis");
    }

    @Override
    public boolean hasTopics() {
        return true;
    }

    @Override
    public List<Long> pids() {
        return pids;
    }

    static String path(String namespace, int topic) {
        return "bench/" + namespace + "/" + topic;
    }

    /** Sets every topic once (add-and-set with a JSON spec), at most 500 requests in flight, and waits for the replies. */
    @Override
    public Future<Void> prepareTopics(String namespace, int count) {
        return clients.within(clients.webSocket(0, port, "/v1/ws?delta=none", false), 20_000, "gateway publisher connect")
                .compose(ws -> {
                    Promise<Void> done = Promise.promise();
                    int[] state = new int[3]; // sent, answered, failed
                    String[] firstError = new String[1];
                    Runnable[] pump = new Runnable[1];
                    byte[] payload = Payloads.json(0, -1, Payloads.SIZE);
                    String value = new String(payload, StandardCharsets.US_ASCII);
                    pump[0] = () -> {
                        while (state[0] < count && state[0] - state[1] < 500) {
                            ws.writeTextMessage("{\"op\":\"set\",\"topic\":\"" + path(namespace, state[0])
                                    + "\",\"spec\":\"JSON\",\"value\":" + value + "}");
                            state[0]++;
                        }
                    };
                    ws.handler(buf -> {
                        String text = buf.toString(StandardCharsets.UTF_8);
                        if (text.startsWith("{\"type\":\"ok\"") || text.startsWith("{\"type\":\"error\"")) {
                            state[1]++;
                            if (text.startsWith("{\"type\":\"error\"")) {
                                state[2]++;
                                if (firstError[0] == null) {
                                    firstError[0] = text;
                                }
                            }
                            if (state[1] == count) {
                                ws.close();
                                if (state[2] > 0) {
                                    done.tryFail(state[2] + " of " + count + " topics could not be set: " + firstError[0]);
                                } else {
                                    done.tryComplete();
                                }
                            } else {
                                pump[0].run();
                            }
                        }
                    });
                    ws.closeHandler(v -> done.tryFail("the gateway closed the publisher: " + ws.closeStatusCode() + " " + ws.closeReason()));
                    pump[0].run();
                    return clients.within(done.future(), 120_000, "setting " + count + " gateway topics");
                });
    }

    @Override
    public Future<Subscriber> subscribe(int source, String namespace, int[] topics, Probe probe) {
        String uri = lines ? "/v1/ws?delta=none&batch=lines&batch-delay=" + batchDelayMillis : "/v1/ws?delta=none";
        return clients.within(clients.webSocket(source, port, uri, false).compose(ws -> {
            GatewaySubscriber sub = new GatewaySubscriber(ws, probe, topics.length, lines);
            StringBuilder sb = new StringBuilder();
            for (int t : topics) {
                sb.setLength(0);
                ws.writeTextMessage(sb.append("{\"op\":\"subscribe\",\"selector\":\">").append(path(namespace, t)).append("\"}").toString());
            }
            return sub.subscribed.future().map(v -> (Subscriber) sub);
        }), 60_000, "gateway subscribe");
    }

    @Override
    public Future<Publisher> publisher(String namespace) {
        // built in the connect future's callback, on the connection's event loop (its context)
        return clients.within(clients.publisherWebSocket(port, "/v1/ws?delta=none").map(ws -> new GatewayPublisher(ws, namespace)),
                20_000, "gateway publisher connect");
    }

    @Override
    public Future<AckedPublisher> ackedPublisher(String namespace, AckedPublisher.AckHandler acks) {
        return clients.within(clients.publisherWebSocket(port, "/v1/ws?delta=none").map(ws -> new GatewayAckedPublisher(ws, namespace, acks)),
                20_000, "gateway publisher connect");
    }

    /** {@code ?bench/<ns>/}: every topic under the namespace, present and future. */
    @Override
    public Future<Subscriber> subscribeAll(int source, String namespace, int topics, io.pushgate.bench.load.IngestProbe probe) {
        return clients.within(clients.webSocket(source, port, "/v1/ws?delta=none", false).compose(ws -> {
            WildcardSubscriber sub = new WildcardSubscriber(ws, probe, topics);
            ws.writeTextMessage("{\"op\":\"subscribe\",\"selector\":\"?bench/" + namespace + "/\"}");
            return sub.subscribed.future().map(v -> (Subscriber) sub);
        }), 60_000, "gateway wildcard subscribe");
    }

    /** The frame's {@code type}: every gateway message starts with {@code {"type":"}. */
    static byte typeLetter(Buffer buf) {
        return typeLetter(buf, 0, buf.length());
    }

    static byte typeLetter(Buffer buf, int from, int to) {
        return to - from > 9 ? buf.getByte(from + 9) : 0;
    }

    private static final class GatewaySubscriber extends WsConnection {
        final Promise<Void> subscribed = Promise.promise();
        private final Probe probe;
        private final int expected;
        int subscriptions;

        GatewaySubscriber(WebSocket ws, Probe probe, int expected, boolean lines) {
            super(ws);
            this.probe = probe;
            this.expected = expected;
            if (lines) {
                // With batch=lines a frame holds one message or several separated by '\n'.
                ws.handler(buf -> {
                    // One copy of the frame, then a plain array scan (no bounds check per byte).
                    byte[] bytes = buf.getBytes();
                    int from = 0;
                    for (int i = 0; i < bytes.length; i++) {
                        if (bytes[i] == '\n') {
                            message(buf, from, i);
                            from = i + 1;
                        }
                    }
                    message(buf, from, bytes.length);
                });
            } else {
                ws.handler(buf -> message(buf, 0, buf.length()));
            }
            if (expected == 0) {
                subscribed.tryComplete();
            }
        }

        private void message(Buffer buf, int from, int to) {
            switch (typeLetter(buf, from, to)) {
                case 'v', 'd' -> probe.received(buf, from, to);
                case 's' -> {
                    if (++subscriptions == expected) {
                        subscribed.tryComplete();
                    }
                }
                case 'e' -> {
                    failed(buf.getString(from, to, "UTF-8"));
                    subscribed.tryFail("gateway error: " + buf.getString(from, to, "UTF-8"));
                }
                default -> { }
            }
        }

        @Override
        protected void closed(String reason) {
            subscribed.tryFail("closed before subscribing: " + reason);
        }
    }

    private static final class GatewayPublisher extends WsConnection {
        private final String namespace;
        private String[] prefixes = new String[0];

        GatewayPublisher(WebSocket ws, String namespace) {
            super(ws);
            this.namespace = namespace;
            ws.handler(buf -> {
                if (typeLetter(buf) == 'e') {
                    failed(buf.toString(StandardCharsets.UTF_8));
                }
            });
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
                prefix = "{\"op\":\"set\",\"topic\":\"" + path(namespace, topic) + "\",\"value\":";
                prefixes[topic] = prefix;
            }
            ws.writeTextMessage(prefix + new String(payload, StandardCharsets.US_ASCII) + "}");
        }
    }

    /** Completes once a {@code subscription} arrived for each of the namespace's topics. */
    private static final class WildcardSubscriber extends WsConnection {
        final Promise<Void> subscribed = Promise.promise();
        private final io.pushgate.bench.load.IngestProbe probe;
        private final int expected;
        private int subscriptions;

        WildcardSubscriber(WebSocket ws, io.pushgate.bench.load.IngestProbe probe, int expected) {
            super(ws);
            this.probe = probe;
            this.expected = expected;
            ws.handler(buf -> {
                switch (typeLetter(buf)) {
                    case 'v', 'd' -> probe.received(buf, 0, buf.length());
                    case 's' -> {
                        if (++subscriptions == expected) {
                            subscribed.tryComplete();
                        }
                    }
                    case 'e' -> {
                        failed(buf.toString(StandardCharsets.UTF_8));
                        subscribed.tryFail("gateway error: " + buf.toString(StandardCharsets.UTF_8));
                    }
                    default -> { }
                }
            });
        }

        @Override
        protected void closed(String reason) {
            subscribed.tryFail("closed before subscribing: " + reason);
        }
    }

    /** {@code set} with the token as its {@code id}; the {@code ok} or {@code error} with that id acknowledges it. */
    private static final class GatewayAckedPublisher extends WsConnection implements AckedPublisher {
        private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);
        private final String namespace;
        private String[] prefixes = new String[0];

        GatewayAckedPublisher(WebSocket ws, String namespace, AckHandler acks) {
            super(ws);
            this.namespace = namespace;
            ws.handler(buf -> {
                byte type = typeLetter(buf);
                if (type != 'o' && type != 'e') {
                    return;
                }
                long token = number(buf, ID);
                String error = type == 'e' ? buf.toString(StandardCharsets.UTF_8) : null;
                if (error != null) {
                    failed(error);
                }
                if (token != Long.MIN_VALUE) {
                    acks.acked(token, error);
                }
            });
        }

        @Override
        public void publish(int topic, byte[] payload, long token) {
            if (topic >= prefixes.length) {
                String[] grown = new String[Math.max(topic + 1, prefixes.length * 2)];
                System.arraycopy(prefixes, 0, grown, 0, prefixes.length);
                prefixes = grown;
            }
            String prefix = prefixes[topic];
            if (prefix == null) {
                prefix = ",\"topic\":\"" + path(namespace, topic) + "\",\"value\":";
                prefixes[topic] = prefix;
            }
            ws.writeTextMessage("{\"op\":\"set\",\"id\":" + token + prefix + new String(payload, StandardCharsets.US_ASCII) + "}");
        }

        /** The integer after {@code key}, or {@link Long#MIN_VALUE}. */
        private static long number(Buffer buf, byte[] key) {
            int n = buf.length() - key.length;
            outer:
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < key.length; j++) {
                    if (buf.getByte(i + j) != key[j]) {
                        continue outer;
                    }
                }
                long v = 0;
                int p = i + key.length;
                int digits = 0;
                while (p < buf.length() && buf.getByte(p) >= '0' && buf.getByte(p) <= '9') {
                    v = v * 10 + (buf.getByte(p++) - '0');
                    digits++;
                }
                return digits == 0 ? Long.MIN_VALUE : v;
            }
            return Long.MIN_VALUE;
        }
    }
}
