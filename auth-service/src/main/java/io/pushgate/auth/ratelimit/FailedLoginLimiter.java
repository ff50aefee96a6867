package io.pushgate.auth.ratelimit;

import io.pushgate.auth.config.AuthConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Limits failed logins per principal (or client id) and per remote address, in fixed windows
 * counted in Redis so that every replica sees the same counts.
 *
 * <p>Once either count reaches its limit, every login for that name or from that address is
 * refused until the window ends, even one with the right password: otherwise a guesser would
 * learn the password by the one answer that differs. Unknown names are counted exactly like
 * known ones, so that the limit tells nothing about which names exist. Successes do not reset
 * the counts (a success from an address must not buy more guesses against other names).
 */
@ApplicationScoped
public class FailedLoginLimiter {

    private static final String PREFIX = "auth:failed-logins:";

    /** INCR, and start the window on the first failure; one script so that no counter is left without expiry. */
    private static final String INCREMENT = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return count""";

    private final RedisDataSource redis;
    private final ValueCommands<String, Long> counters;
    private final AuthConfig.RateLimit config;

    public FailedLoginLimiter(RedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.counters = redis.value(Long.class);
        this.config = config.rateLimit();
    }

    /**
     * True when this name or this address has used up its failures for the current window.
     *
     * <p>Two {@code GET}s, not one {@code MGET}: the two counters are unrelated keys, in two hash
     * slots of a Redis Cluster (spread over the masters on purpose), and the Vert.x cluster client
     * answers a cross-slot {@code MGET} by splitting it per slot and concatenating the answers in
     * no particular order, so the name's count could come back as the address's. The two reads
     * need not be atomic: each is compared with its own limit.
     */
    public boolean isBlocked(String name, String address) {
        return count(counters.get(nameKey(name))) >= config.perPrincipal()
                || count(counters.get(addressKey(address))) >= config.perAddress();
    }

    /** One single-key script per counter (EVAL, not EVALSHA: nothing to load on every cluster node). */
    public void recordFailure(String name, String address) {
        String window = String.valueOf(config.window().toMillis());
        for (String key : List.of(nameKey(name), addressKey(address))) {
            redis.execute("EVAL", INCREMENT, "1", key, window);
        }
    }

    private static long count(Long value) {
        return value == null ? 0 : value;
    }

    // names and addresses are hashed: any text a caller sends becomes a short, safe Redis key
    private static String nameKey(String name) {
        return PREFIX + "name:" + sha256(name);
    }

    private static String addressKey(String address) {
        return PREFIX + "address:" + sha256(address);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
