package io.pushgate.gateway.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicPath;
import io.pushgate.protocol.TopicType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * The REST endpoints for topics. The same {@link TopicService} as the WebSocket, so the same
 * rules, limits and errors; errors become {@code {code, message}} in {@link ErrorMapper}.
 */
@Path("/v1/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicsResource {

    private final TopicService topics;
    private final GatewayConfig config;
    private final RequestAccess requestAccess;

    public TopicsResource(TopicService topics, GatewayConfig config, RequestAccess requestAccess) {
        this.topics = topics;
        this.config = config;
        this.requestAccess = requestAccess;
    }

    /** Fetch: every topic the selector matches (all topics without one). */
    @GET
    public ObjectNode fetch(@QueryParam("selector") String selector, @QueryParam("withValues") Boolean withValues) {
        TopicSelector parsed = TopicSelector.parse(selector == null || selector.isBlank() ? "*.*" : selector);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode results = body.putArray("results");
        for (TopicService.Fetched f : topics.fetch(access(), parsed, withValues == null || withValues)) {
            results.add(RequestDispatcher.fetchedJson(f));
        }
        return body;
    }

    @GET
    @Path("{path: .+}")
    public ObjectNode get(@PathParam("path") String path) {
        return RequestDispatcher.fetchedJson(topics.get(access(), path));
    }

    /**
     * Sets a value. The body is the value: JSON, or raw text for a STRING topic and raw bytes
     * for a BINARY topic when sent as {@code text/plain} / {@code application/octet-stream}.
     * {@code ?type=T} adds the topic first if needed (add-and-set); {@code ?ifSeq=N} sets only
     * if the topic is at seq N.
     */
    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> set(@PathParam("path") String path, @QueryParam("type") String type,
                                           @QueryParam("ifSeq") Long ifSeq, @QueryParam("add") boolean add,
                                           @HeaderParam("Content-Type") String contentType, byte[] body) {
        if (add) {
            // An extension: ?add=true adds the topic whose spec is the body, without a value
            // (a time series, or a topic to fill later): {topic, result: CREATED | EXISTS}.
            TopicSpec spec = TopicSpec.parse(Json.parse(body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8)));
            return topics.add(access(), path, spec).thenApply(created -> {
                ObjectNode reply = Json.MAPPER.createObjectNode();
                reply.put("topic", path);
                reply.put("result", created ? "CREATED" : "EXISTS");
                return reply;
            });
        }
        if (body == null || body.length == 0) {
            throw ProtocolException.invalid("the body is the value, and it is empty");
        }
        if (body.length > config.limits().maxFrameBytes()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "body larger than " + config.limits().maxFrameBytes() + " bytes");
        }
        TopicSpec addSpec = type == null || type.isBlank() ? null : TopicSpec.of(TopicType.parse(type));
        boolean isJson = contentType == null || contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
        return topics.setBody(access(), path, body, isJson, addSpec, ifSeq).thenApply(seq -> {
            ObjectNode reply = Json.MAPPER.createObjectNode();
            reply.put("topic", path);
            reply.put("seq", seq);
            return reply;
        });
    }

    /** Appends an event to a time series topic: the body is the event's value, as for PUT. */
    @POST
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> append(@PathParam("path") String path, @HeaderParam("Content-Type") String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            throw ProtocolException.invalid("the body is the event's value, and it is empty");
        }
        if (body.length > config.limits().maxFrameBytes()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "body larger than " + config.limits().maxFrameBytes() + " bytes");
        }
        boolean isJson = contentType == null || contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        Access a = access();
        // A raw text body is a STRING event; the topic's event type decides whether that fits.
        com.fasterxml.jackson.databind.JsonNode value = isJson ? Json.parse(text) : com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        return topics.append(a, a.principal(), path, value).thenApply(seq -> {
            ObjectNode reply = Json.MAPPER.createObjectNode();
            reply.put("topic", path);
            reply.put("seq", seq);
            return reply;
        });
    }

    /** Removes the topic, or with {@code ?descendants=true} the topic and its whole subtree. */
    @DELETE
    @Path("{path: .+}")
    public CompletionStage<ObjectNode> remove(@PathParam("path") String path, @QueryParam("descendants") boolean descendants) {
        TopicPath.validate(path);
        if (!access().canModify(path)) {
            // Checked before existence: a caller who may not remove topics here learns nothing.
            throw requestAccess.denied("remove topics at " + path);
        }
        TopicSelector selector = TopicSelector.parse(">" + path + (descendants ? "//" : ""));
        return topics.remove(access(), selector).thenApply(removed -> {
            if (removed == 0) {
                throw ProtocolException.notFound("no topic " + path);
            }
            ObjectNode reply = Json.MAPPER.createObjectNode();
            reply.put("removed", removed);
            return reply;
        });
    }

    private Access access() {
        return requestAccess.current();
    }
}
