package io.pushgate.auth.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of a successful {@code POST /v1/token} (RFC 6749 section 5.1); a token exchange also
 * says what it issued ({@code issued_token_type}, RFC 8693 section 2.2.1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssuedToken(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("issued_token_type") String issuedTokenType) {

    /** RFC 8693's identifier of an OAuth 2.0 access token. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    public static IssuedToken bearer(String jwt, long expiresIn) {
        return new IssuedToken(jwt, "Bearer", expiresIn, null);
    }

    /** The same token, answering a token exchange. */
    public IssuedToken exchanged() {
        return new IssuedToken(accessToken, tokenType, expiresIn, ACCESS_TOKEN_TYPE);
    }
}
