package io.pushgate.gateway.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;

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
    private Frame eventFrame;

    private Frame valueFrame;
    private Frame textValueFrame;
    private Frame patchFrame;
    private Frame fossilFrame;
    private boolean patchDone;
    private boolean fossilDone;

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
    public synchronized Frame eventFrame() {
        if (eventFrame == null) {
            eventFrame = Messages.event(topic, event);
        }
        return eventFrame;
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

    private synchronized Frame plainValueFrame() {
        if (valueFrame == null) {
            ObjectNode node = header("value");
            node.set("value", value.json());
            valueFrame = new Frame("value", Json.write(node), Frame.Kind.VALUE);
        }
        return valueFrame;
    }

    private synchronized Frame textValueFrame() {
        if (textValueFrame == null) {
            ObjectNode node = header("value");
            node.put("text", value.text());
            textValueFrame = new Frame("value", Json.write(node), Frame.Kind.VALUE);
        }
        return textValueFrame;
    }

    private synchronized Frame patchFrame() {
        if (!patchDone) {
            patchDone = true;
            if (value.type() == TopicType.JSON) {
                JsonNode patch = JsonPatchDelta.diff(previous.json(), value.json());
                ObjectNode node = header("delta");
                node.set("patch", patch);
                patchFrame = smallerThanValue(new Frame("delta", Json.write(node), Frame.Kind.DELTA), DeltaFormat.JSON_PATCH);
            }
        }
        return patchFrame;
    }

    private synchronized Frame fossilFrame() {
        if (!fossilDone) {
            fossilDone = true;
            if (value.isTextual()) {
                ObjectNode node = header("delta");
                node.put("delta", FossilDelta.createText(previous.text(), value.text()));
                fossilFrame = smallerThanValue(new Frame("delta", Json.write(node), Frame.Kind.DELTA), DeltaFormat.FOSSIL);
            }
        }
        return fossilFrame;
    }

    private Frame smallerThanValue(Frame delta, DeltaFormat format) {
        return delta.utf8().length < valueFrame(format).utf8().length ? delta : null;
    }

    private ObjectNode header(String type) {
        ObjectNode node = Messages.message(type, null);
        node.put("tid", topic.tid());
        node.put("seq", seq);
        return node;
    }
}
