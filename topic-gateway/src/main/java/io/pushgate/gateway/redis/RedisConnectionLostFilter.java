package io.pushgate.gateway.redis;

import java.io.IOException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Turns the Redis client's {@code ERROR Unhandled Error} with a stack trace, which it logs for
 * every idle pooled connection that Redis resets (its default exception handler), into one
 * {@code WARN} line. A lost Redis is handled where it matters: requests answer
 * {@code UNAVAILABLE}, readiness goes down, the change listener reconnects and resynchronises
 * (RedisOutageIT); the pooled connection is only evicted. Anything else the client logs stays
 * as it is. One of the rules of {@link io.pushgate.gateway.wiring.GatewayLogFilter}.
 */
public final class RedisConnectionLostFilter implements Filter {

    static final String LOGGER = "io.vertx.redis.client.impl.RedisConnectionManager";
    static final String MESSAGE = "Unhandled Error";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (LOGGER.equals(record.getLoggerName()) && record.getMessage() != null && record.getMessage().startsWith(MESSAGE)
                && record.getThrown() instanceof IOException lost) {
            record.setLevel(Level.WARNING);
            record.setMessage("a pooled Redis connection was lost: " + lost);
            record.setParameters(null);
            record.setThrown(null);
        }
        return true;
    }
}
