package io.pushgate.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.protocol.GlobalPermission;
import io.pushgate.gateway.security.PrincipalOverrides;
import io.pushgate.gateway.security.RoleCodec;
import io.pushgate.gateway.security.RoleDefinition;
import io.pushgate.gateway.security.SecurityModel;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The security store: roles ({@code /v1/security/roles/{role}}, as in the contract) and, as an
 * extension, principals' path-permission overrides ({@code /v1/security/principals/{name}}).
 * Reading needs VIEW_SECURITY, changing needs MODIFY_SECURITY. A change applies at once to the
 * sessions already open, on every replica.
 */
@Path("/v1/security")
@Produces(MediaType.APPLICATION_JSON)
public class SecurityResource {

    private final SecurityService security;
    private final SecurityStore securityStore;
    private final RequestAccess access;

    public SecurityResource(SecurityService security, SecurityStore securityStore, RequestAccess access) {
        this.security = security;
        this.securityStore = securityStore;
        this.access = access;
    }

    @GET
    @Path("roles")
    public ObjectNode roles() {
        access.require(GlobalPermission.VIEW_SECURITY);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("roles");
        security.model().roles().values().forEach(r -> list.add(describe(r)));
        return body;
    }

    @GET
    @Path("roles/{role}")
    public ObjectNode role(@PathParam("role") String name) {
        access.require(GlobalPermission.VIEW_SECURITY);
        return describe(security.model().role(name).orElseThrow(() -> ProtocolException.notFound("no role " + name)));
    }

    /** Creates or replaces a role: {@code {defaultPathPermissions, pathPermissions, globalPermissions, includes}}. */
    @PUT
    @Path("roles/{role}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> putRole(@PathParam("role") String name, String body) {
        access.require(GlobalPermission.MODIFY_SECURITY);
        JsonNode json = Json.parse(body == null || body.isBlank() ? "{}" : body);
        RoleDefinition role = RoleCodec.decode(json, name);
        security.model().withRole(role).inclusionCycle(name).ifPresent(cycle -> {
            throw ProtocolException.invalid("role " + name + " would include itself: " + String.join(" > ", cycle));
        });
        return securityStore.putRole(role).thenApply(created -> describe(role));
    }

    /** Removes a stored role; a built-in role goes back to its built-in definition. */
    @DELETE
    @Path("roles/{role}")
    public CompletionStage<ObjectNode> deleteRole(@PathParam("role") String name) {
        access.require(GlobalPermission.MODIFY_SECURITY);
        return securityStore.removeRole(name).thenApply(existed -> {
            if (!existed) {
                throw ProtocolException.notFound("no stored role " + name);
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("removed", name);
            body.put("builtIn", SecurityModel.isBuiltIn(name));
            return body;
        });
    }

    @GET
    @Path("principals/{principal}")
    public ObjectNode principal(@PathParam("principal") String principal) {
        access.require(GlobalPermission.VIEW_SECURITY);
        return security.overridesOf(principal).encode();
    }

    /** Sets a principal's overrides: {@code {"pathPermissions": {"chat/lobby": ["SELECT_TOPIC", "READ_TOPIC"]}}}. */
    @PUT
    @Path("principals/{principal}")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<ObjectNode> putPrincipal(@PathParam("principal") String principal, String body) {
        access.require(GlobalPermission.MODIFY_SECURITY);
        validPrincipal(principal);
        PrincipalOverrides overrides = PrincipalOverrides.decode(principal, Json.parse(body == null || body.isBlank() ? "{}" : body));
        return securityStore.putPrincipal(overrides).thenApply(changed -> overrides.encode());
    }

    @DELETE
    @Path("principals/{principal}")
    public CompletionStage<ObjectNode> deletePrincipal(@PathParam("principal") String principal) {
        access.require(GlobalPermission.MODIFY_SECURITY);
        validPrincipal(principal);
        return securityStore.putPrincipal(new PrincipalOverrides(principal, Map.of())).thenApply(changed -> {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("removed", principal);
            return body;
        });
    }

    private static void validPrincipal(String principal) {
        if (principal.isEmpty() || principal.length() > 256 || principal.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ProtocolException.invalid("a principal name is 1 to 256 printable characters");
        }
    }

    private ObjectNode describe(RoleDefinition role) {
        ObjectNode node = RoleCodec.encode(role);
        node.put("builtIn", SecurityModel.isBuiltIn(role.name()));
        return node;
    }
}
