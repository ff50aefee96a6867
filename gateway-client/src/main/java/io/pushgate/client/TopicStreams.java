package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.message.ServerMessage;
import io.pushgate.protocol.message.UnsubscribedReason;
import java.lang.System.Logger.Level;
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
    void onMessage(ServerMessage message) {
        if (table.isClosed()) {
            return;
        }
        if (message instanceof ServerMessage.Subscription m) {
            subscriptions.route(table.announce(m));
        } else if (message instanceof ServerMessage.Value m) {
            values.onValue(m);
        } else if (message instanceof ServerMessage.Delta m) {
            values.onDelta(m);
        } else if (message instanceof ServerMessage.Event m) {
            timeSeries.onEvent(m);
        } else if (message instanceof ServerMessage.Gap m) {
            timeSeries.onGap(m);
        } else if (message instanceof ServerMessage.Unsubscribed m) {
            onUnsubscribed(m);
        } else if (message instanceof ServerMessage.Error m) {
            LOG.log(Level.WARNING, "the gateway reported an error: [{0}] {1}", m.code(), m.message());
        } else {
            LOG.log(Level.DEBUG, "ignored message: {0}", message);
        }
    }

    /** {@link #onMessage(ServerMessage)} of a message as JSON (how the tests play the gateway's messages). */
    void onMessage(JsonNode json) {
        ServerMessage message;
        try {
            message = Inbound.decode(json);
        } catch (ProtocolException e) {
            LOG.log(Level.WARNING, "ignored malformed message: {0} ({1})", json, e.getMessage());
            return;
        }
        onMessage(message);
    }

    private void onUnsubscribed(ServerMessage.Unsubscribed message) {
        TopicStream s = table.removeTid(message.tid());
        if (s == null) {
            return;
        }
        String reason = message.reason() == null ? UnsubscribedReason.REMOVED : message.reason();
        s.detach();
        if (UnsubscribedReason.REQUESTED.equals(reason) && !s.listeners.isEmpty()) {
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
