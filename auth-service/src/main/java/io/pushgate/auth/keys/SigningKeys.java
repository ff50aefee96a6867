package io.pushgate.auth.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.auth.config.AuthConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The key this service signs with: the configured PEM if there is one, otherwise the one kept in
 * Redis (see {@link RedisKeyStore}). Loaded on first use rather than at start, so that a Redis
 * that is late to come up delays tokens, not the start of the service.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final AuthConfig.SigningKey config;
    private final RedisKeyStore store;
    private volatile SigningKey current;

    public SigningKeys(AuthConfig config, RedisDataSource redis, ObjectMapper json) {
        this.config = config.signingKey();
        this.store = new RedisKeyStore(redis, json, RedisKeyStore.DEFAULT_KEY);
    }

    public SigningKey current() {
        SigningKey key = current;
        if (key == null) {
            synchronized (this) {
                if (current == null) {
                    current = load();
                }
                key = current;
            }
        }
        return key;
    }

    /**
     * The keys tokens may be verified with, for the JWKS. One today; a rotation would keep the
     * previous key here until the tokens it signed have expired.
     */
    public List<SigningKey> verificationKeys() {
        return List.of(current());
    }

    private SigningKey load() {
        if (config.pem().isPresent()) {
            SigningKey key = SigningKey.of(PemKeys.parsePem(config.pem().get()), config.kid().orElse(null));
            LOG.infof("Signing with the configured key %s", key.kid());
            return key;
        }
        SigningKey key = store.loadOrCreate(SigningKey::generate);
        LOG.infof("Signing with the key %s kept in Redis", key.kid());
        return key;
    }
}
