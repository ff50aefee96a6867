package io.pushgate.bridge.passthrough;

import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.jwt.RequiredRoles;
import io.pushgate.jwt.TokenVerifier;
import io.pushgate.jwt.VerifiedToken;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who may read and who may publish on the passthrough: {@code bridge.passthrough.read-roles}
 * (default anyone) and {@code publish-roles} (default {@code TOPIC_CONTROL} or {@code ADMINISTRATOR}),
 * against the token the client presented at the upgrade. A token's rights end at its {@code exp}
 * (give or take the clock skew): a connection keeps what it had read, but publishes no more.
 */
@ApplicationScoped
public class PassthroughAccess {

    private final RequiredRoles read;
    private final RequiredRoles publish;
    private final Duration clockSkew;

    public PassthroughAccess(BridgeConfig config) {
        this.read = RequiredRoles.of(config.passthrough().readRoles());
        this.publish = RequiredRoles.of(config.passthrough().publishRoles());
        this.clockSkew = config.security().clockSkew();
    }

    /** Whether reading needs a token at all. */
    public boolean readIsOpen() {
        return read.isAnyone();
    }

    /** Why the caller may not connect to {@code channel} (its text as the client sent it), or empty if it may. */
    public Optional<ProtocolException> readRefusal(String channel, Optional<VerifiedToken> caller) {
        return read.refusal("reading " + TokenVerifier.printable(channel), caller);
    }

    /** Why the caller may not publish on {@code channel} now, or empty if it may. */
    public Optional<ProtocolException> publishRefusal(ChannelName channel, Optional<VerifiedToken> caller, Instant now) {
        if (publish.isAnyone()) {
            return Optional.empty();
        }
        String action = "publishing on " + channel.value();
        if (caller.isPresent() && now.isAfter(expiry(caller.get()))) {
            return Optional.of(new ProtocolException(ErrorCode.UNAUTHENTICATED, action + " needs a valid token; the token of '"
                    + TokenVerifier.printable(caller.get().principal()) + "' expired at " + caller.get().expiresAt()
                    + ": connect again with a fresh one"));
        }
        return publish.refusal(action, caller);
    }

    /** When the token's rights end: its {@code exp} plus the allowed clock skew. */
    public Instant expiry(VerifiedToken token) {
        return token.expiresAt().plus(clockSkew);
    }
}
