package io.pushgate.bridge.passthrough;

/**
 * Close codes of the passthrough endpoint. As on the gateway, 4000-4099 mean "reconnect" (with
 * backoff) and 4100-4199 "do not reconnect without changing something".
 */
public final class CloseCodes {

    /** The client did not read fast enough: its send queue filled up ({@code slow-client=close}). Reconnect with backoff. */
    public static final int SLOW_CLIENT = 4001;

    /** A message could not be published because Redis is unavailable. Reconnect with backoff. */
    public static final int REDIS_UNAVAILABLE = 4011;

    /**
     * The token the client connected with expired, where reading needs a role ({@code read-roles}).
     * Reconnect only with a fresh token (as the gateway's 4100).
     */
    public static final int TOKEN_EXPIRED = 4100;

    /** The client sent a message on a pattern, or publishing is disabled. Do not send again. */
    public static final int PUBLISH_REFUSED = 4103;

    /** The channel name is not valid (normally refused with HTTP 400 before the upgrade). */
    public static final int INVALID_CHANNEL = 4104;

    private CloseCodes() {
    }
}
