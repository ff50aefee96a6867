package io.pushgate.web.rest;

import io.pushgate.web.config.ClientConfig;
import io.pushgate.web.config.WebConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /config.json}: where the pages find the other services, and the topics they use. */
@Startup
@Path("/config.json")
@ApplicationScoped
public class ConfigResource {

    private static final CacheControl NO_STORE;

    static {
        NO_STORE = new CacheControl();
        NO_STORE.setNoStore(true);
    }

    private final ClientConfig config;

    public ConfigResource(WebConfig config) {
        this.config = ClientConfig.from(config);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response config() {
        return Response.ok(config).cacheControl(NO_STORE).build();
    }
}
