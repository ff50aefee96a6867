package io.pushgate.jwt;

import static io.pushgate.jwt.TokenVerifier.ALLOWED_ALGORITHMS;
import static io.pushgate.jwt.TokenVerifier.MAX_TOKEN_CHARS;
import static io.pushgate.jwt.TokenVerifier.printable;
import static io.pushgate.jwt.TokenVerifier.refused;

import java.util.Map;
import java.util.Objects;
import org.jose4j.base64url.Base64Url;
import org.jose4j.json.JsonUtil;

/**
 * What a token claims before anything is verified: only used to choose the issuer and the key.
 * Parsing refuses, before any key is looked at, what cannot be a token signed by an allowed algorithm.
 */
record UnverifiedToken(String alg, String kid, String issuer) {

    static UnverifiedToken parse(String token) {
        if (token == null || token.isBlank()) {
            throw refused("missing token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw refused("token longer than " + MAX_TOKEN_CHARS + " characters");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw refused("not a signed JWT in compact form");
        }
        Map<String, Object> header = json(token.substring(0, first), "header");
        Map<String, Object> payload = json(token.substring(first + 1, second), "payload");
        if (!(header.get("alg") instanceof String alg)) {
            throw refused("the token's header has no alg");
        }
        if (!ALLOWED_ALGORITHMS.contains(alg)) {
            throw refused("unsupported alg '" + printable(alg) + "': allowed are " + String.join(", ",
                    ALLOWED_ALGORITHMS.stream().sorted().toList()));
        }
        if (second == token.length() - 1) {
            throw refused("bad signature: the token is not signed");
        }
        Object kid = header.get("kid");
        if (kid != null && !(kid instanceof String)) {
            throw refused("the token's kid is not a string");
        }
        Object iss = payload.get("iss");
        if (iss == null) {
            throw refused("missing claim iss");
        }
        if (!(iss instanceof String issuer)) {
            throw refused("malformed claim iss");
        }
        return new UnverifiedToken(alg, (String) kid, issuer);
    }

    private static Map<String, Object> json(String part, String what) {
        try {
            return Objects.requireNonNull(JsonUtil.parseJson(Base64Url.decodeToUtf8String(part)));
        } catch (Exception e) {
            throw refused("malformed token: its " + what + " is not base64url JSON");
        }
    }
}
