package io.pushgate.feeder.control;

import io.pushgate.feeder.config.FeederConfig;
import io.pushgate.feeder.feed.Feed;
import io.pushgate.feeder.feed.FeedStatus;
import io.pushgate.feeder.security.Callers;
import io.pushgate.jwt.RequiredRoles;
import io.pushgate.jwt.VerifiedToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts, stops and shows the feed; the web dashboard drives it. Start and stop are idempotent and
 * need a token with one of {@code feeder.control.roles} (they stop the prices for everyone); the
 * state is open to anyone. Refusals are 401 (no token, or one that is not valid) and 403 (a valid
 * token without the role), as JSON {@code {code, message}}.
 */
@Path("/v1/feed")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    private static final Logger LOG = Logger.getLogger(FeedResource.class);

    private final Feed feed;
    private final Callers callers;
    private final RequiredRoles controlRoles;

    public FeedResource(Feed feed, Callers callers, FeederConfig config) {
        this.feed = feed;
        this.callers = callers;
        this.controlRoles = RequiredRoles.of(config.control().roles());
    }

    @GET
    public FeedStatus status() {
        return feed.status();
    }

    @POST
    @Path("/start")
    public FeedStatus start(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("access_token") String accessToken) {
        String by = authorize("starting the feed", authorization, accessToken);
        LOG.infof("start requested by %s", by);
        return feed.start();
    }

    @POST
    @Path("/stop")
    public FeedStatus stop(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("access_token") String accessToken) {
        String by = authorize("stopping the feed", authorization, accessToken);
        LOG.infof("stop requested by %s", by);
        return feed.stop();
    }

    /** Refuses a caller without one of the control roles; answers who the caller is, for the log. */
    private String authorize(String action, String authorization, String accessToken) {
        Optional<VerifiedToken> caller = callers.of(authorization, accessToken);
        controlRoles.refusal(action, caller).ifPresent(refusal -> {
            LOG.debugf("refused %s: %s", action, refusal.getMessage());
            throw refusal;
        });
        return caller.map(t -> "'" + t.principal() + "' (" + t.issuer() + ")").orElse("anyone (feeder.control.roles=*)");
    }
}
