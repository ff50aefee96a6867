package io.pushgate.bridge.passthrough;

import io.pushgate.bridge.redis.ChannelName;
import java.util.Optional;

/** Whether a client's message on a channel may be PUBLISHed. */
public final class PublishPolicy {

    private final boolean allowPublish;

    public PublishPolicy(boolean allowPublish) {
        this.allowPublish = allowPublish;
    }

    /** Why a client on {@code channel} may not publish, or empty if it may. */
    public Optional<String> refusal(ChannelName channel) {
        if (channel.isPattern()) {
            return Optional.of("a pattern is read-only");
        }
        if (!allowPublish) {
            return Optional.of("publishing is disabled");
        }
        return Optional.empty();
    }
}
