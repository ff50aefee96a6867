package io.pushgate.auth.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pushgate.protocol.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP answers: always JSON {@code {code, message}} with
 * the status of the code, so that clients never have to parse an HTML error page.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response authException(AuthException e) {
        ErrorBody body = new ErrorBody(e.code().name(), e.getMessage(), e.oauthError(),
                e.oauthError() == null ? null : e.getMessage());
        Response.ResponseBuilder response = json(e.code().httpStatus(), body);
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            // RFC 6750: tell Bearer clients which scheme this service expects
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return json(400, ErrorBody.of(ErrorCode.INVALID.name(), "the body is not the expected JSON")).build();
    }

    /** Errors raised by Quarkus REST itself: unknown path, wrong method, wrong media type... */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException) {
            status = 400;
        }
        return json(status, ErrorBody.of(codeFor(status), messageFor(status))).build();
    }

    /** Anything unexpected, most likely Redis being away: logged here, never shown to the caller. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return json(503, ErrorBody.of(ErrorCode.UNAVAILABLE.name(), "the service cannot answer now")).build();
    }

    private static Response.ResponseBuilder json(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
    }

    private static String codeFor(int status) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return code.name();
            }
        }
        // 405, 406, 415 and the like: the request itself is wrong
        return status < 500 ? ErrorCode.INVALID.name() : ErrorCode.UNAVAILABLE.name();
    }

    private static String messageFor(int status) {
        return switch (status) {
            case 400 -> "the request is not valid";
            case 404 -> "no such resource";
            case 405 -> "method not allowed here";
            case 415 -> "unsupported media type";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known != null ? known.getReasonPhrase() : "request refused";
            }
        };
    }
}
