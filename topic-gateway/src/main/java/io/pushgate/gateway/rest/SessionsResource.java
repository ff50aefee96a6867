package io.pushgate.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.control.SessionOps;
import io.pushgate.gateway.control.SessionControl;
import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.protocol.GlobalPermission;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * Session control for backends, the same operations and permission checks as the WebSocket ops
 * ({@link SessionOps}): {@code GET /v1/sessions?filter=F} lists (VIEW_SESSION); {@code POST
 * /v1/sessions/close}, {@code /properties}, {@code /subscribe}, {@code /unsubscribe} with a JSON
 * body {@code {sessionId | filter, ...}} act (MODIFY_SESSION). A caller without credentials and
 * without the permission gets 401, one with credentials 403.
 */
@Path("/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    private final SessionControl sessionControl;
    private final GatewayConfig config;
    private final RequestAccess requestAccess;

    public SessionsResource(SessionControl sessionControl, GatewayConfig config, RequestAccess requestAccess) {
        this.sessionControl = sessionControl;
        this.config = config;
        this.requestAccess = requestAccess;
    }

    @GET
    public CompletionStage<ObjectNode> list(@QueryParam("filter") String filter) {
        requestAccess.require(GlobalPermission.VIEW_SESSION);
        ObjectNode request = Json.MAPPER.createObjectNode();
        if (filter != null && !filter.isBlank()) {
            request.put("filter", filter);
        }
        return ops().run("listSessions", requestAccess.current(), request);
    }

    /** One session, or 404. */
    @GET
    @Path("{sessionId}")
    public CompletionStage<JsonNode> get(@PathParam("sessionId") String sessionId) {
        requestAccess.require(GlobalPermission.VIEW_SESSION);
        return sessionControl.list(requestAccess.current(), null).thenApply(all -> all.stream()
                .filter(e -> e.sessionId().equals(sessionId)).findFirst()
                .map(e -> (JsonNode) e.toJson())
                .orElseThrow(() -> ProtocolException.notFound("no session " + sessionId)));
    }

    @POST
    @Path("close")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> close(String body) {
        return modify("closeSessions", body);
    }

    @POST
    @Path("properties")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> properties(String body) {
        return modify("setSessionProperties", body);
    }

    @POST
    @Path("subscribe")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> subscribe(String body) {
        return modify("subscribeSessions", body);
    }

    @POST
    @Path("unsubscribe")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> unsubscribe(String body) {
        return modify("unsubscribeSessions", body);
    }

    private CompletionStage<ObjectNode> modify(String op, String body) {
        requestAccess.require(GlobalPermission.MODIFY_SESSION);
        if (body == null || body.length() > config.limits().maxFrameBytes()) {
            throw body == null ? ProtocolException.invalid("the body is a JSON object: {sessionId | filter, ...}")
                    : new ProtocolException(io.pushgate.protocol.ErrorCode.TOO_LARGE, "body larger than " + config.limits().maxFrameBytes() + " bytes");
        }
        JsonNode request = Json.parse(body, 16);
        if (!request.isObject()) {
            throw ProtocolException.invalid("the body is a JSON object: {sessionId | filter, ...}");
        }
        return ops().run(op, requestAccess.current(), request);
    }

    private SessionOps ops() {
        return new SessionOps(sessionControl);
    }
}
