package io.pushgate.protocol.message;

/**
 * The {@code op} of every client-to-gateway request: the contract's ({@code docs/protocol.md}) and
 * the extensions'. The one place these names are written; {@link ClientMessage} has a record for
 * each op of the contract.
 */
public final class Op {

    // The contract.
    public static final String AUTH = "auth";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";
    public static final String FETCH = "fetch";
    public static final String ADD = "add";
    public static final String SET = "set";
    public static final String APPEND = "append";
    public static final String EDIT = "edit";
    public static final String RANGE = "range";
    public static final String REMOVE = "remove";
    public static final String PING = "ping";

    // Session control (extension).
    public static final String LIST_SESSIONS = "listSessions";
    public static final String CLOSE_SESSIONS = "closeSessions";
    public static final String SET_SESSION_PROPERTIES = "setSessionProperties";
    public static final String SUBSCRIBE_SESSIONS = "subscribeSessions";
    public static final String UNSUBSCRIBE_SESSIONS = "unsubscribeSessions";

    // Request/response messaging (extension).
    public static final String ADD_REQUEST_HANDLER = "addRequestHandler";
    public static final String REMOVE_REQUEST_HANDLER = "removeRequestHandler";
    public static final String ADD_REQUEST_STREAM = "addRequestStream";
    public static final String REMOVE_REQUEST_STREAM = "removeRequestStream";
    public static final String SEND_REQUEST = "sendRequest";
    public static final String SEND_TO_SESSION = "sendToSession";
    public static final String SEND_TO_FILTER = "sendToFilter";
    public static final String RESPOND = "respond";
    public static final String REJECT = "reject";

    private Op() {
    }
}
