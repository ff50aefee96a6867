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
 *
 * <p>Time series topics deliver {@link #onEvent events} (by default passed on to
 * {@link #onValue}) and {@link #onGap gaps}; {@link TimeSeriesListener} is the listener for them
 * alone.
 */
@FunctionalInterface
public interface ValueListener {

    /**
     * A topic's current value.
     *
     * <p>For one topic, {@code seq} strictly increases while the connection stays up. After a
     * reconnection the current value is handed over again (time series events are not: they
     * resume after the last one, see {@link #onEvent}), with a {@code seq} equal to or greater
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
     * {@link #onValue(String, long, JsonNode)} with the topic's specification, as the gateway
     * announced it in the topic's {@code subscription} message ({@code {"type": "JSON",
     * "properties": {...}}}): for listeners that need the type of the topic, which the value alone
     * does not tell (a number may be an INT64 or a DOUBLE topic's, a text a STRING or a BINARY
     * topic's). The client calls this one for every value; by default it calls
     * {@link #onValue(String, long, JsonNode)}. Not called for time series events ({@link #onEvent}).
     *
     * @param spec the topic's spec (read-only); the same object until the topic is announced again
     */
    default void onValue(String topic, JsonNode spec, long seq, JsonNode value) {
        onValue(topic, seq, value);
    }

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

    /**
     * An event of a time series topic ({@code TIME_SERIES}): an append or an edit, with its
     * {@code seq}, {@code time}, {@code author}, {@code value} and, for an edit, {@code editOf}.
     *
     * <p>For one topic, events come in seq order, each once: after a reconnection (to the same
     * gateway or another replica) the client resubscribes with {@code since} its last delivered
     * seq, the gateway replays what was appended meanwhile, and anything at or below the last
     * delivered seq is dropped. Events the gateway no longer retains are announced by
     * {@link #onGap} before the events that follow them. A lower seq than before only follows an
     * {@link #onUnsubscribed} with reason {@code REMOVED} (the topic was removed and added again
     * while the client was away).
     *
     * <p>By default this calls {@link #onValue onValue(topic, event.seq(), event.value())}, which
     * is how time series events reached listeners before this method existed.
     */
    default void onEvent(String topic, TimeSeriesEvent event) {
        onValue(topic, event.seq(), event.value());
    }

    /**
     * Events {@code fromSeq} to {@code toSeq} (inclusive) of a time series were missed and cannot
     * be recovered: after a reconnection the gateway no longer retained them (its
     * {@code TIME_SERIES_RETAINED_RANGE} had trimmed them). Comes before the events after
     * {@code toSeq}. Does nothing by default.
     *
     * @param reason as the gateway says it: {@code NOT_RETAINED}
     */
    default void onGap(String topic, long fromSeq, long toSeq, String reason) {
    }
}
