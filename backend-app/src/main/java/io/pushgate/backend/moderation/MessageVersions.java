package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the moderator remembers of the messages it saw lately, per room and message seq: the
 * author's latest version (seq and value) and the value the moderator itself last asked the
 * message to have. With both it sees when its own bleep of an older version landed after the
 * author's newer edit (the gateway keeps the latest edit, so the bleep would hide the author's
 * correction) and puts the author's version back.
 *
 * <p>Bounded: the least recently used messages are forgotten past {@code limit}
 * ({@code backend.moderation.tracked-messages}); a forgotten message is still judged, only that
 * check is skipped for it. Not thread-safe (the moderator's one thread).
 */
public final class MessageVersions {

    /** The author's latest version of a message. */
    public record Version(long seq, JsonNode value) {
    }

    private static final class Entry {
        Version latest;
        JsonNode asked;
    }

    private final Map<String, Entry> entries;

    public MessageVersions(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the number of tracked messages must be 1 or more");
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > limit;
            }
        };
    }

    /** An author's version (original or edit) of message {@code message} in {@code room}. */
    public void authored(String room, long message, long seq, JsonNode value) {
        Entry e = entries.computeIfAbsent(key(room, message), k -> new Entry());
        if (e.latest == null || e.latest.seq() < seq) {
            e.latest = new Version(seq, value);
        }
    }

    /** The value the moderator asked for (an edit it submitted). */
    public void asked(String room, long message, JsonNode value) {
        entries.computeIfAbsent(key(room, message), k -> new Entry()).asked = value;
    }

    /** The author's latest version, or null when the message is not (or no longer) remembered. */
    public Version latest(String room, long message) {
        Entry e = entries.get(key(room, message));
        return e == null ? null : e.latest;
    }

    /** The value the moderator last asked for, or null. */
    public JsonNode asked(String room, long message) {
        Entry e = entries.get(key(room, message));
        return e == null ? null : e.asked;
    }

    public int size() {
        return entries.size();
    }

    private static String key(String room, long message) {
        return room + '#' + message;
    }
}
