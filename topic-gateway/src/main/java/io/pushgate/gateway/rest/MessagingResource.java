package io.pushgate.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.messaging.MessagingException;
import io.pushgate.gateway.security.Access;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Request/response messaging for backends *(extension)*: a request to the handler of a message
 * path, or to one session by its id; the answer is the response, or the error with its reason.
 * The same permissions as on the WebSocket: SEND_TO_MESSAGE_HANDLER and SEND_TO_SESSION on the path.
 */
@Path("/v1/messaging")
@Produces(MediaType.APPLICATION_JSON)
public class MessagingResource {

    private final Messaging messaging;
    private final RequestAccess access;

    public MessagingResource(Messaging messaging, RequestAccess access) {
        this.messaging = messaging;
        this.access = access;
    }

    /** {@code POST /v1/messaging/requests/{path}?timeout=ms}: the body (JSON) to the path's handler; {@code {path, response}}. */
    @POST
    @Path("requests/{path: .+}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> toHandler(@PathParam("path") String path, @QueryParam("timeout") Long timeout, byte[] body) {
        Access a = access.current();
        if (!a.canSendToHandler(path)) {
            throw access.denied("send requests to the handlers of " + path);
        }
        return answer(messaging.sendToHandler(a, caller(a), path, request(body), timeout), path);
    }

    /** {@code POST /v1/messaging/sessions/{sessionId}/{path}?timeout=ms}: the body to the session; {@code {sessionId, path, response}}. */
    @POST
    @Path("sessions/{sessionId}/{path: .+}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> toSession(@PathParam("sessionId") String sessionId, @PathParam("path") String path,
                                               @QueryParam("timeout") Long timeout, byte[] body) {
        Access a = access.current();
        if (!a.canSendToSession(path)) {
            throw access.denied("send requests to sessions on " + path);
        }
        return answer(messaging.sendToSession(a, caller(a), sessionId, path, request(body), timeout), path);
    }

    /**
     * {@code POST /v1/messaging/filter/{path}?filter=F&timeout=ms}: the body to every session the
     * filter selects (SEND_TO_SESSION on the path, VIEW_SESSION); once all have answered or failed:
     * {@code {path, count, responses: [{sessionId, response} | {sessionId, error: {code, reason, message}}]}}.
     */
    @POST
    @Path("filter/{path: .+}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> toFilter(@PathParam("path") String path, @QueryParam("filter") String filter,
                                              @QueryParam("timeout") Long timeout, byte[] body) {
        Access a = access.current();
        if (!a.canSendToSession(path)) {
            throw access.denied("send requests to sessions on " + path);
        }
        if (!a.hasGlobal(io.pushgate.protocol.GlobalPermission.VIEW_SESSION)) {
            throw access.denied("send requests to a session filter (needs VIEW_SESSION)");
        }
        if (filter == null || filter.isBlank()) {
            throw ProtocolException.invalid("missing query parameter 'filter'");
        }
        com.fasterxml.jackson.databind.node.ArrayNode answers = Json.MAPPER.createArrayNode();
        return messaging.sendToFilter(a, caller(a), filter, path, request(body), timeout, answer -> {
            ObjectNode one = Json.MAPPER.createObjectNode();
            one.put("sessionId", answer.sessionId());
            if (answer.error() == null) {
                one.set("response", answer.response());
            } else {
                one.set("error", io.pushgate.gateway.messaging.MessagingRequests.errorJson(answer.error()));
            }
            synchronized (answers) {
                answers.add(one);
            }
        }).handle((outcome, error) -> {
            if (error != null) {
                return failure(error);
            }
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.put("path", path);
            result.put("count", outcome.count());
            synchronized (answers) {
                result.set("responses", answers);
            }
            return Response.ok(Json.write(result), MediaType.APPLICATION_JSON).build();
        });
    }

    /** A REST caller's requests are counted under its principal, as a session's under the session. */
    private static Messaging.Caller caller(Access a) {
        return new Messaging.Caller("rest-" + a.principal(), null, a.principal());
    }

    /** {@code {code, message, reason?}} with the code's status. */
    private static Response failure(Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof ProtocolException pe) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("code", pe.code().name());
            body.put("message", pe.getMessage());
            if (pe instanceof MessagingException me) {
                body.put("reason", me.reason().name());
            }
            return Response.status(pe.code().httpStatus()).type(MediaType.APPLICATION_JSON).entity(Json.write(body)).build();
        }
        throw new IllegalStateException(cause);
    }

    private static JsonNode request(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProtocolException.invalid("the body is the request, as JSON, and it is empty");
        }
        return Json.parse(new String(body, StandardCharsets.UTF_8));
    }

    private static CompletionStage<Response> answer(CompletionStage<Messaging.Response> sent, String path) {
        return sent.handle((response, error) -> {
            if (error != null) {
                return failure(error);
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            if (response.sessionId() != null) {
                body.put("sessionId", response.sessionId());
            }
            body.put("path", path);
            body.set("response", response.value());
            return Response.ok(Json.write(body), MediaType.APPLICATION_JSON).build();
        });
    }
}
