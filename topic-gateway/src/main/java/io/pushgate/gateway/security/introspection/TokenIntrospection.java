package io.pushgate.gateway.security.introspection;

import io.pushgate.jwt.RoleClaims;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * What one issuer's introspection endpoint says about tokens now, asked at most once per
 * {@code cacheTtl} per token: a burst of requests with the same token (REST calls, reconnects,
 * the periodic re-checks of open sessions) costs the issuer one call. Callers that ask while a call
 * for the same token is under way share it. Answers, {@code active: false} ones too, are kept for
 * {@code cacheTtl} from the moment the call began; failures are not kept.
 *
 * <p>Reading the reply: {@code active} must be a boolean; the roles are the {@code roles} member,
 * else {@code realm_access.roles} (Keycloak), else none. Keycloak runs its protocol mappers again at
 * introspection time, so a realm role removed since the token was issued is missing from
 * {@code realm_access} (the member disappears altogether when no realm role is left).
 *
 * <p>Every failure is a {@link ProtocolException} with {@link ErrorCode#UNAVAILABLE} that names the
 * issuer and says why; the token is never in a message and the cache holds only its SHA-256.
 * Never blocks: answers come on the endpoint's threads, or at once from the cache.
 */
public final class TokenIntrospection {

    private static final Logger LOG = Logger.getLogger(TokenIntrospection.class);

    /** Tokens remembered at most; past it, answers older than the TTL are dropped, then all. */
    static final int MAX_ENTRIES = 50_000;

    /**
     * @param issuer          the issuer (exactly as trusted) whose tokens this endpoint answers for
     * @param cacheTtl        how long an answer is used again; zero asks every time
     * @param recheckInterval how often an open session holding such a token asks again
     * @param grace           how long an open session keeps its last known roles while the endpoint cannot be reached
     */
    public record Settings(String issuer, Duration cacheTtl, Duration recheckInterval, Duration grace) {

        public Settings {
            Objects.requireNonNull(issuer, "issuer");
            requireNotNegative(cacheTtl, "cacheTtl");
            requireNotNegative(recheckInterval, "recheckInterval");
            requireNotNegative(grace, "grace");
        }

        private static void requireNotNegative(Duration d, String name) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be zero or more");
            }
        }
    }

    /**
     * The endpoint's answer about one token.
     *
     * @param roles     the token's roles now (empty when inactive)
     * @param expiresAt the reply's {@code exp}, or null
     * @param subject   the reply's {@code sub}, or null
     */
    public record Standing(boolean active, List<String> roles, Instant expiresAt, String subject) {

        public Standing {
            roles = List.copyOf(roles);
        }

        static final Standing INACTIVE = new Standing(false, List.of(), null, null);
    }

    private record Entry(Standing standing, long askedAtNanos) {
    }

    private final IntrospectionEndpoint endpoint;
    private final Settings settings;
    private final LongSupplier nanoClock;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Standing>> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    public TokenIntrospection(IntrospectionEndpoint endpoint, Settings settings, LongSupplier nanoClock) {
        this.endpoint = Objects.requireNonNull(endpoint);
        this.settings = Objects.requireNonNull(settings);
        this.nanoClock = Objects.requireNonNull(nanoClock);
        this.ttlNanos = settings.cacheTtl().toNanos();
    }

    public Settings settings() {
        return settings;
    }

    public String issuer() {
        return settings.issuer();
    }

    /**
     * The endpoint's answer about this token: from the cache if it is younger than the TTL, else
     * from the endpoint (one call however many ask at once). Fails with {@code UNAVAILABLE}.
     */
    public CompletionStage<Standing> standing(String token) {
        String key = key(token);
        long now = nanoClock.getAsLong();
        Entry cached = cache.get(key);
        if (cached != null && now - cached.askedAtNanos() < ttlNanos) {
            return CompletableFuture.completedFuture(cached.standing());
        }
        CompletableFuture<Standing> mine = new CompletableFuture<>();
        CompletableFuture<Standing> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return view(running);
        }
        ask(token, key, now, mine);
        return view(mine);
    }

    /** A stage of its own for each caller, failing with the bare exception (no CompletionException around it). */
    private static <T> CompletionStage<T> view(CompletableFuture<T> shared) {
        CompletableFuture<T> own = new CompletableFuture<>();
        shared.whenComplete((value, error) -> {
            if (error != null) {
                own.completeExceptionally(error);
            } else {
                own.complete(value);
            }
        });
        return own;
    }

    /** Answers currently remembered (tests, metrics). */
    int cachedAnswers() {
        return cache.size();
    }

    private void ask(String token, String key, long askedAt, CompletableFuture<Standing> result) {
        CompletionStage<Map<String, Object>> reply;
        try {
            reply = endpoint.introspect(token);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((json, error) -> {
            Standing standing = null;
            ProtocolException failure = null;
            if (error != null) {
                failure = unavailable(error);
            } else {
                try {
                    standing = read(json);
                } catch (ProtocolException e) {
                    failure = e;
                }
            }
            if (standing != null && ttlNanos > 0) {
                remember(key, new Entry(standing, askedAt));
            }
            inFlight.remove(key, result);
            if (failure != null) {
                if (failing.compareAndSet(false, true)) {
                    LOG.warn(failure.getMessage());
                }
                result.completeExceptionally(failure);
            } else {
                if (failing.compareAndSet(true, false)) {
                    LOG.infov("token introspection for issuer ''{0}'' answers again", settings.issuer());
                }
                result.complete(standing);
            }
        });
    }

    private void remember(String key, Entry entry) {
        if (cache.size() >= MAX_ENTRIES) {
            long now = nanoClock.getAsLong();
            cache.values().removeIf(e -> now - e.askedAtNanos() >= ttlNanos);
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
        }
        cache.put(key, entry);
    }

    /** Reads an RFC 7662 reply; anything malformed is UNAVAILABLE (the issuer's fault, not the token's). */
    private Standing read(Map<String, Object> json) {
        if (json == null || !(json.get("active") instanceof Boolean active)) {
            throw unavailable("the reply has no boolean 'active'");
        }
        if (!active) {
            return Standing.INACTIVE;
        }
        Object exp = json.get("exp");
        if (exp != null && !(exp instanceof Number)) {
            throw unavailable("the reply's 'exp' is not a number");
        }
        Object sub = json.get("sub");
        if (sub != null && !(sub instanceof String)) {
            throw unavailable("the reply's 'sub' is not a string");
        }
        return new Standing(true, RoleClaims.of(json, member -> unavailable("the reply's '" + member + "' is not an array of strings")), exp == null ? null : Instant.ofEpochSecond(((Number) exp).longValue()), (String) sub);
    }

    private ProtocolException unavailable(Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof ProtocolException p && p.code() == ErrorCode.UNAVAILABLE) {
            return p;
        }
        String why = cause instanceof IntrospectionUnavailableException ? cause.getMessage()
                : "the endpoint failed: " + cause.getClass().getSimpleName();
        return unavailable(why);
    }

    private ProtocolException unavailable(String why) {
        return new ProtocolException(ErrorCode.UNAVAILABLE, "cannot confirm the token with issuer '" + settings.issuer()
                + "' (token introspection): " + why + "; try again later");
    }

    /** The cache key: the token's SHA-256, so that the cache holds no token. */
    static String key(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
