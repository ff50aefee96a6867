package io.pushgate.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The gateway's endpoints (replicas) and which one a connection attempt goes to: the first
 * connection from the first (or a random one, to spread clients over the replicas), then, after a
 * drop, each attempt to the next in turn (round-robin, starting after the endpoint that dropped).
 */
final class Endpoints {

    /** Each with its {@code delta} and {@code properties} parameters. */
    private final List<URI> uris;
    private final boolean randomStart;
    /** The index of the current connection's endpoint, or of the last one. */
    private volatile int current;
    /** Event thread: the index of the endpoint the next reconnection attempt goes to. */
    private int next;

    Endpoints(PushgateClientBuilder builder) {
        List<URI> all = new ArrayList<>();
        for (URI base : builder.uris) {
            all.add(Endpoint.withSessionProperties(Endpoint.of(base, builder.deltaFormat), builder.sessionProperties));
        }
        this.uris = List.copyOf(all);
        this.randomStart = builder.randomStart;
    }

    List<URI> all() {
        return uris;
    }

    int size() {
        return uris.size();
    }

    URI get(int index) {
        return uris.get(index);
    }

    /** The endpoint of the current connection, or of the last one. */
    URI current() {
        return uris.get(current);
    }

    boolean isCurrent(int index) {
        return index == current;
    }

    /** Where the first connection's attempts start. */
    int firstIndex() {
        return randomStart ? ThreadLocalRandom.current().nextInt(uris.size()) : 0;
    }

    /** Event thread: a connection to {@code index} is open; a later attempt goes to the one after it. */
    void connectedTo(int index) {
        current = index;
        next = (index + 1) % uris.size();
    }

    /** Event thread: the current connection dropped; attempts start with the endpoint after it. */
    void dropped() {
        next = (current + 1) % uris.size();
    }

    /** Event thread: the endpoint of the next attempt (and the one after it for the attempt after that). */
    int takeNext() {
        int index = next;
        next = (index + 1) % uris.size();
        return index;
    }
}
