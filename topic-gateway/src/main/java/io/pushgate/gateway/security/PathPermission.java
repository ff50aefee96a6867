package io.pushgate.gateway.security;

/**
 * Permissions a role grants on topic paths, by path prefix (Diffusion's path-scoped permissions).
 * Each is independent of the others: none implies another.
 */
public enum PathPermission {
    /** Use a selector that selects the path; learn that the topic exists. */
    SELECT_TOPIC,
    /** Receive the topic's values (subscribe, fetch, range queries). */
    READ_TOPIC,
    /** Set the value of, or append to, the topic. */
    UPDATE_TOPIC,
    /** Add and remove topics. */
    MODIFY_TOPIC,
    /** Query a time series for events that edits have replaced (also needs {@code READ_TOPIC}). */
    QUERY_OBSOLETE_TIME_SERIES_EVENTS,
    /** Edit any event of a time series (also needs {@code UPDATE_TOPIC}). */
    EDIT_TIME_SERIES_EVENTS,
    /** Edit the events of a time series whose author is the session's principal (also needs {@code UPDATE_TOPIC}). */
    EDIT_OWN_TIME_SERIES_EVENTS,
    /** Send a request to the handler of a message path (messaging; message paths are not topics, the prefixes are shared). */
    SEND_TO_MESSAGE_HANDLER,
    /** Send a request on a message path to another session, by its id or by a session filter. */
    SEND_TO_SESSION
}
