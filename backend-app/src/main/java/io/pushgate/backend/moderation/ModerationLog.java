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
 * {@code permissions}: what the author keeps in the room) or {@code revoke-failed} (with
 * {@code error}), {@code seq} is the chat event's seq and {@code time} when the moderator acted.
 */
public final class ModerationLog {

    private final Clock clock;

    public ModerationLog(Clock clock) {
        this.clock = clock;
    }

    public ObjectNode bleep(Verdict v) {
        return entry("bleep", v);
    }

    public ObjectNode strike(Verdict v) {
        ObjectNode e = entry("strike", v);
        e.put("strikes", v.strikes());
        return e;
    }

    public ObjectNode revoke(Verdict v, List<String> kept) {
        ObjectNode e = entry("revoke", v);
        ArrayNode list = e.putArray("permissions");
        kept.forEach(list::add);
        return e;
    }

    public ObjectNode revokeFailed(Verdict v, String error) {
        ObjectNode e = entry("revoke-failed", v);
        e.put("error", error);
        return e;
    }

    /** The spec of the log topic. */
    public static JsonNode spec(String retainedRange) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("type", "TIME_SERIES");
        spec.put("eventType", "JSON");
        spec.putObject("properties").put("TIME_SERIES_RETAINED_RANGE", retainedRange);
        return spec;
    }

    private ObjectNode entry(String action, Verdict v) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("action", action);
        e.put("room", v.event().room());
        e.put("principal", v.event().author());
        e.put("seq", v.event().seq());
        ArrayNode words = e.putArray("words");
        v.words().forEach(words::add);
        e.put("time", clock.instant().toString());
        return e;
    }
}
