package io.pushgate.auth.tokens;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of a successful {@code POST /v1/token} (RFC 6749 section 5.1). */
public record IssuedToken(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn) {

    public static IssuedToken bearer(String jwt, long expiresIn) {
        return new IssuedToken(jwt, "Bearer", expiresIn);
    }
}
