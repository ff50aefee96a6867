package io.pushgate.bench.peers;

import io.pushgate.bench.load.Clients;
import io.pushgate.bench.load.Probe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis pub/sub with plain subscribers: RESP over TCP, {@code SUBSCRIBE} and {@code PUBLISH}.
 * Topics are channels {@code bench.<namespace>.<i>}.
 */
public final class RedisPeer implements Peer, Ingesting {

    private final Clients clients;
    private final int port;
    private final List<Long> pids;

    public RedisPeer(Clients clients, int port, List<Long> pids) {
        this.clients = clients;
        this.port = port;
        this.pids = pids;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String label() {
        return "Redis pub/sub, plain RESP subscribers over TCP";
    }

    @Override
    public boolean hasTopics() {
        return true;
    }

    @Override
    public List<Long> pids() {
        return pids;
    }

    static String channel(String namespace, int topic) {
        return "bench." + namespace + "." + topic;
    }

    /** The RESP encoding of a command of bulk strings. */
    public static Buffer command(byte[]... args) {
        Buffer b = Buffer.buffer(64);
        b.appendString("*" + args.length + "\r\n");
        for (byte[] a : args) {
            b.appendString("$" + a.length + "\r\n").appendBytes(a).appendString("\r\n");
        }
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Future<Subscriber> subscribe(int source, String namespace, int[] topics, Probe probe) {
        return clients.within(clients.tcp(source, port).compose(socket -> {
            byte[][] args = new byte[topics.length + 1][];
            args[0] = ascii("SUBSCRIBE");
            for (int i = 0; i < topics.length; i++) {
                args[i + 1] = ascii(channel(namespace, topics[i]));
            }
            RedisConnection c = new RedisConnection(socket, new RespHandler() {
                @Override
                public void message(Buffer buf, int channelFrom, int channelTo, int payloadFrom, int payloadTo, int wireBytes) {
                    probe.received(buf, payloadFrom, payloadTo);
                }
            }, topics.length);
            socket.write(command(args));
            return c.ready.future().map(v -> (Subscriber) c);
        }), 60_000, "redis subscribe");
    }

    @Override
    public Future<Publisher> publisher(String namespace) {
        return clients.within(clients.publisherTcp(port).map(socket -> {
            RedisConnection c = new RedisConnection(socket, new RespHandler(), 0);
            c.namespace = namespace;
            return (Publisher) c;
        }), 20_000, "redis connect");
    }

    /** Redis acknowledges every {@code PUBLISH} with the number of receivers, in order: the n-th reply acknowledges the n-th message. */
    @Override
    public Future<AckedPublisher> ackedPublisher(String namespace, AckedPublisher.AckHandler acks) {
        return clients.within(clients.publisherTcp(port).map(socket -> {
            RedisConnection c = new RedisConnection(socket, new RespHandler(), 0);
            c.namespace = namespace;
            c.acks = acks;
            return (AckedPublisher) c;
        }), 20_000, "redis connect");
    }

    /** Every channel of the namespace by name (a pattern subscription would cost Redis a match per message). */
    @Override
    public Future<Subscriber> subscribeAll(int source, String namespace, int topics, io.pushgate.bench.load.IngestProbe probe) {
        int[] all = new int[topics];
        for (int i = 0; i < topics; i++) {
            all[i] = i;
        }
        return clients.within(clients.tcp(source, port).compose(socket -> {
            byte[][] args = new byte[topics + 1][];
            args[0] = ascii("SUBSCRIBE");
            for (int i = 0; i < topics; i++) {
                args[i + 1] = ascii(channel(namespace, all[i]));
            }
            RedisConnection c = new RedisConnection(socket, new RespHandler() {
                @Override
                public void message(Buffer buf, int channelFrom, int channelTo, int payloadFrom, int payloadTo, int wireBytes) {
                    probe.received(buf, payloadFrom, payloadTo);
                }
            }, topics);
            socket.write(command(args));
            return c.ready.future().map(v -> (Subscriber) c);
        }), 60_000, "redis subscribe all");
    }

    /** A RESP handler that does nothing; connections override what they need. */
    public static class RespHandler implements RespParser.Handler {
        @Override
        public void message(Buffer buf, int channelFrom, int channelTo, int payloadFrom, int payloadTo, int wireBytes) {
        }

        @Override
        public void subscribed(long count) {
        }

        @Override
        public void integer(long value) {
        }

        @Override
        public void error(String message) {
        }
    }

    /** A subscriber or a publisher over one TCP connection. */
    static final class RedisConnection implements Subscriber, AckedPublisher {
        final Promise<Void> ready = Promise.promise();
        private final NetSocket socket;
        private final Context context;
        private final AtomicLong errors = new AtomicLong();
        private volatile String lastError;
        private volatile String closeReason;
        private volatile boolean open = true;
        private volatile boolean closedByUs;
        String namespace;
        AckedPublisher.AckHandler acks;
        private long[] tokens = new long[1024];
        private int tokenHead;
        private int tokenTail;
        private byte[][] channels = new byte[0][];
        private static final byte[] PUBLISH = ascii("PUBLISH");

        RedisConnection(NetSocket socket, RespHandler handler, int expectedSubscriptions) {
            this.socket = socket;
            this.context = java.util.Objects.requireNonNull(Vertx.currentContext(), "a connection is built on its event loop");
            RespParser parser = new RespParser(new RespParser.Handler() {
                @Override
                public void message(Buffer buf, int cf, int ct, int pf, int pt, int wire) {
                    handler.message(buf, cf, ct, pf, pt, wire);
                }

                @Override
                public void subscribed(long count) {
                    if (count >= expectedSubscriptions) {
                        ready.tryComplete();
                    }
                }

                @Override
                public void integer(long value) {
                    if (acks != null && tokenHead < tokenTail) {
                        acks.acked(tokens[tokenHead++ % tokens.length], null);
                    }
                }

                @Override
                public void error(String message) {
                    errors.incrementAndGet();
                    lastError = message;
                    ready.tryFail("redis: " + message);
                    if (acks != null && tokenHead < tokenTail) {
                        acks.acked(tokens[tokenHead++ % tokens.length], message);
                    }
                }
            });
            socket.handler(parser::feed);
            socket.closeHandler(v -> {
                open = false;
                if (!closedByUs) {
                    closeReason = "closed by the server";
                }
                ready.tryFail("closed before subscribing");
            });
            socket.exceptionHandler(e -> {
                if (!closedByUs && closeReason == null) {
                    closeReason = "failed: " + e;
                }
            });
            if (expectedSubscriptions == 0) {
                ready.tryComplete();
            }
        }

        @Override
        public Context context() {
            return context;
        }

        @Override
        public void publish(int topic, byte[] payload) {
            publish(topic, payload, -1);
        }

        @Override
        public void publish(int topic, byte[] payload, long token) {
            if (acks != null) {
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
            if (topic >= channels.length) {
                byte[][] grown = new byte[Math.max(topic + 1, channels.length * 2)][];
                System.arraycopy(channels, 0, grown, 0, channels.length);
                channels = grown;
            }
            byte[] channel = channels[topic];
            if (channel == null) {
                channel = ascii(channel(namespace, topic));
                channels[topic] = channel;
            }
            socket.write(command(PUBLISH, channel, payload));
        }

        @Override
        public boolean writeQueueFull() {
            return socket.writeQueueFull();
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
                socket.close();
            }
        }
    }
}
