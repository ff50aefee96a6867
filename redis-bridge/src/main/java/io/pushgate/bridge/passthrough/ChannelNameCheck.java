package io.pushgate.bridge.passthrough;

import io.pushgate.bridge.redis.ChannelName;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refuses the upgrade with HTTP 400 when the channel in {@code /v1/redis/{channel}} is not a valid name. */
@ApplicationScoped
public class ChannelNameCheck implements HttpUpgradeCheck {

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return ChannelName.isValid(context.pathParam(PassthroughEndpoint.CHANNEL_PARAM))
                ? CheckResult.permitUpgrade()
                : CheckResult.rejectUpgrade(400);
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return PassthroughEndpoint.ID.equals(endpointId);
    }
}
