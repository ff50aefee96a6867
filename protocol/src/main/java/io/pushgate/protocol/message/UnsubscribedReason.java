package io.pushgate.protocol.message;

/** The {@code reason} of an {@code unsubscribed} message (and {@code gap}'s). */
public final class UnsubscribedReason {

    public static final String REQUESTED = "REQUESTED";
    public static final String REMOVED = "REMOVED";
    public static final String PERMISSION_DENIED = "PERMISSION_DENIED";
    public static final String CONFLATED_AWAY = "CONFLATED_AWAY";
    /** {@code gap}'s reason: the events were no longer retained. */
    public static final String NOT_RETAINED = "NOT_RETAINED";

    private UnsubscribedReason() {
    }
}
