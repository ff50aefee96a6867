package io.pushgate.protocol;

/**
 * WebSocket close codes the gateway uses. Codes 4000-4099 mean "reconnect" (to this or another
 * replica, with backoff); codes 4100-4199 mean "do not reconnect without changing something"
 * (credentials, client behaviour). The standard codes keep their RFC 6455 meaning.
 */
public final class CloseCodes {

    /** The gateway is shutting down or draining: reconnect, to another replica if there is one. */
    public static final short SHUTDOWN = 4000;
    /** The connection fell too far behind (slow consumer) and was cut off: reconnect and resync. */
    public static final short SLOW_CONSUMER = 4001;
    /** No ping within the idle timeout: reconnect. */
    public static final short IDLE = 4002;

    /** The credentials expired or were refused: get a fresh token before reconnecting. */
    public static final short UNAUTHENTICATED = 4100;
    /**
     * A controller (a session or backend with MODIFY_SESSION) closed the session: do not reconnect
     * at once; a client reconnects only when its user or application decides to (after a pause, or
     * a moderator's decision changed).
     */
    public static final short CLOSED_BY_CONTROLLER = 4101;
    /**
     * The gateway could not confirm the session's token with its issuer (token introspection
     * unreachable) for longer than the grace time (RFC 6455 "try again later"): reconnect with
     * backoff; the token itself may still be good.
     */
    public static final short TRY_AGAIN_LATER = 1013;
    /** A frame larger than the configured limit (RFC 6455 "message too big"). */
    public static final short TOO_BIG = 1009;

    private CloseCodes() {
    }

    /** True when a client should reconnect after this close code. */
    public static boolean shouldReconnect(int code) {
        return code == 1001 || code == 1006 || code == 1011 || code == 1012 || code == 1013
                || (code >= 4000 && code < 4100);
    }
}
