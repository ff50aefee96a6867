package io.pushgate.jwt;

import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Verifies compact JWTs (JWS) against a list of trusted OpenID Connect issuers: the auth-service,
 * Keycloak realms, any issuer with a discovery document and a JWKS.
 *
 * <p>What a token must be to pass:
 * <ul>
 * <li>a signed JWT whose {@code alg} is one of {@link #ALLOWED_ALGORITHMS} ({@code none} and the
 * HMAC algorithms never are, so neither an unsigned token nor one "signed" with a public key as an
 * HMAC secret can pass);
 * <li>its {@code iss} exactly one of the configured issuer URLs, and its signature made by a key of
 * that issuer's JWKS (the key named by {@code kid}; a token without {@code kid} only when the issuer
 * has exactly one fitting key);
 * <li>{@code exp} present and not past, {@code nbf} (if present) reached, each give or take the
 * clock skew; {@code sub} present; {@code aud} containing the configured audience, when one is;
 * a {@code typ} claim, if present, {@code Bearer} (so Keycloak's ID tokens are not taken for access
 * tokens).
 * </ul>
 * Every refusal is a {@link ProtocolException} with {@link ErrorCode#UNAUTHENTICATED} whose message
 * says why and never contains the token; the returned stage fails with that exception itself (not a
 * {@code CompletionException} around it), whether or not keys had to be fetched.
 *
 * <p>Keys: each issuer's discovery document ({@code <issuer>/.well-known/openid-configuration}, whose
 * {@code issuer} must be the configured URL) names its {@code jwks_uri}. Keys are fetched on the
 * first token of that issuer (or by {@link #prefetch()}) and kept; a token with a {@code kid} the set
 * does not have fetches them again, at most once per {@code minRefreshInterval} (30 s) per issuer, so
 * rotated keys are picked up and made-up key ids cannot flood the issuer.
 *
 * <p>Threads: {@link #verify} never blocks. When the keys are at hand it completes before returning,
 * on the caller's thread; when they must be fetched, it completes later on the key source's thread
 * (the {@link HttpClient}'s executor), so an event-loop caller must hop back to its own context
 * before touching session state.
 *
 * <p>The verification here is plain Java (and jose4j); how keys are fetched is behind the port
 * {@link SigningKeySource}, over HTTP by {@link HttpSigningKeySource}.
 */
public final class TokenVerifier {

    /** The signature algorithms a token may use. */
    public static final Set<String> ALLOWED_ALGORITHMS = Set.of(
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA256);

    /** Longest token looked at; anything longer is refused unread. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final Map<String, IssuerKeys> issuers;
    private final Optional<String> audience;
    private final int clockSkewSeconds;
    private final Clock clock;

    private TokenVerifier(Builder b) {
        if (b.issuers.isEmpty()) {
            throw new IllegalArgumentException("no trusted issuer");
        }
        SigningKeySource keys = b.source.apply(b.fetchTimeout);
        Map<String, IssuerKeys> map = new LinkedHashMap<>();
        for (String issuer : b.issuers) {
            keys.checkIssuer(issuer); // over HTTP: refuses what is not an http(s) URL
            map.put(issuer, new IssuerKeys(issuer, keys, b.minRefreshInterval, b.clock));
        }
        this.issuers = Map.copyOf(map);
        this.audience = b.audience;
        this.clockSkewSeconds = Math.toIntExact(b.clockSkew.toSeconds());
        this.clock = b.clock;
    }

    /** A verifier that gets each issuer's keys over HTTP ({@link HttpSigningKeySource}): what the services use. */
    public static Builder builder(HttpClient http) {
        Objects.requireNonNull(http);
        return new Builder(timeout -> new HttpSigningKeySource(http, timeout));
    }

    /** A verifier that gets each issuer's keys from {@code keys}. */
    public static Builder builder(SigningKeySource keys) {
        Objects.requireNonNull(keys);
        return new Builder(timeout -> keys);
    }

    /** The trusted issuer URLs. */
    public Set<String> issuers() {
        return issuers.keySet();
    }

    /** Fetches the keys of every issuer now, so that the first tokens need not wait; completes when all have answered. */
    public CompletionStage<Void> prefetch() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (IssuerKeys keys : issuers.values()) {
            CompletableFuture<List<JsonWebKey>> f = keys.refresh();
            if (f != null) {
                all.add(f.exceptionally(e -> null));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /**
     * Verifies a compact JWT. Completes with what the token says, or exceptionally with a
     * {@link ProtocolException} ({@code UNAUTHENTICATED}) saying why it was refused.
     */
    public CompletionStage<VerifiedToken> verify(String token) {
        try {
            UnverifiedToken parsed = UnverifiedToken.parse(token);
            IssuerKeys keys = issuers.get(parsed.issuer());
            if (keys == null) {
                throw refused("the token's issuer '" + printable(parsed.issuer()) + "' is not trusted");
            }
            List<JsonWebKey> known = keys.keys();
            if (known != null) {
                Optional<JsonWebKey> key = keys.select(known, parsed);
                if (key.isPresent()) {
                    return CompletableFuture.completedFuture(check(token, parsed, keys, key.get()));
                }
            }
            CompletableFuture<List<JsonWebKey>> refreshed = keys.refresh();
            if (refreshed == null) {
                throw known == null
                        ? refused("the signing keys of issuer '" + keys.issuer() + "' are unavailable; retrying later")
                        : refused(keys.unknownKey(parsed));
            }
            CompletableFuture<VerifiedToken> result = new CompletableFuture<>();
            refreshed.whenComplete((fresh, error) -> {
                try {
                    if (error != null) {
                        throw asRefusal(error);
                    }
                    JsonWebKey key = keys.select(fresh, parsed).orElseThrow(() -> refused(keys.unknownKey(parsed)));
                    result.complete(check(token, parsed, keys, key));
                } catch (RuntimeException e) {
                    result.completeExceptionally(asRefusal(e));
                }
            });
            return result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(asRefusal(e));
        }
    }

    /** The exception a verification fails with: always the bare {@link ProtocolException}, never a wrapper. */
    private static ProtocolException asRefusal(Throwable error) {
        Throwable cause = Causes.unwrap(error);
        return cause instanceof ProtocolException p ? p : refused("cannot verify the token: " + cause.getClass().getSimpleName());
    }

    private VerifiedToken check(String token, UnverifiedToken parsed, IssuerKeys issuer, JsonWebKey key) {
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        ALLOWED_ALGORITHMS.toArray(String[]::new))
                .setVerificationKey(key.getKey())
                .setExpectedIssuer(true, issuer.issuer())
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()));
        if (audience.isPresent()) {
            builder.setExpectedAudience(audience.get());
        } else {
            builder.setSkipDefaultAudienceValidation();
        }
        JwtClaims claims;
        try {
            claims = builder.build().processToClaims(token);
        } catch (InvalidJwtException e) {
            throw refused(why(e));
        }
        try {
            Object typ = claims.getClaimValue("typ");
            if (typ != null && !"Bearer".equalsIgnoreCase(String.valueOf(typ))) {
                throw refused("not an access token (typ '" + printable(String.valueOf(typ)) + "')");
            }
            String subject = claims.getSubject();
            if (subject.isBlank()) {
                throw refused("missing claim sub");
            }
            String principal = claims.getClaimValue("preferred_username") instanceof String name && !name.isBlank()
                    ? name : subject;
            return new VerifiedToken(principal, subject, RoleClaims.of(claims.getClaimsMap(), claim -> refused("malformed claim " + claim + ": not an array of strings")),
                    Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis()), issuer.issuer());
        } catch (MalformedClaimException e) {
            throw refused("malformed claim: " + e.getMessage());
        }
    }

    private String why(InvalidJwtException e) {
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "bad signature";
        }
        if (e.hasExpired()) {
            return "token expired" + at(e, true);
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "token not yet valid" + at(e, false);
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "missing claim exp";
        }
        if (e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return "missing claim sub";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING) || e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)) {
            return "wrong audience: the token is not for '" + audience.orElse("") + "'";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "wrong issuer";
        }
        if (e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM) || e.hasErrorCode(ErrorCodes.JSON_INVALID)) {
            return "malformed claim";
        }
        return e.getErrorDetails().isEmpty() ? "invalid token"
                : "invalid token: " + printable(e.getErrorDetails().get(0).getErrorMessage());
    }

    private static String at(InvalidJwtException e, boolean expiry) {
        try {
            JwtClaims claims = e.getJwtContext() == null ? null : e.getJwtContext().getJwtClaims();
            NumericDate date = claims == null ? null : expiry ? claims.getExpirationTime() : claims.getNotBefore();
            return date == null ? "" : (expiry ? " at " : ": not before ") + Instant.ofEpochSecond(date.getValue());
        } catch (MalformedClaimException ignored) {
            return "";
        }
    }

    static ProtocolException refused(String why) {
        return new ProtocolException(ErrorCode.UNAUTHENTICATED, why);
    }

    /** Text from a token, made safe to put in a message: printable ASCII, at most 100 characters. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 100; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 100 ? out + "..." : out.toString();
    }

    /** Configuration of a {@link TokenVerifier}. */
    public static final class Builder {
        /** The key source, given the fetch timeout (which only a source over the network uses). */
        private final Function<Duration, SigningKeySource> source;
        private final List<String> issuers = new ArrayList<>();
        private Optional<String> audience = Optional.empty();
        private Duration clockSkew = Duration.ofSeconds(30);
        private Duration minRefreshInterval = Duration.ofSeconds(30);
        private Duration fetchTimeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder(Function<Duration, SigningKeySource> source) {
            this.source = source;
        }

        /** Adds trusted issuer URLs; a token's {@code iss} must be one of them exactly. */
        public Builder issuers(Collection<String> urls) {
            issuers.addAll(urls);
            return this;
        }

        public Builder issuer(String url) {
            return issuers(List.of(url));
        }

        /** When present, a token's {@code aud} must contain it. */
        public Builder audience(Optional<String> audience) {
            this.audience = audience.filter(a -> !a.isBlank());
            return this;
        }

        /** Leeway for {@code exp} and {@code nbf} (default 30 s). */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = skew;
            return this;
        }

        /** Least time between two fetches of one issuer's keys (default 30 s). */
        public Builder minRefreshInterval(Duration interval) {
            this.minRefreshInterval = interval;
            return this;
        }

        /** Time limit of one HTTP request for a discovery document or key set (default 10 s). */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = timeout;
            return this;
        }

        /** The clock that expiry and refresh intervals are measured by (tests move it). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public TokenVerifier build() {
            return new TokenVerifier(this);
        }
    }
}
