package io.pushgate.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class RedisConnectionLostFilterTest {

    private final RedisConnectionLostFilter filter = new RedisConnectionLostFilter();

    @Test
    void aResetPooledConnectionIsOneWarningLine() {
        LogRecord record = record(RedisConnectionLostFilter.LOGGER, "Unhandled Error", new SocketException("Connection reset"));

        assertThat(filter.isLoggable(record)).isTrue();
        assertThat(record.getLevel()).isEqualTo(Level.WARNING);
        assertThat(record.getMessage()).isEqualTo("a pooled Redis connection was lost: java.net.SocketException: Connection reset");
        assertThat(record.getThrown()).isNull();
    }

    @Test
    void otherErrorsStayAsTheyAre() {
        IllegalStateException bug = new IllegalStateException("Result is already complete");
        LogRecord notIo = record(RedisConnectionLostFilter.LOGGER, "Unhandled Error", bug);
        LogRecord otherLogger = record("io.vertx.redis.client.impl.RedisStandaloneConnection", "Unhandled Error", new SocketException("x"));

        assertThat(filter.isLoggable(notIo)).isTrue();
        assertThat(notIo.getLevel()).isEqualTo(Level.SEVERE);
        assertThat(notIo.getThrown()).isSameAs(bug);
        assertThat(filter.isLoggable(otherLogger)).isTrue();
        assertThat(otherLogger.getLevel()).isEqualTo(Level.SEVERE);
        assertThat(otherLogger.getThrown()).isNotNull();
    }

    private static LogRecord record(String logger, String message, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, message);
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }
}
