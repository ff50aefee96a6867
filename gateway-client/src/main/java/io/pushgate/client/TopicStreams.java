package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The subscriptions of one client and the topics they receive: the state machine behind
 * {@link PushgateClient#subscribe}, with no network of its own.
 *
 * <p>It takes the gateway's push messages ({@code subscription}, {@code value}, {@code delta},
 * {@code event}, {@code gap}, {@code unsubscribed}) and hands whole values to the listeners whose
 * selectors match each topic. The work is in parts that share one {@link TopicTable}:
 * {@link Subscriptions} (selectors, {@code subscribe}/{@code unsubscribe}, routing),
 * {@link ValueMessages} (values, deltas, resynchronisation) and {@link TimeSeriesRecovery}
 * (events, gaps, {@code since}); this class routes each message to its part and tells them of the
 * connection's changes.
 *
 * <p>Threading: every method except {@link #subscribe} must run on the {@code events} executor,
 * which runs one task at a time; {@code subscribe} posts its work to it.
 */
final class TopicStreams {

    /** What the streams need from the connection. */
    interface Gateway {
        /**
         * Sends a request (the gateway adds its {@code id}). The future completes with the reply
         * message, or fails with a {@link PushgateException}: the gateway's error, or
         * {@link PushgateException.ConnectionLost} if there is no connection or it ended before the
         * reply. Never throws.
         */
        CompletableFuture<JsonNode> request(ObjectNode request);

        /** True while a connection is open. */
        boolean isConnected();
    }

    private static final System.Logger LOG = System.getLogger(TopicStreams.class.getName());

    private final TopicTable table = new TopicTable();
    private final Subscriptions subscriptions;
    private final ValueMessages values;
    private final TimeSeriesRecovery timeSeries;

    /**
     * @param events the client's event thread: every state change and listener callback runs there
     * @param completions where subscription futures complete, so that code waiting on them never
     *     holds up the event thread
     */
    TopicStreams(Gateway gateway, Executor events, Executor completions, Counters counters) {
        this.timeSeries = new TimeSeriesRecovery(counters, table);
        this.values = new ValueMessages(gateway, events, counters, table);
        this.subscriptions = new Subscriptions(gateway, events, completions, table, timeSeries);
    }

    /** Registers a subscription (any thread); its {@code ready} future completes when the gateway acknowledges it. */
    SubscriptionImpl subscribe(String selector, ValueListener listener) {
        return subscriptions.subscribe(selector, listener);
    }

    // ---------------------------------------------------------------- messages (event thread)

    /** Handles one push message from the gateway (replies to requests are handled elsewhere). */
    void onMessage(JsonNode message) {
        if (table.isClosed()) {
            return;
        }
        switch (message.path("type").asText()) {
            case "subscription" -> onSubscription(message);
            case "value" -> values.onValue(message);
            case "delta" -> values.onDelta(message);
            case "event" -> timeSeries.onEvent(message);
            case "gap" -> timeSeries.onGap(message);
            case "unsubscribed" -> onUnsubscribed(message);
            case "error" -> LOG.log(Level.WARNING, "the gateway reported an error: {0}", message);
            default -> LOG.log(Level.DEBUG, "ignored message: {0}", message);
        }
    }

    private void onSubscription(JsonNode message) {
        String topic = message.path("topic").asText(null);
        long tid = message.path("tid").asLong(-1);
        if (topic == null || tid < 0) {
            LOG.log(Level.WARNING, "ignored malformed subscription message: {0}", message);
            return;
        }
        List<String> selectors = null;
        if (message.has("selectors")) {
            selectors = new ArrayList<>();
            for (JsonNode key : message.get("selectors")) {
                selectors.add(key.asText());
            }
        }
        subscriptions.route(table.announce(topic, tid, message.get("spec"), selectors));
    }

    private void onUnsubscribed(JsonNode message) {
        TopicStream s = table.removeTid(message.path("tid").asLong(-1));
        if (s == null) {
            return;
        }
        String reason = message.path("reason").asText("REMOVED");
        s.detach();
        if ("REQUESTED".equals(reason) && !s.listeners.isEmpty()) {
            return; // another selector still wants it: see Subscriptions.afterUnsubscribe
        }
        table.forget(s);
        Callbacks.ended(s, reason);
    }

    // ---------------------------------------------------------------- connection (event thread)

    /** The connection ended: every topic waits to be renewed on the next one. */
    void connectionLost() {
        table.connectionLost();
    }

    /**
     * A connection is open: subscribe every selector again. Once the gateway has answered all of
     * them, topics it did not subscribe again are gone: their listeners get
     * {@code onUnsubscribed(topic, "REMOVED")}.
     */
    void connected() {
        if (table.isClosed()) {
            return;
        }
        subscriptions.renewAll();
        if (!table.isEmpty()) {
            subscriptions.barrier(() -> table.sweepDetached("REMOVED"));
        }
    }

    /** The client is closed: pending subscriptions fail, nothing is delivered any more. */
    void clientClosed() {
        table.close();
        subscriptions.closeAll();
    }

    /** The topics currently held, for tests. */
    Map<String, TopicStream> topicsForTest() {
        return table.asMapForTest();
    }
}
