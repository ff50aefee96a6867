package io.pushgate.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A tiny OpenID Connect issuer for tests: a JDK HTTP server on 127.0.0.1 that serves a discovery
 * document and a JWKS of keys generated here, and signs tokens with them. Counts its requests.
 * A service pointed at {@link #issuer()} verifies its tokens as it would the auth-service's or
 * Keycloak's: discovery document, then JWKS, over real HTTP.
 *
 * <p>It also has an OAuth 2.0 token endpoint ({@link #tokenEndpoint()}) for the password grant
 * (RFC 6749, 4.3: {@code grant_type=password}, {@code username}, {@code password}, as the
 * auth-service's {@code POST /v1/token} and Keycloak take it), for the principals given to
 * {@link #principal}: a client that logs in with a principal and a password is tested against it.
 */
public final class TestIssuer implements AutoCloseable {

    private final HttpServer server;
    private final String issuer;
    private final List<PublicJsonWebKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final Map<String, Principal> principals = new ConcurrentHashMap<>();

    /** A principal of the token endpoint: its password, the key its tokens are signed with, its roles. */
    private record Principal(String password, PublicJsonWebKey key, String[] roles) {
    }

    public TestIssuer(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        server.createContext(path + "/.well-known/openid-configuration", exchange -> {
            discoveryRequests.incrementAndGet();
            reply(exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\","
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        });
        server.createContext(path + "/keys", exchange -> {
            jwksRequests.incrementAndGet();
            reply(exchange, new JsonWebKeySet(List.<JsonWebKey>copyOf(keys)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        });
        server.createContext(path + "/token", this::token);
        server.start();
    }

    /** The token endpoint: {@code POST} a form with {@code grant_type=password}, {@code username}, {@code password}. */
    public String tokenEndpoint() {
        return issuer + "/token";
    }

    /** Requests to the token endpoint so far. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** A principal the token endpoint issues tokens to (signed with {@code key}, with these roles, valid five minutes). */
    public void principal(String name, String password, PublicJsonWebKey key, String... roles) {
        principals.put(name, new Principal(password, key, roles.clone()));
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        if (!exchange.getRequestMethod().equals("POST")) {
            reply(exchange, 405, "{\"error\":\"invalid_request\"}");
            return;
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!"password".equals(form.get("grant_type"))) {
            reply(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        Principal principal = principals.get(form.getOrDefault("username", ""));
        if (principal == null || !principal.password().equals(form.get("password"))) {
            reply(exchange, 401, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String token = token(principal.key(), form.get("username"), principal.roles());
        reply(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    public String issuer() {
        return issuer;
    }

    /** Requests for the discovery document so far. */
    public int discoveryRequests() {
        return discoveryRequests.get();
    }

    /** Requests for the key set so far. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** Requests of either kind so far. */
    public int requests() {
        return discoveryRequests.get() + jwksRequests.get();
    }

    /** A new RSA key, published in the JWKS. */
    public PublicJsonWebKey addRsaKey(String kid) {
        PublicJsonWebKey key = rsaKey(kid);
        keys.add(key);
        return key;
    }

    /** A new P-256 key, published in the JWKS. */
    public PublicJsonWebKey addEcKey(String kid) {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            keys.add(key);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA key that is not published anywhere. */
    public static PublicJsonWebKey rsaKey(String kid) {
        try {
            PublicJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims of a valid token of this issuer for the subject, valid for five minutes from now. */
    public JwtClaims claims(String subject, long nowMillis) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setStringListClaim("roles", "CLIENT");
        claims.setIssuedAt(NumericDate.fromMilliseconds(nowMillis));
        claims.setExpirationTime(NumericDate.fromMilliseconds(nowMillis + 300_000));
        claims.setGeneratedJwtId();
        return claims;
    }

    /**
     * A valid token of this issuer, signed with {@code key}, for {@code subject} with exactly these
     * {@code roles} (none: an empty {@code roles} claim), valid for five minutes.
     */
    public String token(PublicJsonWebKey key, String subject, String... roles) {
        JwtClaims claims = claims(subject, System.currentTimeMillis());
        claims.setStringListClaim("roles", roles);
        return sign(claims, key);
    }

    /** Signs the claims with the key, by the key's natural algorithm. */
    public static String sign(JwtClaims claims, PublicJsonWebKey key) {
        return sign(claims, key, key.getKeyType().equals("EC") ? AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256
                : AlgorithmIdentifiers.RSA_USING_SHA256, jws -> { });
    }

    public static String sign(JwtClaims claims, PublicJsonWebKey key, String alg, Consumer<JsonWebSignature> customize) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(alg);
            customize.accept(jws);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        reply(exchange, 200, body);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
