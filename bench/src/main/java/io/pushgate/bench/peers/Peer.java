package io.pushgate.bench.peers;

import io.pushgate.bench.load.Probe;
import io.vertx.core.Future;
import java.util.List;

/**
 * One system under test, as the load generator drives it: subscribers to topics (whatever the
 * system calls them: topics, subjects, channels, rooms) and a publisher. Topics are named by a
 * namespace and an index; a system without topics ({@link #hasTopics()} false) delivers every
 * message to every subscriber.
 */
public interface Peer {

    /** Short id used in results: {@code gateway}, {@code gateway-lines}, {@code broadcaster}, {@code socketio}, {@code nats}, {@code redis}. */
    String name();

    /** What it is, for the report. */
    String label();

    boolean hasTopics();

    /**
     * The server this peer drives: its own name, except for a second way of talking to the same
     * server ({@code gateway-lines} is the gateway with batched frames), which scenarios that
     * measure the server rather than its framing (idle connections) leave out.
     */
    default String server() {
        return name();
    }

    /** The server processes whose CPU and memory count for this system. */
    List<Long> pids();

    /** Makes topics {@code 0..count-1} of {@code namespace} exist (the gateway's must, before a subscribe matches them). */
    default Future<Void> prepareTopics(String namespace, int count) {
        return Future.succeededFuture();
    }

    /** A subscriber from source address {@code source} to the given topics; completes once subscribed. */
    Future<Subscriber> subscribe(int source, String namespace, int[] topics, Probe probe);

    /** A publisher to topics of {@code namespace}; completes once it can publish. */
    Future<Publisher> publisher(String namespace);
}
