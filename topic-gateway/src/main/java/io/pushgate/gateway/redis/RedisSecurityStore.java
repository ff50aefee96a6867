package io.pushgate.gateway.redis;

import io.pushgate.gateway.security.PrincipalOverrides;
import io.pushgate.gateway.security.RoleCodec;
import io.pushgate.gateway.security.RoleDefinition;
import io.pushgate.gateway.security.SecurityService;
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
 * principals) so that every replica's sessions see a change at once.
 */
public final class RedisSecurityStore {

    private static final Logger LOG = Logger.getLogger(RedisSecurityStore.class);

    private final Redis redis;
    private final String prefix;
    private final SecurityService security;

    public RedisSecurityStore(Redis redis, String prefix, SecurityService security) {
        this.redis = redis;
        this.prefix = prefix;
        this.security = security;
    }

    private String rolesKey() {
        return prefix + ":security:roles";
    }

    private String principalsKey() {
        return prefix + ":security:principals";
    }

    private String channel() {
        return prefix + ":changes";
    }

    /** Stores a role, and applies it here at once (the change message applies it everywhere). */
    public CompletionStage<Boolean> putRole(RoleDefinition role) {
        return RedisTopicStore.stage(RedisViews.HASH_SET.run(redis, List.of(rolesKey()),
                        List.of(channel(), "O", "o", role.name(), RoleCodec.write(role))).map(r -> r.toInteger() == 1))
                .thenApply(created -> {
                    security.roleChanged(role.name(), role);
                    return created;
                });
    }

    public CompletionStage<Boolean> removeRole(String name) {
        return RedisTopicStore.stage(RedisViews.HASH_SET.run(redis, List.of(rolesKey()), List.of(channel(), "O", "o", name, ""))
                        .map(r -> r.toInteger() == 1))
                .thenApply(existed -> {
                    security.roleChanged(name, null);
                    return existed;
                });
    }

    public CompletionStage<Boolean> putPrincipal(PrincipalOverrides overrides) {
        String value = overrides.pathPermissions().isEmpty() ? "" : Json.write(overrides.encode());
        return RedisTopicStore.stage(RedisViews.HASH_SET.run(redis, List.of(principalsKey()),
                        List.of(channel(), "U", "u", overrides.principal(), value)).map(r -> r.toInteger() == 1))
                .thenApply(changed -> {
                    security.principalChanged(overrides.principal(), overrides);
                    return changed;
                });
    }

    /** A change message: a role or a principal stored ({@code json}) or removed (null). */
    public void changed(char kind, String name, String json) {
        try {
            switch (kind) {
                case 'O' -> security.roleChanged(name, RoleCodec.decode(json));
                case 'o' -> security.roleChanged(name, null);
                case 'U' -> security.principalChanged(name, PrincipalOverrides.decode(name, Json.parse(json)));
                case 'u' -> security.principalChanged(name, null);
                default -> { }
            }
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a security change for %s that does not parse: %s", name, e.getMessage());
        }
    }

    /** Loads every stored role and principal (at start, and after the change stream reconnects). */
    public void reload() {
        RedisTopicStore.stage(redis.send(Request.cmd(Command.HGETALL).arg(rolesKey())).map(RedisViews::toMap))
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
                            security.replaceAll(defs, overrides);
                            return null;
                        })
                .exceptionally(error -> {
                    LOG.warnf("cannot load the security store: %s", error.getMessage());
                    return null;
                });
    }
}
