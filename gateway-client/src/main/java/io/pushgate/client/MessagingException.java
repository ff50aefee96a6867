package io.pushgate.client;

import io.pushgate.protocol.ErrorCode;

/**
 * A request that got no response, with the gateway's {@code reason}: {@code NO_HANDLER},
 * {@code HANDLER_GONE}, {@code TIMEOUT}, {@code REJECTED} (the message is the handler's),
 * {@code NO_SESSION}, {@code NO_REQUEST_STREAM}, {@code SESSION_GONE} or {@code BUSY}.
 */
public final class MessagingException extends PushgateException {

    private final String reason;

    public MessagingException(ErrorCode code, String reason, String message) {
        super(code, message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "MessagingException[" + code() + " " + reason + "]: " + getMessage();
    }
}
