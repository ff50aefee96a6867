package io.pushgate.client;

/**
 * Where a {@link PushgateClient}'s connection stands. The client starts {@link #CONNECTED} (a
 * client that cannot connect is never returned), moves to {@link #RECONNECTING} when the connection
 * drops and back to {@link #CONNECTED} when a new one is open, and ends {@link #CLOSED}.
 */
public enum ConnectionState {
    /** A connection is open: requests are sent, subscriptions deliver values. */
    CONNECTED,
    /**
     * The connection dropped (or the gateway closed it with a code that means "reconnect") and the
     * client is trying again with backoff. Requests fail at once with {@code UNAVAILABLE};
     * subscriptions stay registered and are renewed on the next connection.
     */
    RECONNECTING,
    /**
     * For good: {@link PushgateClient#close()} was called, or the gateway closed the connection with
     * a code that means "do not reconnect" (see {@link io.pushgate.protocol.CloseCodes}), or
     * reconnection is disabled.
     */
    CLOSED
}
