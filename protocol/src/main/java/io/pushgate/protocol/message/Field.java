package io.pushgate.protocol.message;

/** The field names of the requests and messages of the contract and its extensions: the one place they are written. */
public final class Field {

    // Every message.
    public static final String TYPE = "type";
    public static final String OP = "op";
    public static final String ID = "id";

    // Topics and subscriptions.
    public static final String SELECTOR = "selector";
    public static final String SINCE = "since";
    public static final String WITH_VALUES = "withValues";
    public static final String TOPIC = "topic";
    public static final String SPEC = "spec";
    public static final String TID = "tid";
    public static final String SEQ = "seq";
    public static final String VALUE = "value";
    /** A whole value as its exact text (fossil mode). */
    public static final String TEXT = "text";
    public static final String PATCH = "patch";
    public static final String DELTA = "delta";
    public static final String IF_SEQ = "ifSeq";
    /** Extension: in {@code subscription}, the connection's selectors that match the topic. */
    public static final String SELECTORS = "selectors";
    /** Extension: in {@code subscribe}'s {@code ok}, the already subscribed topics the selector matches. */
    public static final String TIDS = "tids";

    // Replies.
    public static final String RESULT = "result";
    public static final String REMOVED = "removed";
    public static final String RESULTS = "results";
    public static final String EVENTS = "events";
    public static final String CODE = "code";
    public static final String MESSAGE = "message";
    public static final String REASON = "reason";

    // Time series.
    public static final String EVENT = "event";
    public static final String FROM_LAST = "fromLast";
    public static final String FROM = "from";
    public static final String FROM_TIME = "fromTime";
    public static final String TO = "to";
    public static final String LIMIT = "limit";
    public static final String VIEW = "view";
    public static final String TIME = "time";
    public static final String AUTHOR = "author";
    public static final String EDIT_OF = "editOf";

    // Credentials.
    public static final String TOKEN = "token";
    public static final String PRINCIPAL = "principal";
    public static final String ROLES = "roles";
    public static final String EXPIRES_AT = "expiresAt";

    private Field() {
    }
}
