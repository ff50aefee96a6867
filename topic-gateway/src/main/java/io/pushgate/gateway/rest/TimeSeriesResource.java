package io.pushgate.gateway.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.timeseries.RangeQuery;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Range queries over time series ({@code GET /v1/timeseries/{path}?fromLast=N}) and, as an
 * extension, edits of an event ({@code PUT /v1/timeseries/{path}/{seq}} with the new value).
 * Appending is {@code POST /v1/topics/{path}} (see {@link TopicsResource}).
 */
@Path("/v1/timeseries")
@Produces(MediaType.APPLICATION_JSON)
public class TimeSeriesResource {

    private final TopicService topics;
    private final RequestAccess access;

    public TimeSeriesResource(TopicService topics, RequestAccess access) {
        this.topics = topics;
        this.access = access;
    }

    @GET
    @Path("{path: .+}")
    public CompletionStage<ObjectNode> range(@PathParam("path") String path, @QueryParam("fromLast") Long fromLast,
                                             @QueryParam("from") Long from, @QueryParam("fromTime") String fromTime,
                                             @QueryParam("to") Long to, @QueryParam("limit") Integer limit,
                                             @QueryParam("view") String view) {
        RangeQuery query = RangeQuery.of(fromLast, from, fromTime, to, limit, view);
        Access a = access.current();
        return topics.range(a, path, query).thenApply(events -> {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("topic", path);
            ArrayNode list = body.putArray("events");
            events.forEach(e -> list.add(e.toJson()));
            return body;
        });
    }

    /** Edits event {@code seq}: the body is the new value, as JSON. */
    @PUT
    @Path("{path: .+}/{seq: [0-9]+}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> edit(@PathParam("path") String path, @PathParam("seq") long seq, byte[] body) {
        if (body == null || body.length == 0) {
            throw ProtocolException.invalid("the body is the new value, and it is empty");
        }
        Access a = access.current();
        return topics.edit(a, a.principal(), path, seq, Json.parse(new String(body, StandardCharsets.UTF_8)))
                .thenApply(newSeq -> {
                    ObjectNode reply = Json.MAPPER.createObjectNode();
                    reply.put("topic", path);
                    reply.put("seq", newSeq);
                    reply.put("editOf", seq);
                    return reply;
                });
    }
}
