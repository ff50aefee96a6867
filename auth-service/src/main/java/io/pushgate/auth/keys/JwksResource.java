package io.pushgate.auth.keys;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;

/** {@code GET /v1/jwks}: the public keys tokens are verified with (RFC 7517), by {@code kid}. */
@Path("/v1/jwks")
public class JwksResource {

    static final String JWKS_MEDIA_TYPE = "application/jwk-set+json";

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces({"application/json", JWKS_MEDIA_TYPE})
    public Response jwks() {
        List<JsonWebKey> publicKeys = keys.verificationKeys().stream().map(SigningKey::publicJwk).map(JsonWebKey.class::cast).toList();
        String body = new JsonWebKeySet(publicKeys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        // verifiers cache the set; five minutes keeps a rotation visible soon enough
        return Response.ok(body).type("application/json").header("Cache-Control", "public, max-age=300").build();
    }
}
