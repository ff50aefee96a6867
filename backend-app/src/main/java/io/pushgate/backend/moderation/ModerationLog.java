package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.time.Clock;
import java.util.List;

/**
 * The events of the moderation log ({@code moderation/log}, a time series of JSON): one per action,
 * {@code {action, room, principal, seq, words, time}} where {@code action} is {@code bleep},
 * {@code strike} (with {@code strikes}: the author's count in the window), {@code revoke} (with
 * {@code permissions}: what the author keeps in the room, and {@code id}: the revocation's id),
 * {@code revoke-failed} (with {@code error}), {@code restore} (with {@code by}: who asked, and the
 * {@code id} of the revocation it ends) or {@code restore-refused} (with {@code error}). {@code seq}
 * is the chat message's seq in the room (an original's, also when the version judged was an edit);
 * {@code edit} is the seq of the edit judged, when it was one; {@code inbox} the seq of the message
 * in a pre-moderated room's inbox; {@code time} is when the moderator acted.
 */
public final class ModerationLog {

    /**
     * Which message an entry is about.
     *
     * @param seq the message's seq in the room (the original's)
     * @param edit the seq of the edit that was judged, or null when the original was
     * @param inbox the seq of the message in the inbox of a pre-moderated room, or null
     */
    public record Subject(long seq, Long edit, Long inbox) {

        /** A message of a room: the event judged is the original or one of its edits. */
        public static Subject of(ChatEvent event) {
            return new Subject(event.messageSeq(), event.isEdit() ? event.seq() : null, null);
        }
    }

    private final Clock clock;

    public ModerationLog(Clock clock) {
        this.clock = clock;
    }

    public ObjectNode bleep(Verdict v) {
        return bleep(v, Subject.of(v.event()));
    }

    public ObjectNode bleep(Verdict v, Subject subject) {
        return entry("bleep", v, subject);
    }

    public ObjectNode strike(Verdict v) {
        return strike(v, Subject.of(v.event()));
    }

    public ObjectNode strike(Verdict v, Subject subject) {
        ObjectNode e = entry("strike", v, subject);
        e.put("strikes", v.strikes());
        return e;
    }

    public ObjectNode revoke(Verdict v, List<String> kept, String id) {
        ObjectNode e = entry("revoke", v, Subject.of(v.event()));
        ArrayNode list = e.putArray("permissions");
        kept.forEach(list::add);
        e.put("id", id);
        return e;
    }

    public ObjectNode revokeFailed(Verdict v, String error) {
        ObjectNode e = entry("revoke-failed", v, Subject.of(v.event()));
        e.put("error", error);
        return e;
    }

    /** A revocation ended at someone's request. */
    public ObjectNode restore(RestoreRequest request) {
        ObjectNode e = base("restore", request.room(), request.principal());
        e.put("by", request.by());
        e.put("id", request.id());
        e.put("time", clock.instant().toString());
        return e;
    }

    /** A request to end a revocation that was not carried out, and why. */
    public ObjectNode restoreRefused(RestoreRequest request, String error) {
        ObjectNode e = restore(request);
        e.put("action", "restore-refused");
        e.put("error", error);
        return e;
    }

    /** The spec of the log topic (and of the requests topic). */
    public static JsonNode spec(String retainedRange) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("type", "TIME_SERIES");
        spec.put("eventType", "JSON");
        spec.putObject("properties").put("TIME_SERIES_RETAINED_RANGE", retainedRange);
        return spec;
    }

    private ObjectNode entry(String action, Verdict v, Subject subject) {
        ObjectNode e = base(action, v.event().room(), v.event().author());
        e.put("seq", subject.seq());
        if (subject.edit() != null) {
            e.put("edit", subject.edit());
        }
        if (subject.inbox() != null) {
            e.put("inbox", subject.inbox());
        }
        ArrayNode words = e.putArray("words");
        v.words().forEach(words::add);
        e.put("time", clock.instant().toString());
        return e;
    }

    private ObjectNode base(String action, String room, String principal) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("action", action);
        e.put("room", room);
        e.put("principal", principal);
        return e;
    }
}
