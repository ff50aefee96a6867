package io.pushgate.feeder.control;

import io.pushgate.feeder.feed.Feed;
import io.pushgate.feeder.feed.FeedStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Starts, stops and shows the feed; the web dashboard drives it. Start and stop are idempotent. */
@Path("/v1/feed")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    private final Feed feed;

    public FeedResource(Feed feed) {
        this.feed = feed;
    }

    @GET
    public FeedStatus status() {
        return feed.status();
    }

    @POST
    @Path("/start")
    public FeedStatus start() {
        return feed.start();
    }

    @POST
    @Path("/stop")
    public FeedStatus stop() {
        return feed.stop();
    }
}
