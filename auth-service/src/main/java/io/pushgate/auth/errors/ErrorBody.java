package io.pushgate.auth.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The error body: the project's {@code {code, message}}, plus {@code error} and
 * {@code error_description} (RFC 6749 section 5.2) on token endpoint errors.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(
        String code,
        String message,
        String error,
        @JsonProperty("error_description") String errorDescription) {

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(code, message, null, null);
    }
}
