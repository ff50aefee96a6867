package io.pushgate.gateway.rest;

import io.pushgate.protocol.Causes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every error of the REST endpoints into the contract's {@code {code, message}} body. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response protocol(ProtocolException e) {
        return body(e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 413 -> ErrorCode.TOO_LARGE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INVALID;
        };
        String message = e instanceof NotFoundException ? "no such resource" : e.getMessage();
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(json(code, message)).build();
    }

    @ServerExceptionMapper
    public Response other(Exception e) {
        Throwable cause = Causes.unwrap(e);
        if (cause instanceof ProtocolException pe) {
            return protocol(pe);
        }
        if (cause instanceof IllegalArgumentException) {
            // Malformed request parts the framework rejects (a bad media type, a bad parameter).
            return body(ErrorCode.INVALID, "bad request: " + cause.getMessage());
        }
        if (cause instanceof WebApplicationException wae) {
            return web(wae);
        }
        LOG.warn("unexpected error in a REST request", e);
        return body(ErrorCode.UNAVAILABLE, "internal error: " + cause.getClass().getSimpleName());
    }

    private static Response body(ErrorCode code, String message) {
        return Response.status(code.httpStatus()).type(MediaType.APPLICATION_JSON).entity(json(code, message)).build();
    }

    private static String json(ErrorCode code, String message) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("code", code.name());
        node.put("message", message);
        return Json.write(node);
    }
}
