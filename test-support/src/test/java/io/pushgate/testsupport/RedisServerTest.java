package io.pushgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void startsAnswersAndStops() {
        try (RedisServer redis = new RedisServer().start()) {
            assertThat(redis.command("SET k v")).isEqualTo("+OK");
            assertThat(redis.command("GET k")).isEqualTo("$1");
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IllegalStateException.class);
            redis.start();
            assertThat(redis.command("PING")).isEqualTo("+PONG");
        }
    }
}
