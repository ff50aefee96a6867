package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.Op;
import io.pushgate.protocol.message.ServerMessage;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The {@code value} and {@code delta} messages of ordinary (not time series) topics, and the
 * resynchronisation that keeps them right. Per topic, seqs must strictly increase; a delta that
 * does not follow the value held ({@code seq != last + 1}) or does not apply to it is never
 * guessed at: the topic is fetched, the deltas that arrive meanwhile are kept and applied on top of
 * the fetched value, and listeners only ever see values the gateway had. Confined to the event
 * thread.
 */
final class ValueMessages {

    private static final System.Logger LOG = System.getLogger(TopicStreams.class.getName());

    private final TopicStreams.Gateway gateway;
    private final Executor events;
    private final Counters counters;
    private final TopicTable table;

    ValueMessages(TopicStreams.Gateway gateway, Executor events, Counters counters, TopicTable table) {
        this.gateway = gateway;
        this.events = events;
        this.counters = counters;
        this.table = table;
    }

    void onValue(ServerMessage.Value message) {
        TopicStream s = table.byTid(message.tid());
        if (s == null) {
            return;
        }
        counters.valuesReceived.incrementAndGet();
        long seq = message.seq();
        String text = message.text();
        JsonNode value;
        if (text != null) {
            try {
                value = Values.fromText(s.type, text);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the text of {0}@{1} is not a {2} value: {3}", s.topic, seq, s.type, e.getMessage());
                startResync(s, null);
                return;
            }
        } else {
            value = message.value();
            if (value == null) {
                LOG.log(Level.WARNING, "ignored value message with no value: {0}", message);
                return;
            }
        }
        if (take(s, seq, value, text)) {
            // a whole value ends any resynchronisation: the deltas kept are older than it
            s.resyncing = false;
            s.buffered.clear();
        }
    }

    void onDelta(ServerMessage.Delta message) {
        TopicStream s = table.byTid(message.tid());
        if (s == null) {
            return;
        }
        long seq = message.seq();
        if (!s.reattached && seq <= s.seq) {
            return; // older than the value held (e.g. one a resynchronisation fetched)
        }
        if (s.resyncing) {
            s.buffer(message);
            return;
        }
        if (s.reattached || !s.applyDelta(message)) {
            startResync(s, message);
            return;
        }
        counters.deltasApplied.incrementAndGet();
        Callbacks.deliver(s);
    }

    /**
     * Takes a whole value if it is newer than the one held, and hands it over. After a
     * reconnection the current value is handed over again even with the same seq; a lower seq then
     * means the topic was removed and added again meanwhile, which listeners learn as
     * {@code onUnsubscribed(topic, "REMOVED")} before its new values.
     */
    private boolean take(TopicStream s, long seq, JsonNode value, String text) {
        if (s.reattached) {
            s.reattached = false;
            if (seq < s.seq) {
                Callbacks.recreated(s);
                s.resetValue();
            }
        } else if (seq <= s.seq) {
            return false;
        }
        s.hold(seq, value, text);
        Callbacks.deliver(s);
        return true;
    }

    /** Fetches the topic's whole value; deltas that come meanwhile are kept and applied after it. */
    private void startResync(TopicStream s, ServerMessage.Delta delta) {
        s.resyncing = true;
        s.buffered.clear();
        if (delta != null) {
            s.buffered.add(delta);
        }
        counters.resyncs.incrementAndGet();
        int epoch = s.epoch;
        gateway.request(Requests.op(Op.FETCH).put(Field.SELECTOR, ">" + s.topic))
                .whenCompleteAsync((reply, error) -> resynced(s, epoch, reply, error), events);
    }

    private void resynced(TopicStream s, int epoch, JsonNode reply, Throwable error) {
        if (table.isClosed() || !table.holds(s) || s.epoch != epoch) {
            return; // detached or replaced meanwhile: this answer is for another life of the topic
        }
        boolean waiting = s.resyncing;
        s.resyncing = false;
        List<ServerMessage.Delta> deltas = new ArrayList<>(s.buffered);
        s.buffered.clear();
        if (error != null) {
            LOG.log(Level.WARNING, "could not fetch {0} to resynchronise: {1}", s.topic, Causes.unwrap(error).getMessage());
            return; // the next delta that does not follow starts another attempt
        }
        boolean progressed = false;
        for (JsonNode result : reply.path(Field.RESULTS)) {
            TopicState state = TopicState.fromJson(result);
            if (state.topic().equals(s.topic) && state.value() != null) {
                progressed = take(s, state.seq(), state.value(), null);
            }
        }
        if (!waiting) {
            return;
        }
        for (ServerMessage.Delta delta : deltas) {
            long seq = delta.seq();
            if (seq <= s.seq) {
                continue;
            }
            if (s.resyncing) {
                s.buffer(delta);
            } else if (s.applyDelta(delta)) {
                counters.deltasApplied.incrementAndGet();
                Callbacks.deliver(s);
            } else if (progressed) {
                startResync(s, delta);
            } else {
                return; // no newer value to be had now: wait for the next message
            }
        }
    }
}
