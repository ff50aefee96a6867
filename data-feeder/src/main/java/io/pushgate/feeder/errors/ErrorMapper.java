package io.pushgate.feeder.errors;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refused request as the other Pushgate services answer it: the code's HTTP status and the JSON
 * {@code {code, message}}. A 401 also says, as RFC 6750 asks, that a bearer token is expected.
 */
public class ErrorMapper {

    @ServerExceptionMapper
    public Response refused(ProtocolException error) {
        Response.ResponseBuilder response = Response.status(error.code().httpStatus())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(error.code().name(), error.getMessage()));
        if (error.code() == ErrorCode.UNAUTHENTICATED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"data-feeder\"");
        }
        return response.build();
    }

    /** The body of every refusal, in this order. */
    public record ErrorBody(String code, String message) {
    }
}
