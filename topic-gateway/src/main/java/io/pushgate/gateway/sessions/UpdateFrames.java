package io.pushgate.gateway.sessions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.MessageType;
import java.util.function.Function;

/**
 * Every frame one update can produce (the whole value, the value with its exact text, the JSON
 * Patch delta, the Fossil delta, the time series event), each made once per update and kept in
 * it ({@link TopicUpdate#encoded}) for all of its subscribers.
 */
final class UpdateFrames {

    // The update's encoding slots (TopicUpdate.ENCODINGS of them).
    private static final int EVENT = 0;
    private static final int VALUE = 1;
    private static final int TEXT_VALUE = 2;
    private static final int PATCH = 3;
    private static final int FOSSIL = 4;

    private static final Function<TopicUpdate, Frame> MAKE_EVENT = u -> Messages.event(u.topic(), u.event());

    private UpdateFrames() {
    }

    /** The {@code event} message of a time series event, encoded once for every subscriber. */
    static Frame eventFrame(TopicUpdate update) {
        return update.encoded(EVENT, MAKE_EVENT);
    }

    /**
     * The frame for a connection using {@code format}: a delta when the connection holds the
     * value at {@code seq - 1} and the delta is smaller than the whole value, else the value.
     */
    static Frame frameFor(TopicUpdate update, DeltaFormat format, boolean holdsPrevious) {
        if (holdsPrevious && update.previous() != null && update.topic().spec().allowsDeltas()) {
            Frame delta = switch (format) {
                case JSON_PATCH -> update.encoded(PATCH, UpdateFrames::makePatchFrame);
                case FOSSIL -> update.encoded(FOSSIL, UpdateFrames::makeFossilFrame);
                case NONE -> null;
            };
            if (delta != null) {
                return delta;
            }
        }
        return valueFrame(update, format);
    }

    /** The whole value as a connection using {@code format} receives it. */
    static Frame valueFrame(TopicUpdate update, DeltaFormat format) {
        return format == DeltaFormat.FOSSIL && update.value().isTextual()
                ? update.encoded(TEXT_VALUE, UpdateFrames::makeTextValueFrame)
                : update.encoded(VALUE, UpdateFrames::makeValueFrame);
    }

    /** Encodes the whole-value message of a topic state, for a new subscriber. */
    static Frame valueFrame(Topic topic, Topic.State state, DeltaFormat format) {
        return valueFrame(new TopicUpdate(topic, state.seq(), null, state.value()), format);
    }

    private static Frame makeValueFrame(TopicUpdate u) {
        // Written out rather than through a tree: the value's JSON text goes in as it is, so a
        // JSON value is never parsed for subscribers that take whole values.
        return new Frame(MessageType.VALUE, head(u, MessageType.VALUE).append(",\"" + Field.VALUE + "\":").append(u.value().jsonText()).append('}').toString(),
                Frame.Kind.VALUE);
    }

    private static Frame makeTextValueFrame(TopicUpdate u) {
        return new Frame(MessageType.VALUE, head(u, MessageType.VALUE).append(",\"" + Field.TEXT + "\":").append(Json.write(TextNode.valueOf(u.value().text()))).append('}').toString(),
                Frame.Kind.VALUE);
    }

    /** {@code {"type":"<type>","tid":<tid>,"seq":<seq>} without its closing brace, as {@link #header} writes it. */
    private static StringBuilder head(TopicUpdate u, String type) {
        return new StringBuilder(64 + u.value().text().length()).append("{\"" + Field.TYPE + "\":\"").append(type).append("\",\"" + Field.TID + "\":")
                .append(u.topic().tid()).append(",\"" + Field.SEQ + "\":").append(u.seq());
    }

    private static Frame makePatchFrame(TopicUpdate u) {
        if (u.value().type() != TopicType.JSON) {
            return null;
        }
        ObjectNode node = header(u, MessageType.DELTA);
        node.set(Field.PATCH, JsonPatchDelta.diff(u.previous().json(), u.value().json()));
        return smallerThanValue(u, new Frame(MessageType.DELTA, Json.write(node), Frame.Kind.DELTA), DeltaFormat.JSON_PATCH);
    }

    private static Frame makeFossilFrame(TopicUpdate u) {
        if (!u.value().isTextual()) {
            return null;
        }
        ObjectNode node = header(u, MessageType.DELTA);
        node.put(Field.DELTA, FossilDelta.createText(u.previous().text(), u.value().text()));
        return smallerThanValue(u, new Frame(MessageType.DELTA, Json.write(node), Frame.Kind.DELTA), DeltaFormat.FOSSIL);
    }

    private static Frame smallerThanValue(TopicUpdate u, Frame delta, DeltaFormat format) {
        return delta.utf8().length < valueFrame(u, format).utf8().length ? delta : null;
    }

    private static ObjectNode header(TopicUpdate u, String type) {
        ObjectNode node = Messages.message(type, null);
        node.put(Field.TID, u.topic().tid());
        node.put(Field.SEQ, u.seq());
        return node;
    }
}
