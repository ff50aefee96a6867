package io.pushgate.gateway.sessions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.MessageType;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;


/**
 * One update of one topic and every frame it can produce. Each frame (the whole value, the
 * value with its exact text, the JSON Patch delta, the Fossil delta) is computed at most once,
 * on the first connection that needs it, and shared by all the others: the cost of an update
 * does not grow with the number of subscribers, only the writes do.
 */
public final class TopicUpdate {

    private final Topic topic;
    private final long seq;
    private final TopicValue previous;
    private final TopicValue value;
    private final TimeSeriesEvent event;
    private final boolean resync;
    // Each frame is made once, by the first loop that needs it (once()); volatile reads let the
    // others (every subscriber of every loop) skip the lock once it is made.
    private static final int EVENT = 0;
    private static final int VALUE = 1;
    private static final int TEXT_VALUE = 2;
    private static final int PATCH = 3;
    private static final int FOSSIL = 4;
    private final AtomicReferenceArray<Frame> frames = new AtomicReferenceArray<>(5);

    /** Stored for a delta that was made and found not worth sending. */
    private static final Frame NO_DELTA = new Frame(MessageType.DELTA, "", Frame.Kind.DELTA);

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

    /** The {@code event} message of a time series event, encoded once for every subscriber. */
    public Frame eventFrame() {
        return once(EVENT, u -> Messages.event(u.topic, u.event));
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

    /**
     * The frame for a connection using {@code format}: a delta when the connection holds the
     * value at {@code seq - 1} and the delta is smaller than the whole value, else the value.
     */
    public Frame frameFor(DeltaFormat format, boolean holdsPrevious) {
        if (holdsPrevious && previous != null && topic.spec().allowsDeltas()) {
            Frame delta = switch (format) {
                case JSON_PATCH -> patchFrame();
                case FOSSIL -> fossilFrame();
                case NONE -> null;
            };
            if (delta != null) {
                return delta;
            }
        }
        return valueFrame(format);
    }

    /** The whole value as a connection using {@code format} receives it. */
    public Frame valueFrame(DeltaFormat format) {
        return format == DeltaFormat.FOSSIL && value.isTextual() ? textValueFrame() : plainValueFrame();
    }

    /** Encodes the whole-value message of a topic state, for a new subscriber. */
    public static Frame valueFrame(Topic topic, Topic.State state, DeltaFormat format) {
        return new TopicUpdate(topic, state.seq(), null, state.value()).valueFrame(format);
    }

    private Frame plainValueFrame() {
        return once(VALUE, TopicUpdate::makeValueFrame);
    }

    private Frame textValueFrame() {
        return once(TEXT_VALUE, TopicUpdate::makeTextValueFrame);
    }

    private Frame patchFrame() {
        return once(PATCH, TopicUpdate::makePatchFrame);
    }

    private Frame fossilFrame() {
        return once(FOSSIL, TopicUpdate::makeFossilFrame);
    }

    private Frame makeValueFrame() {
        // Written out rather than through a tree: the value's JSON text goes in as it is, so a
        // JSON value is never parsed for subscribers that take whole values.
        return new Frame(MessageType.VALUE, head(MessageType.VALUE).append(",\"" + Field.VALUE + "\":").append(value.jsonText()).append('}').toString(),
                Frame.Kind.VALUE);
    }

    private Frame makeTextValueFrame() {
        return new Frame(MessageType.VALUE, head(MessageType.VALUE).append(",\"" + Field.TEXT + "\":").append(Json.write(TextNode.valueOf(value.text()))).append('}').toString(),
                Frame.Kind.VALUE);
    }

    /** {@code {"type":"<type>","tid":<tid>,"seq":<seq>} without its closing brace, as {@link #header} writes it. */
    private StringBuilder head(String type) {
        return new StringBuilder(64 + value.text().length()).append("{\"" + Field.TYPE + "\":\"").append(type).append("\",\"" + Field.TID + "\":")
                .append(topic.tid()).append(",\"" + Field.SEQ + "\":").append(seq);
    }

    private Frame makePatchFrame() {
        if (value.type() != TopicType.JSON) {
            return null;
        }
        ObjectNode node = header(MessageType.DELTA);
        node.set(Field.PATCH, JsonPatchDelta.diff(previous.json(), value.json()));
        return smallerThanValue(new Frame(MessageType.DELTA, Json.write(node), Frame.Kind.DELTA), DeltaFormat.JSON_PATCH);
    }

    private Frame makeFossilFrame() {
        if (!value.isTextual()) {
            return null;
        }
        ObjectNode node = header(MessageType.DELTA);
        node.put(Field.DELTA, FossilDelta.createText(previous.text(), value.text()));
        return smallerThanValue(new Frame(MessageType.DELTA, Json.write(node), Frame.Kind.DELTA), DeltaFormat.FOSSIL);
    }

    /**
     * The frame in {@code slot}, made by {@code make} (null: none) the first time it is asked for.
     * {@code make} takes the update rather than capturing it, so that no lambda is allocated per
     * subscriber on the fan-out path.
     */
    private Frame once(int slot, Function<TopicUpdate, Frame> make) {
        Frame frame = frames.get(slot);
        if (frame == null) {
            synchronized (this) {
                frame = frames.get(slot);
                if (frame == null) {
                    frame = make.apply(this);
                    if (frame == null) {
                        frame = NO_DELTA;
                    }
                    frames.set(slot, frame);
                }
            }
        }
        return frame == NO_DELTA ? null : frame;
    }

    private Frame smallerThanValue(Frame delta, DeltaFormat format) {
        return delta.utf8().length < valueFrame(format).utf8().length ? delta : null;
    }

    private ObjectNode header(String type) {
        ObjectNode node = Messages.message(type, null);
        node.put(Field.TID, topic.tid());
        node.put(Field.SEQ, seq);
        return node;
    }
}
