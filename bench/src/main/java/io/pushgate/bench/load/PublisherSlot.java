package io.pushgate.bench.load;

import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.peers.Publisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A scenario's publisher: opened again when the server has closed it, remembering why it was closed. */
public final class PublisherSlot implements AutoCloseable {

    private final Peer peer;
    private final String namespace;
    private final List<String> closes = new ArrayList<>();
    private Publisher current;

    public PublisherSlot(Peer peer, String namespace) {
        this.peer = peer;
        this.namespace = namespace;
    }

    /** The open publisher, opening one if there is none or the server closed the last. */
    public Publisher get() throws Exception {
        if (current != null && !current.isOpen()) {
            closes.add(String.valueOf(current.closeReason()));
            current = null;
        }
        if (current == null) {
            // longer than the peers' own connect timeouts, so that their message is the one reported
            current = peer.publisher(namespace).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        return current;
    }

    /** Why the server closed publishers of this slot, in order. */
    public List<String> closes() {
        if (current != null && !current.isOpen()) {
            closes.add(String.valueOf(current.closeReason()));
            current = null;
        }
        return closes;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
        }
    }
}
