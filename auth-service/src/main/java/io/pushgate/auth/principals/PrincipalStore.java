package io.pushgate.auth.principals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Principals in Redis, one JSON string per principal at {@code auth:principal:<name>}.
 * A single key per principal makes each write atomic: {@code SET NX} creates (two concurrent
 * sign-ups with one name: exactly one wins), {@code SET XX} updates only what still exists
 * (a role change racing a delete does not bring the principal back).
 */
@ApplicationScoped
public class PrincipalStore {

    private static final String PREFIX = "auth:principal:";

    private final ValueCommands<String, String> values;
    private final RedisDataSource redis;
    private final ObjectMapper json;

    public PrincipalStore(RedisDataSource redis, ObjectMapper json) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.json = json;
    }

    /** False when the name is taken. */
    public boolean create(Principal principal) {
        return values.setnx(key(principal.name()), write(principal));
    }

    public Optional<Principal> find(String name) {
        return Optional.ofNullable(values.get(key(name))).map(this::read);
    }

    /** False when there was no such principal ({@code SET XX GET} answers the old value, or nothing). */
    public boolean update(Principal principal) {
        return values.setGet(key(principal.name()), write(principal), new SetArgs().xx()) != null;
    }

    /** False when there was no such principal. */
    public boolean delete(String name) {
        return redis.key(String.class).del(key(name)) > 0;
    }

    private static String key(String name) {
        return PREFIX + name;
    }

    private String write(Principal principal) {
        try {
            return json.writeValueAsString(principal);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Principal read(String stored) {
        try {
            return json.readValue(stored, Principal.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a principal in Redis is not readable", e);
        }
    }
}
