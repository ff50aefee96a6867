package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.message.ServerMessage;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One topic as the client receives it: the value it holds (and, in {@code fossil} mode, that
 * value's exact text), its seq, and the subscriptions it is handed to. Confined to the client's
 * event thread.
 */
final class TopicStream {

    /** Deltas kept while a resynchronisation is in flight; past this the oldest are dropped. */
    static final int MAX_BUFFERED = 1024;

    final String topic;
    /** The gateway's number for this topic on the current connection; -1 when not attached. */
    long tid = -1;
    /** True while the gateway has this topic subscribed on the current connection. */
    boolean attached;
    JsonNode spec;
    String type = "";

    /** The seq of {@link #value}; 0 when no value is held. */
    long seq;
    JsonNode value;
    /** The exact text of {@link #value} as the gateway diffs it, when known (fossil mode). */
    String text;

    /**
     * Set when the connection is renewed: the next value is handed over even if its seq equals the
     * last one (listeners get the current values again), and a lower seq means the topic was
     * removed and added again while the client was away.
     */
    boolean reattached;
    /** Time series: the last event handed over (its seq is {@link #seq} unless a gap passed it). */
    TimeSeriesEvent lastEvent;
    /**
     * Time series: the {@code since} sent for this topic in the latest {@code subscribe}; -1 when
     * none. The gateway replays only events after it, so a first event at or below it means the
     * topic was removed and added again (the gateway then starts afresh).
     */
    long sinceSent = -1;
    /** Time series: a {@code subscription} came and no event since (see {@link #sinceSent}). */
    boolean awaitingFirstEvent;

    /** A fetch of this topic is in flight; deltas wait in {@link #buffered}. */
    boolean resyncing;
    final ArrayDeque<ServerMessage.Delta> buffered = new ArrayDeque<>();
    /** Bumped whenever an answer to a fetch sent earlier no longer applies (detach, reset). */
    int epoch;

    final Set<SubscriptionImpl> listeners = new LinkedHashSet<>();
    /**
     * The keys of this client's selectors that match the topic, as the gateway said (its
     * {@code subscription} message's {@code selectors}, and the {@code tids} of a later
     * {@code subscribe}'s {@code ok}): which subscriptions get it, and which renewals carry its
     * {@code since}. Kept across a reconnection until the gateway announces the topic again.
     */
    final Set<String> selectors = new LinkedHashSet<>();

    TopicStream(String topic) {
        this.topic = topic;
    }

    /** The subscription gets this topic (if open); true if it did not have it yet. */
    boolean attach(SubscriptionImpl sub) {
        if (sub.isOpen() && listeners.add(sub)) {
            sub.topics.add(topic);
            return true;
        }
        return false;
    }

    /** Forgets the value: the topic that now has this path is another one. */
    void resetValue() {
        seq = 0;
        value = null;
        text = null;
        lastEvent = null;
        resyncing = false;
        buffered.clear();
        epoch++;
    }

    /** True for a {@code TIME_SERIES} topic: it delivers events, and is resumed with {@code since}. */
    boolean isTimeSeries() {
        return "TIME_SERIES".equals(type);
    }

    /** True once there is something to hand a subscription added later: a value or an event. */
    boolean hasContent() {
        return value != null || lastEvent != null;
    }

    /** No longer subscribed on the current connection. */
    void detach() {
        attached = false;
        tid = -1;
        resyncing = false;
        buffered.clear();
        epoch++;
    }

    /** Holds this value from now on. */
    void hold(long seq, JsonNode value, String text) {
        this.seq = seq;
        this.value = value;
        this.text = text;
    }

    /** Keeps a delta for after the resynchronisation. */
    void buffer(ServerMessage.Delta delta) {
        if (buffered.size() >= MAX_BUFFERED) {
            buffered.removeFirst();
        }
        buffered.addLast(delta);
    }

    /**
     * Applies a {@code delta} message ({@code patch} or Fossil {@code delta}) to the value held,
     * if it is the next one ({@code seq == this.seq + 1}) and applies cleanly.
     *
     * @return true if the stream now holds the new value; false if the delta does not follow the
     *     value held or does not apply to it, and the stream is unchanged
     */
    boolean applyDelta(ServerMessage.Delta message) {
        long next = message.seq();
        if (value == null || next != seq + 1) {
            return false;
        }
        JsonNode patch = message.patch();
        try {
            if (patch != null && !patch.isNull()) {
                hold(next, JsonPatchDelta.apply(patch, value), null);
                return true;
            }
            if (message.delta() != null) {
                String base = text != null ? text : Values.textOf(type, value);
                if (base == null) {
                    return false;
                }
                String newText = FossilDelta.applyText(base, message.delta());
                hold(next, Values.fromText(type, newText), newText);
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            // a patch that does not apply, a Fossil checksum that does not match, text that is not
            // JSON: the value held is not the one the gateway diffed against
            return false;
        }
    }

    @Override
    public String toString() {
        return topic + "@" + seq + (attached ? "" : " (detached)");
    }
}
