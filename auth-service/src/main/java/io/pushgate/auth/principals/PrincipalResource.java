package io.pushgate.auth.principals;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.auth.errors.AuthException;
import io.pushgate.auth.security.BearerAuthenticator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/** {@code /v1/principals}: the HTTP face of {@link PrincipalService}, which holds the rules. */
@Path("/v1/principals")
@Produces(MediaType.APPLICATION_JSON)
public class PrincipalResource {

    private final PrincipalService principals;
    private final BearerAuthenticator authenticator;

    public PrincipalResource(PrincipalService principals, BearerAuthenticator authenticator) {
        this.principals = principals;
        this.authenticator = authenticator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, NewPrincipal request) {
        PrincipalView created = principals.create(authenticator.authenticate(authorization), request);
        return Response.created(URI.create("/v1/principals/" + created.name())).entity(created).build();
    }

    @GET
    @Path("{name}")
    public PrincipalView get(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestPath String name) {
        return principals.get(authenticator.require(authorization), name);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestPath String name) {
        principals.delete(authenticator.require(authorization), name);
        return Response.noContent().build();
    }

    /** The body is {@code {"roles": [...]}} or the bare array {@code [...]}. */
    @PUT
    @Path("{name}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    public PrincipalView setRoles(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestPath String name,
            JsonNode body) {
        var caller = authenticator.require(authorization);
        return principals.setRoles(caller, name, rolesOf(body));
    }

    private static List<String> rolesOf(JsonNode body) {
        JsonNode array = body != null && body.isObject() ? body.get("roles") : body;
        if (array == null || !array.isArray()) {
            throw AuthException.invalid("the body is {\"roles\": [...]} or a JSON array of role names");
        }
        List<String> roles = new ArrayList<>();
        for (JsonNode role : array) {
            if (!role.isTextual()) {
                throw AuthException.invalid("role names are strings");
            }
            roles.add(role.asText());
        }
        return roles;
    }
}
