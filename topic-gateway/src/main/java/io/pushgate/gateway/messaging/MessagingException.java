package io.pushgate.gateway.messaging;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;

/**
 * A request that got no response: an {@code error} of the contract's codes, with a {@code reason}
 * (an extension) that says which of the messaging failures it was.
 */
public final class MessagingException extends ProtocolException {

    /** Why a request got no response, each with the contract's code it is reported with. */
    public enum Reason {
        /** No session has a handler for the path (or an ancestor). */
        NO_HANDLER(ErrorCode.NOT_FOUND),
        /** The handler's session closed, or removed the handler, before it answered. */
        HANDLER_GONE(ErrorCode.UNAVAILABLE),
        /** No answer within the request's timeout. */
        TIMEOUT(ErrorCode.UNAVAILABLE),
        /** The handler answered with an error ({@code reject}); the message is the handler's. */
        REJECTED(ErrorCode.INVALID),
        /** The target session does not exist (any more). */
        NO_SESSION(ErrorCode.NOT_FOUND),
        /** The target session has no request stream for the path. */
        NO_REQUEST_STREAM(ErrorCode.NOT_FOUND),
        /** The target session closed before it answered. */
        SESSION_GONE(ErrorCode.UNAVAILABLE),
        /** The handler or target session holds as many unanswered requests as it may. */
        BUSY(ErrorCode.RATE_LIMITED);

        private final ErrorCode code;

        Reason(ErrorCode code) {
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    private final Reason reason;

    public MessagingException(Reason reason, String message) {
        super(reason.code(), message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
