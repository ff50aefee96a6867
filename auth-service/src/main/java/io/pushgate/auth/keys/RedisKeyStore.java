package io.pushgate.auth.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Keeps the generated signing key in Redis, so that every replica (and every restart) signs with
 * the same key and the JWKS any replica serves verifies tokens from all of them.
 *
 * <p>The key is written with {@code SET NX}: when two replicas start together on an empty Redis,
 * both generate a key, exactly one write wins, and both then read and use the winner.
 * The private key sits in Redis unencrypted: the Redis must be as private as the service
 * (or configure {@code auth.signing-key.pem} instead).
 */
public class RedisKeyStore {

    /** Where the service keeps its key. */
    public static final String DEFAULT_KEY = "auth:signing-key:current";

    private final ValueCommands<String, String> values;
    private final ObjectMapper json;
    private final String redisKey;

    public RedisKeyStore(RedisDataSource redis, ObjectMapper json, String redisKey) {
        this.values = redis.value(String.class);
        this.json = json;
        this.redisKey = redisKey;
    }

    /** The key held in Redis; when there is none, one from {@code generator} stored first if nobody beats us to it. */
    public SigningKey loadOrCreate(Supplier<SigningKey> generator) {
        String stored = values.get(redisKey);
        if (stored == null) {
            SigningKey fresh = generator.get();
            values.set(redisKey, write(fresh), new SetArgs().nx());
            // read back whatever won, ours or another replica's
            stored = values.get(redisKey);
        }
        return read(stored);
    }

    private String write(SigningKey key) {
        try {
            return json.writeValueAsString(new StoredKey(key.kid(), PemKeys.encode(key.privateKey()), Instant.now().toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private SigningKey read(String stored) {
        try {
            StoredKey key = json.readValue(stored, StoredKey.class);
            return SigningKey.of(PemKeys.decode(key.pkcs8()), key.kid());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the signing key in Redis at " + redisKey + " is not readable", e);
        }
    }

    /** The stored form: the kid, the PKCS#8 private key in base64, and when it was made (for operators). */
    record StoredKey(String kid, String pkcs8, String createdAt) {
    }
}
