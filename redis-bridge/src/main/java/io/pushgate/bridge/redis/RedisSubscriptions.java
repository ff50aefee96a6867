package io.pushgate.bridge.redis;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.support.backoff.Backoff;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The bridge's one pub/sub connection to Redis, shared by everything that subscribes (passthrough
 * clients, forwarders, gateway mappings): each channel or pattern is subscribed once, however many
 * listeners hold it, and unsubscribed when the last one lets go.
 *
 * <p>Guarantees: listeners of a key receive its messages in the order Redis delivered them, on
 * the connection's event loop (so a listener must not block). Delivery is at most once, as Redis
 * pub/sub is: when the connection drops, it reconnects with exponential backoff and subscribes
 * again to every key still held, and whatever was published in between is lost.
 *
 * <p>On a Redis Cluster the connection goes to one node ({@link PubSubConnector}): the cluster
 * delivers every message to every node, so that one subscriber sees all of them. When that node is
 * lost, the next reconnect goes to the next node of {@code quarkus.redis.hosts}.
 */
@ApplicationScoped
public class RedisSubscriptions {

    private static final Logger LOG = Logger.getLogger(RedisSubscriptions.class);

    private final PubSubConnector connector;
    private final Vertx vertx;
    private final Backoff backoff;
    private final Map<SubscriptionKey, List<Consumer<RedisMessage>>> listeners = new ConcurrentHashMap<>();
    private final java.util.Set<SubscriptionKey> confirmed = ConcurrentHashMap.newKeySet();
    private final AtomicLong reconnects = new AtomicLong();

    private RedisConnection connection; // guarded by this
    private PubSubConnector.Opened opened; // guarded by this: the connection and what it came from
    private boolean everConnected; // guarded by this
    private boolean stopped; // guarded by this
    private volatile boolean connected;
    private volatile String node; // the cluster node the connection is on; null on a single Redis

    public RedisSubscriptions(PubSubConnector connector, Vertx vertx, BridgeConfig config, MeterRegistry registry) {
        this.connector = connector;
        this.vertx = vertx;
        this.backoff = Backoff.exponential(config.redis().reconnect().initialDelay(), config.redis().reconnect().maxDelay());
        Gauge.builder("bridge.redis.connected", this, s -> s.isConnected() ? 1 : 0)
                .description("1 while the pub/sub connection to Redis is up").register(registry);
        FunctionCounter.builder("bridge.redis.reconnects", reconnects, AtomicLong::get)
                .description("Times the pub/sub connection was re-established after it dropped").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        connect();
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        connected = false;
        if (opened != null) {
            PubSubConnector.Opened closing = opened;
            opened = null;
            connection = null;
            closing.close();
        }
    }

    /**
     * Holds {@code key} for {@code listener}: the first holder of a key subscribes it. Messages
     * published after Redis processed the subscription reach the listener.
     */
    public synchronized Subscription subscribe(SubscriptionKey key, Consumer<RedisMessage> listener) {
        List<Consumer<RedisMessage>> holders = listeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
        holders.add(listener);
        if (holders.size() == 1 && connection != null) {
            send(connection, key.subscribeCommand(), List.of(key.name()));
        }
        return () -> release(key, listener);
    }

    /** Whether the pub/sub connection is up. */
    public boolean isConnected() {
        return connected;
    }

    /**
     * The cluster node the pub/sub connection is on (its URI from {@code quarkus.redis.hosts}) while
     * it is up; empty on a single Redis or while disconnected.
     */
    public Optional<String> node() {
        return connected ? Optional.ofNullable(node) : Optional.empty();
    }

    /** Whether Redis has confirmed the subscription of {@code key} on the current connection. */
    public boolean isActive(SubscriptionKey key) {
        return confirmed.contains(key);
    }

    /** Channels and patterns currently held (subscribed, or to be subscribed on reconnect). */
    public int subscriptionCount() {
        return listeners.size();
    }

    private synchronized void release(SubscriptionKey key, Consumer<RedisMessage> listener) {
        List<Consumer<RedisMessage>> holders = listeners.get(key);
        if (holders == null || !holders.remove(listener)) {
            return;
        }
        if (holders.isEmpty()) {
            listeners.remove(key);
            if (connection != null) {
                send(connection, key.unsubscribeCommand(), List.of(key.name()));
            }
        }
    }

