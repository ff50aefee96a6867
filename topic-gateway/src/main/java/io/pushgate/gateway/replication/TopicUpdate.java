package io.pushgate.gateway.replication;

import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicValue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * One change of one topic as the tree applied it: the new seq and value, the value before it
 * (for deltas), the time series event, or a resync. It also keeps what encoders make of it
 * ({@link #encoded}): each encoding (the whole value, a delta...) is made at most once, on the
 * first connection that needs it, and shared by all the others, so that the cost of an update
 * does not grow with the number of subscribers, only the writes do.
 */
public final class TopicUpdate {

    /** How many encodings an update keeps (the gateway's wire encoding uses five). */
    public static final int ENCODINGS = 5;

    /** Kept for an encoding that was made and found not worth having (a delta larger than the value). */
    private static final Object NONE = new Object();

    private final Topic topic;
    private final long seq;
    private final TopicValue previous;
    private final TopicValue value;
    private final TimeSeriesEvent event;
    private final boolean resync;
    // Each encoding is made once, by the first loop that needs it; volatile reads let the others
    // (every subscriber of every loop) skip the lock once it is made.
    private final AtomicReferenceArray<Object> encodings = new AtomicReferenceArray<>(ENCODINGS);

    /** {@code previous} is the value at {@code seq - 1}, or null when it is not known (a gap). */
    public TopicUpdate(Topic topic, long seq, TopicValue previous, TopicValue value) {
        this(topic, seq, previous, value, null, false);
    }

    private TopicUpdate(Topic topic, long seq, TopicValue previous, TopicValue value, TimeSeriesEvent event, boolean resync) {
        this.topic = topic;
        this.seq = seq;
        this.previous = previous;
        this.value = value;
        this.event = event;
        this.resync = resync;
    }

    /** An event appended to a time series topic. */
    public static TopicUpdate event(Topic topic, TimeSeriesEvent event) {
        return new TopicUpdate(topic, event.seq(), null, event.value(), event, false);
    }

    /**
     * A time series moved on by events this gateway did not see (a lost change message):
     * subscribers fetch what they missed from the stored events.
     */
    public static TopicUpdate resync(Topic topic, long seq) {
        return new TopicUpdate(topic, seq, null, null, null, true);
    }

    /** The time series event, or null. */
    public TimeSeriesEvent event() {
        return event;
    }

    public boolean isEvent() {
        return event != null;
    }

    public boolean isResync() {
        return resync;
    }

    public Topic topic() {
        return topic;
    }

    public long seq() {
        return seq;
    }

    public TopicValue value() {
        return value;
    }

    /** The value at {@code seq - 1}, or null when it is not known (a gap, a reload, an event). */
    public TopicValue previous() {
        return previous;
    }

    /**
     * The encoding in {@code slot} (0 to {@link #ENCODINGS} - 1, the encoder's numbering), made by
     * {@code make} the first time it is asked for; null when {@code make} gave null. {@code make}
     * takes the update rather than capturing it, so that no lambda is allocated per subscriber on
     * the fan-out path.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(int slot, Function<TopicUpdate, T> make) {
        Object made = encodings.get(slot);
        if (made == null) {
            synchronized (this) {
                made = encodings.get(slot);
                if (made == null) {
                    T fresh = make.apply(this);
                    made = fresh == null ? NONE : fresh;
                    encodings.set(slot, made);
                }
            }
        }
        return made == NONE ? null : (T) made;
    }
}
