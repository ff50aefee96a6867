package io.pushgate.gateway.views;

import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.TopicType;

/**
 * The sources of remote views ({@code map SELECTOR from SERVER to ...}): topics of another
 * Pushgate server, named by configuration, followed over the Java client. The view engine asks
 * for a feed per running remote view; the adapter behind this port connects, subscribes and
 * reconnects. A named server that is not configured or does not answer leaves the feed dormant:
 * it calls {@link Listener#connected()} once the server answers, and {@link
 * Listener#disconnected()} whenever it stops answering, after which the view's reference topics
 * from that server go (Diffusion's documented behaviour) until it answers again.
 */
public interface RemoteSources {

    /**
     * Starts following, on the named server, the topics that match the selector (evaluated at
     * that server, with the credentials configured for it). The listener is called from one
     * thread at a time, in the order events arrived; it must not block.
     */
    Feed follow(String server, String selector, Listener listener);

    /** A feed being followed; closing it unsubscribes and stops reconnecting. */
    interface Feed {
        void close();
    }

    /** What a feed reports. */
    interface Listener {
        /** The server answers (the first time, or again after {@link #disconnected()}): values follow. */
        void connected();

        /** A matching topic on the server has this value: its current value on subscription, or a new one. */
        void value(String path, TopicType type, TopicValue value);

        /** A matching topic went away on the server (removed, or no longer readable with these credentials). */
        void removed(String path);

        /** The server stopped answering (or is not configured): the view goes dormant. */
        void disconnected();
    }

    /** No remote server is configured: every feed stays dormant. */
    RemoteSources NONE = (server, selector, listener) -> {
        listener.disconnected();
        return () -> { };
    };
}
