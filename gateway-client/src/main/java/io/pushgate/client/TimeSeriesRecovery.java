package io.pushgate.client;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.ServerMessage;
import io.pushgate.protocol.message.UnsubscribedReason;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Time series topics: their {@code event} and {@code gap} messages, and the {@code since} that
 * every {@code subscribe} carries so that they are recovered, not replaced, across reconnections and
 * replicas (docs/protocol.md, "Recovery"). Per topic each seq is handed over once, in order.
 * Confined to the event thread.
 */
final class TimeSeriesRecovery {

    private static final System.Logger LOG = System.getLogger(TopicStreams.class.getName());

    private final Counters counters;
    private final TopicTable table;

    TimeSeriesRecovery(Counters counters, TopicTable table) {
        this.counters = counters;
        this.table = table;
    }

    /**
     * Writes {@code since: {path: last seq}} into a {@code subscribe} request for each time series
     * held that the selector may match, so that the gateway, this one or another replica, replays
     * the events appended since the last one handed over (0 when none was: every retained event
     * since the subscription), and says which it no longer has ({@code gap}).
     */
    void writeSince(ObjectNode subscribe, Predicate<TopicStream> selectorMayMatch) {
        ObjectNode since = null;
        for (TopicStream s : table.all()) {
            if (s.isTimeSeries() && selectorMayMatch.test(s)) {
                if (since == null) {
                    since = subscribe.putObject(Field.SINCE);
                }
                since.put(s.topic, s.seq);
                s.sinceSent = s.seq;
            }
        }
    }

    /**
     * A time series event. An event at or below the last seq handed over is a duplicate and
     * dropped. The one exception is the first event after a resubscription with {@code since}: the
     * gateway replays only events after it, so a seq at or below it (other than the very event
     * handed over last, sent again) means the topic was removed and added again meanwhile, which
     * listeners learn as {@code onUnsubscribed(topic, "REMOVED")} before its events.
     */
    void onEvent(ServerMessage.Event message) {
        TopicStream s = table.byTid(message.tid());
        if (s == null) {
            return;
        }
        TimeSeriesEvent event;
        try {
            event = TimeSeriesEvent.fromJson(message.event() == null ? NullNode.getInstance() : message.event());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignored malformed event message: {0}", message);
            return;
        }
        counters.valuesReceived.incrementAndGet();
        s.reattached = false;
        if (s.awaitingFirstEvent) {
            s.awaitingFirstEvent = false;
            long since = s.sinceSent;
            s.sinceSent = -1;
            if (since > 0 && event.seq() <= since && !sameEvent(event, s.lastEvent)) {
                LOG.log(Level.INFO, "{0} was removed and added again: its seqs start again at {1}", s.topic, event.seq());
                Callbacks.recreated(s);
                s.resetValue();
            }
        }
        if (event.seq() <= s.seq) {
            counters.duplicatesDropped.incrementAndGet();
            return;
        }
        s.seq = event.seq();
        s.lastEvent = event;
        Callbacks.deliver(s);
    }

    /** True if {@code b} is the same event as {@code a}: seq, time, author and value. */
    private static boolean sameEvent(TimeSeriesEvent a, TimeSeriesEvent b) {
        return b != null && a.seq() == b.seq() && Objects.equals(a.time(), b.time())
                && Objects.equals(a.author(), b.author()) && a.value().equals(b.value());
    }

    /**
     * {@code gap}: events a resubscription with {@code since} asked for are no longer retained.
     * Listeners are told which (the part above the last seq handed over), and those seqs count as
     * passed, so that the next resubscription does not ask for them again.
     */
    void onGap(ServerMessage.Gap message) {
        TopicStream s = table.byTid(message.tid());
        if (s == null) {
            return;
        }
        long from = message.from();
        long to = message.to();
        String reason = message.reason() == null ? UnsubscribedReason.NOT_RETAINED : message.reason();
        if (from < 1 || to < from) {
            LOG.log(Level.WARNING, "ignored malformed gap message: {0}", message);
            return;
        }
        counters.gaps.incrementAndGet();
        long first = Math.max(from, s.seq + 1);
        if (first > to) {
            return; // all handed over already
        }
        s.seq = to;
        Callbacks.gap(s, first, to, reason);
    }
}
