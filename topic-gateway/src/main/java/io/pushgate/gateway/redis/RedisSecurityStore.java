package io.pushgate.gateway.redis;

import io.pushgate.gateway.security.PrincipalOverrides;
import io.pushgate.gateway.security.RoleCodec;
import io.pushgate.gateway.security.RoleDefinition;
import io.pushgate.gateway.security.SecurityChanges;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.protocol.Json;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The security store in Redis: role definitions ({@code <prefix>:security:roles}, name to JSON)
 * and principals' overrides ({@code <prefix>:security:principals}), changed atomically with a
 * message on the changes channel ({@code O}/{@code o} for roles, {@code U}/{@code u} for
 * principals; {@link RedisTopicStore} follows it and hands them on decoded, {@link #deliver}) so
 * that every replica's sessions see a change at once. A write is applied to this replica's
 * {@link SecurityService} as soon as it is stored (read your writes).
 */
public final class RedisSecurityStore implements SecurityStore {

    private static final Logger LOG = Logger.getLogger(RedisSecurityStore.class);

    private final Redis redis;
    private final String prefix;
    private final SecurityService security;

    private final RedisKeys keys;
    private final LuaScript hashSet;

    /** {@code shards}: {@code gateway.redis.shards} as resolved (0: unsharded), for the channels of role and principal changes. */
    public RedisSecurityStore(Redis redis, String prefix, int shards, SecurityService security) {
        this.redis = redis;
        this.prefix = prefix;
        this.security = security;
        this.keys = new RedisKeys(prefix, shards);
        this.hashSet = RedisViews.HASH_SET.forLayout(keys);
    }

    private String rolesKey() {
        return keys.roles();
    }

    private String principalsKey() {
        return keys.principals();
    }

    /** Stores a role, and applies it here at once (the change message applies it everywhere). */
    @Override
    public CompletionStage<Boolean> putRole(RoleDefinition role) {
        return RedisTopicStore.stage(hashSet.run(redis, List.of(rolesKey()),
                        List.of(keys.definitionsChannel(rolesKey()), "O", "o", role.name(), RoleCodec.write(role))).map(r -> r.toInteger() == 1))
                .thenApply(created -> {
                    security.roleChanged(role.name(), role);
                    return created;
                });
    }

    @Override
    public CompletionStage<Boolean> removeRole(String name) {
        return RedisTopicStore.stage(hashSet.run(redis, List.of(rolesKey()), List.of(keys.definitionsChannel(rolesKey()), "O", "o", name, ""))
                        .map(r -> r.toInteger() == 1))
                .thenApply(existed -> {
                    security.roleChanged(name, null);
                    return existed;
                });
    }

    @Override
    public CompletionStage<Boolean> putPrincipal(PrincipalOverrides overrides) {
        String value = overrides.pathPermissions().isEmpty() ? "" : Json.write(overrides.encode());
        return RedisTopicStore.stage(hashSet.run(redis, List.of(principalsKey()),
                        List.of(keys.definitionsChannel(principalsKey()), "U", "u", overrides.principal(), value)).map(r -> r.toInteger() == 1))
                .thenApply(changed -> {
                    security.principalChanged(overrides.principal(), overrides);
                    return changed;
                });
    }

    /** A change message, decoded for the listener: a role or a principal stored ({@code json}) or removed (null). */
    static void deliver(char kind, String name, String json, SecurityChanges to) {
        try {
            switch (kind) {
                case 'O' -> to.roleChanged(name, RoleCodec.decode(json));
                case 'o' -> to.roleChanged(name, null);
                case 'U' -> to.principalChanged(name, PrincipalOverrides.decode(name, Json.parse(json)));
                case 'u' -> to.principalChanged(name, null);
                default -> { }
            }
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a security change for %s that does not parse: %s", name, e.getMessage());
        }
    }

    @Override
    public CompletionStage<Definitions> loadAll() {
        return RedisTopicStore.stage(redis.send(Request.cmd(Command.HGETALL).arg(rolesKey())).map(RedisViews::toMap))
                .thenCombine(RedisTopicStore.stage(redis.send(Request.cmd(Command.HGETALL).arg(principalsKey())).map(RedisViews::toMap)),
                        (roles, principals) -> {
                            List<RoleDefinition> defs = new ArrayList<>();
                            roles.forEach((name, json) -> {
                                try {
                                    defs.add(RoleCodec.decode(json));
                                } catch (RuntimeException e) {
                                    LOG.warnf("stored role %s does not parse: %s", name, e.getMessage());
                                }
                            });
                            List<PrincipalOverrides> overrides = new ArrayList<>();
                            principals.forEach((name, json) -> {
                                try {
                                    overrides.add(PrincipalOverrides.decode(name, Json.parse(json)));
                                } catch (RuntimeException e) {
                                    LOG.warnf("stored overrides of %s do not parse: %s", name, e.getMessage());
                                }
                            });
                            return new Definitions(defs, overrides);
                        });
    }
}
