package io.pushgate.client;

import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import java.util.function.Supplier;

/**
 * Where the client's token comes from, and what that means when the gateway closes a connection:
 * a supplier is asked again for every connection attempt, so a close with {@code 4100}
 * (credentials expired) reconnects with a fresh token; a fixed token would only be refused again.
 */
final class Credentials {

    private final Supplier<String> tokens;
    private final boolean renewable;

    /**
     * @param tokens null for none
     * @param renewable true for a supplier that can hand out a new token
     */
    Credentials(Supplier<String> tokens, boolean renewable) {
        this.tokens = tokens;
        this.renewable = renewable;
    }

    /**
     * The token for a new connection, null for none.
     *
     * @throws PushgateException {@code UNAUTHENTICATED} if the supplier fails
     */
    String token() {
        try {
            return tokens == null ? null : tokens.get();
        } catch (RuntimeException e) {
            throw new PushgateException(ErrorCode.UNAUTHENTICATED, "the token supplier failed: " + e, e);
        }
    }

    /** True if a connection the gateway closed with this code is worth opening again. */
    boolean reconnectsAfter(int closeCode) {
        return CloseCodes.shouldReconnect(closeCode) || (closeCode == CloseCodes.UNAUTHENTICATED && renewable);
    }
}
