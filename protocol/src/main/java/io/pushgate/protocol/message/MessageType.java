package io.pushgate.protocol.message;

/**
 * The {@code type} of every gateway-to-client message: the contract's and the extensions'. The one
 * place these names are written; {@link ServerMessage} has a record for each.
 */
public final class MessageType {

    // The contract.
    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String SUBSCRIPTION = "subscription";
    public static final String VALUE = "value";
    public static final String DELTA = "delta";
    public static final String EVENT = "event";
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String PONG = "pong";
    public static final String FETCH = "fetch";
    public static final String RANGE = "range";

    // Extensions.
    /** Time series events asked for were no longer retained. */
    public static final String GAP = "gap";
    /** The reply to {@code listSessions}. */
    public static final String SESSIONS = "sessions";
    /** A request for one of the session's handlers or streams (messaging). */
    public static final String REQUEST = "request";
    /** The answer to {@code sendRequest} / {@code sendToSession} (messaging). */
    public static final String RESPONSE = "response";
    /** One session's answer to {@code sendToFilter} (messaging). */
    public static final String FILTER_RESPONSE = "filterResponse";
    /** SSE only: the connection is being closed, with its close code. */
    public static final String CLOSE = "close";

    private MessageType() {
    }
}
