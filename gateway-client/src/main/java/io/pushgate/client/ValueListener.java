package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives the values of the topics a {@link Subscription} selects: always the <b>whole</b>
 * value, whatever the delta format of the connection (the client applies the deltas).
 *
 * <p>Callbacks come on the client's one event thread, in the order the gateway sent the updates,
 * never two at once for one client. Keep them short: while a callback runs, no other callback of
 * that client runs, and after a backlog of several thousand messages the client stops reading
 * from the network (so that the gateway conflates instead of this process buffering without
 * bound). Waiting in a callback for a request's future (e.g. {@code set(...).join()}) is allowed.
 *
 * <p>The {@link JsonNode} handed over is the client's own copy of the current value, which it
 * patches the next delta onto: read it, do not modify it ({@code value.deepCopy()} first if needed).
 */
@FunctionalInterface
public interface ValueListener {

    /**
     * A topic's current value.
     *
     * <p>For one topic, {@code seq} strictly increases while the connection stays up. After a
     * reconnection the current value is handed over again, with a {@code seq} equal to or greater
     * than the last one; a lower {@code seq} only follows an {@link #onUnsubscribed} with reason
     * {@code REMOVED} (the topic was removed and added again while the client was away). A
     * {@code seq} may skip numbers: under conflation, after a resynchronisation, or after a
     * reconnection.
     *
     * @param topic the topic's path
     * @param seq the sequence number of this value
     * @param value the whole value: a JSON value for JSON topics, a text node for STRING (and
     *     BINARY, base64) topics, a number for INT64 and DOUBLE topics
     */
    void onValue(String topic, long seq, JsonNode value);

    /**
     * The subscription no longer delivers this topic.
     *
     * @param topic the topic's path
     * @param reason why, as the gateway says it: {@code REMOVED} (the topic was removed, or was
     *     gone after a reconnection), {@code REQUESTED} (the subscription was closed),
     *     {@code PERMISSION_DENIED}, {@code CONFLATED_AWAY}, ...; or the error code with which the
     *     gateway refused to renew the subscription after a reconnection
     */
    default void onUnsubscribed(String topic, String reason) {
    }
}
