package io.pushgate.backend.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * What the business logic asks of the gateway, in blocking calls (one writer thread makes them in
 * order). Every method throws {@link GatewayException}: the gateway's error code, or
 * {@code UNAVAILABLE} when it did not answer (then {@link GatewayException#inDoubt()} says whether
 * the request may have been applied anyway).
 *
 * <p>{@link Gateway} implements it with the Java client library and, where the library has no
 * operation for it, the gateway's REST API; tests implement it in memory.
 */
public interface GatewayPort {

    /** Adds a topic: true if created, false if it existed with this spec; {@code CONFLICT} if with another. */
    boolean add(String topic, JsonNode spec);

    /** Sets a value, adding the topic with {@code spec} first when it is missing ({@code spec} null: only set). */
    long set(String topic, JsonNode value, JsonNode spec);

    /** Appends an event to a time series; returns its seq. Not idempotent: a retry after an in-doubt failure may append twice. */
    long append(String topic, JsonNode value);

    /** Edits event {@code seq} of a time series (appends an edit event); returns the edit's seq. */
    long edit(String topic, long seq, JsonNode value);

    /**
     * The two views of a range query: {@link #VALUES} (the gateway's default: original events with
     * their latest edit applied, no {@code editOf}) and {@link #EDITS} (every event as stored,
     * originals and edits, in seq order; needs {@code QUERY_OBSOLETE_TIME_SERIES_EVENTS}).
     */
    enum View {
        VALUES, EDITS
    }

    /** The last {@code count} events of a time series, oldest first, with edits applied (the gateway's default view). */
    default List<GatewayEvent> lastEvents(String topic, int count) {
        return lastEvents(topic, count, View.VALUES);
    }

    /** The last {@code count} events of a time series in that view, oldest first. */
    List<GatewayEvent> lastEvents(String topic, int count, View view);

    /** The events from seq {@code from} on, oldest first, at most {@code limit}, with edits applied. */
    default List<GatewayEvent> eventsFrom(String topic, long from, int limit) {
        return eventsFrom(topic, from, limit, View.VALUES);
    }

    /** The events from seq {@code from} on in that view, oldest first, at most {@code limit}. */
    List<GatewayEvent> eventsFrom(String topic, long from, int limit, View view);

    /** The topic's current value; empty when there is no such topic or it has no value yet. */
    Optional<JsonNode> value(String topic);

    /** The topic's spec; empty when there is no such topic. */
    Optional<JsonNode> spec(String topic);

    /** A principal's path-permission overrides, {@code {"pathPermissions": {...}}}; an empty object when it has none. */
    JsonNode principalOverrides(String principal);

    /** Replaces a principal's path-permission overrides. */
    void putPrincipalOverrides(String principal, JsonNode overrides);

    /** Closes the sessions a session filter selects, on every replica, with close code 4101 and the reason; how many. */
    int closeSessions(String filter, String reason);

    /** Unsubscribes the sessions a session filter selects from a selector, on every replica; how many. */
    int unsubscribeSessions(String filter, String selector);
}
