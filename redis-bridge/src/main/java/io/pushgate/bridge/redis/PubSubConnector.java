package io.pushgate.bridge.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens the bridge's pub/sub connection.
 *
 * <p>On a single Redis (and with Sentinel or replication) it is a connection of the configured
 * client, as it always was.
 *
 * <p>On a Redis Cluster ({@code quarkus.redis.client-type=cluster}) it is a plain connection to
 * <em>one</em> node of {@code quarkus.redis.hosts}, made with the client's other settings (password,
 * TLS, protocol, timeouts). A cluster delivers every {@code PUBLISH}, whichever node received it,
 * to the subscribers of every node, so a subscriber on one node sees every message. The cluster
 * client's own connection is no good for this: it holds a connection to every node, cannot be
 * opened while any node is down, and sets the message handler only on the node connections it
 * holds at that moment, while it sends each {@code SUBSCRIBE} to a node chosen at random. It
 * starts with the first node the client lists; after a connection to one failed or was lost,
 * {@link #next()} makes the following one (round the list) the next to try.
 */
@ApplicationScoped
public class PubSubConnector {

    private final Redis client;
    private final Vertx vertx;
    private final RedisClientOptions options;
    private int next; // guarded by this

    public PubSubConnector(Redis client, Vertx vertx, RedisClientOptions options) {
        this.client = client;
        this.vertx = vertx;
        this.options = options;
    }

    /** A pub/sub connection, and the node it is on when it is a dedicated one (a cluster's). */
    public record Opened(RedisConnection connection, Optional<String> node, Redis owner) {

        /** Closes the connection (and the dedicated client it came from). */
        public void close() {
            connection.close();
            if (owner != null) {
                owner.close();
            }
        }
    }

    /** Whether the configured client is a Redis Cluster client. */
    public boolean cluster() {
        return options.defaultClient().map(o -> o.getType() == RedisClientType.CLUSTER).orElse(false);
    }

    /** The nodes a cluster's pub/sub connection may go to, in the order tried; empty when not on a cluster. */
    public List<String> nodes() {
        if (!cluster()) {
            return List.of();
        }
        return List.copyOf(options.defaultClient().orElseThrow().getEndpoints());
    }

    /** Opens a connection: the configured client's, or on a cluster one to the current node. */
    public Future<Opened> open() {
        List<String> nodes = nodes();
        if (nodes.isEmpty()) {
            return client.connect().map(connection -> new Opened(connection, Optional.empty(), null));
        }
        String node;
        synchronized (this) {
            node = nodes.get(Math.floorMod(next, nodes.size()));
        }
        RedisOptions one = new RedisOptions(options.defaultClient().orElseThrow())
                .setType(RedisClientType.STANDALONE)
                .setEndpoints(new ArrayList<>(List.of(node)))
                .setMaxPoolSize(1)
                .setMaxPoolWaiting(1)
                .setPoolName("pushgate-bridge-pubsub");
        Redis dedicated = Redis.createClient(vertx, one);
        return dedicated.connect()
                .map(connection -> new Opened(connection, Optional.of(node), dedicated))
                .onFailure(error -> dedicated.close());
    }

    /** The current node failed or was lost: the next {@link #open()} tries the following one. */
    public synchronized void next() {
        next++;
    }
}
