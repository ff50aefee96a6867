package io.pushgate.backend.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The auth-service's answer to a token request, {@code {access_token, token_type, expires_in}},
 * and the principal ({@code sub}) the token names.
 */
public record TokenResponse(String accessToken, Duration expiresIn, String subject) {

    /** Parses a successful answer; throws {@link IllegalArgumentException} saying what is wrong. */
    public static TokenResponse parse(String body) {
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("the token answer is not JSON: " + e.getMessage());
        }
        JsonNode token = json.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw new IllegalArgumentException("the token answer has no access_token");
        }
        JsonNode type = json.get("token_type");
        if (type != null && !type.asText().equalsIgnoreCase("Bearer")) {
            throw new IllegalArgumentException("the token is of type " + type.asText() + ", not Bearer");
        }
        JsonNode expires = json.get("expires_in");
        if (expires == null || !expires.canConvertToLong() || expires.asLong() <= 0) {
            throw new IllegalArgumentException("the token answer has no positive expires_in");
        }
        return new TokenResponse(token.asText(), Duration.ofSeconds(expires.asLong()), subjectOf(token.asText()));
    }

    /**
     * The {@code sub} claim of a JWT, read without verifying it (the gateway verifies it; this side
     * only needs to know its own name), or null if the token is not a readable JWT.
     */
    static String subjectOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode claims = Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode sub = claims.get("sub");
            return sub != null && sub.isTextual() ? sub.asText() : null;
        } catch (IllegalArgumentException | ProtocolException e) {
            return null;
        }
    }

    /** The {@code message} or OAuth {@code error_description} of an error answer, for logs. */
    public static String errorOf(String body) {
        try {
            JsonNode json = Json.parse(body);
            for (String field : new String[] {"message", "error_description", "error"}) {
                if (json.hasNonNull(field)) {
                    return json.get(field).asText();
                }
            }
        } catch (ProtocolException e) {
            // not JSON: the body as it is
        }
        return body.length() <= 200 ? body : body.substring(0, 197) + "...";
    }
}