    private void connect() {
        connector.open().onComplete(result -> {
            if (result.succeeded()) {
                onConnected(result.result());
            } else {
                connector.next();
                retry("cannot connect", result.cause());
            }
        });
    }

    private synchronized void onConnected(PubSubConnector.Opened made) {
        if (stopped) {
            made.close();
            return;
        }
        RedisConnection conn = made.connection();
        conn.handler(this::onMessage);
        conn.exceptionHandler(error -> lost(conn, "connection failed", error));
        conn.endHandler(ignored -> lost(conn, "connection closed", null));
        connection = conn;
        opened = made;
        node = made.node().orElse(null);
        List<String> channels = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        listeners.keySet().forEach(key -> (key.pattern() ? patterns : channels).add(key.name()));
        if (!channels.isEmpty()) {
            send(conn, Command.SUBSCRIBE, channels);
        }
        if (!patterns.isEmpty()) {
            send(conn, Command.PSUBSCRIBE, patterns);
        }
        connected = true;
        backoff.reset();
        String on = node == null ? "" : " (on cluster node " + node + ")";
        if (everConnected) {
            reconnects.incrementAndGet();
            LOG.infof("Redis pub/sub connection is back%s; subscribed again to %d channels and %d patterns", on, channels.size(), patterns.size());
        } else {
            LOG.infof("Redis pub/sub connection is up%s", on);
        }
        everConnected = true;
    }

    private synchronized void lost(RedisConnection which, String what, Throwable error) {
        if (connection != which) {
            return;
        }
        PubSubConnector.Opened closing = opened;
        connection = null;
        opened = null;
        connected = false;
        confirmed.clear();
        closing.close(); // the connection, and on a cluster the node's client
        connector.next();
        retry(node == null ? what : what + " (cluster node " + node + "; trying the next node)", error);
    }

    private synchronized void retry(String what, Throwable error) {
        if (stopped) {
            return;
        }
        Duration delay = backoff.next();
        LOG.warnf("Redis pub/sub: %s (%s); reconnecting in %d ms", what, error == null ? "no error" : error.getMessage(), delay.toMillis());
        vertx.setTimer(delay.toMillis(), id -> connect());
    }

    private void send(RedisConnection on, Command command, List<String> names) {
        Request request = Request.cmd(command);
        names.forEach(request::arg);
        on.send(request).onFailure(error -> lost(on, "cannot send " + command, error));
    }

    private void onMessage(Response response) {
        if (response == null || (response.type() != ResponseType.PUSH && response.type() != ResponseType.MULTI)) {
            return;
        }
        String kind = response.get(0).toString();
        if ("message".equals(kind) && response.size() == 3) {
            String channel = response.get(1).toString();
            dispatch(new RedisMessage(SubscriptionKey.channel(channel), channel, response.get(2).toBytes()));
        } else if ("pmessage".equals(kind) && response.size() == 4) {
            dispatch(new RedisMessage(SubscriptionKey.pattern(response.get(1).toString()), response.get(2).toString(), response.get(3).toBytes()));
        } else if (response.size() == 3 && response.get(1) != null) {
            confirm(kind, response.get(1).toString()); // (p)(un)subscribe confirmations
        }
    }

    private void confirm(String kind, String name) {
        switch (kind) {
            case "subscribe" -> confirmed.add(SubscriptionKey.channel(name));
            case "psubscribe" -> confirmed.add(SubscriptionKey.pattern(name));
            case "unsubscribe" -> confirmed.remove(SubscriptionKey.channel(name));
            case "punsubscribe" -> confirmed.remove(SubscriptionKey.pattern(name));
            default -> { }
        }
    }

    private void dispatch(RedisMessage message) {
        List<Consumer<RedisMessage>> holders = listeners.get(message.key());
        if (holders == null) {
            return;
        }
        for (Consumer<RedisMessage> listener : holders) {
            try {
                listener.accept(message);
            } catch (RuntimeException e) {
                LOG.errorf(e, "a listener of %s failed", message.key());
            }
        }
    }
}
