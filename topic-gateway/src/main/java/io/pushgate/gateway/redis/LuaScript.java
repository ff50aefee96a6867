package io.pushgate.gateway.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run with EVALSHA, falling back to EVAL when Redis does not know it yet (first
 * use, or a Redis that restarted and lost its script cache).
 */
final class LuaScript {

    private final String source;
    private final String sha;

    private LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/redis/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + resource);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The script for a layout: as written for the unsharded one; with {@code SPUBLISH} in place
     * of {@code PUBLISH} for the sharded one (the channel it publishes on is then in the slot of
     * the keys it writes, which a Redis Cluster requires of a script).
     */
    LuaScript forLayout(RedisKeys keys) {
        return keys.sharded() ? new LuaScript(source.replace("redis.call('PUBLISH',", "redis.call('SPUBLISH',")) : this;
    }

    String sha() {
        return sha;
    }

    String source() {
        return source;
    }

    /** Runs the script on one connection (in order with what else is sent on it). */
    Future<Response> run(io.vertx.redis.client.RedisConnection connection, List<String> keys, List<String> args) {
        return connection.send(request(Command.EVALSHA, sha, keys, args)).recover(error -> {
            if (error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT")) {
                return connection.send(request(Command.EVAL, source, keys, args));
            }
            return Future.failedFuture(error);
        });
    }

    Future<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(error -> {
            if (error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, source, keys, args));
            }
            return Future.failedFuture(error);
        });
    }

    /** The call as one request: EVAL with the text on a cluster (see WriteLane), else EVALSHA. */
    Request request(boolean cluster, List<String> keys, List<String> args) {
        return cluster ? request(Command.EVAL, source, keys, args) : request(Command.EVALSHA, sha, keys, args);
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
