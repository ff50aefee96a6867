package io.pushgate.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class JfrProfileTest {

    static JfrProfile.Stack stack(String thread, String... frames) {
        return new JfrProfile.Stack(List.of(frames), 1, thread);
    }

    @Test
    void self_and_total_time_from_stacks() {
        List<JfrProfile.Stack> cpu = List.of(
                stack("loop-0", "String.getBytes", "io.pushgate.gateway.transport.ws.WebSocketOutbound.send",
                        "io.pushgate.gateway.sessions.Session.deliver", "java.lang.Thread.run"),
                stack("loop-0", "String.getBytes", "io.pushgate.gateway.transport.ws.WebSocketOutbound.send",
                        "io.pushgate.gateway.sessions.Session.deliver", "java.lang.Thread.run"),
                stack("loop-1", "io.netty.Writer.write", "io.pushgate.gateway.sessions.Session.deliver", "java.lang.Thread.run"),
                // recursion counts once per sample
                stack("loop-1", "a.B.c", "a.B.c", "java.lang.Thread.run"));
        JsonObject p = JfrProfile.summarize(cpu, List.of(), List.of(), 3, 12.5, 10);
        assertThat(p.getLong("executionSamples")).isEqualTo(4);
        JsonArray self = p.getJsonArray("selfTop");
        assertThat(self.getJsonObject(0).getString("name")).isEqualTo("String.getBytes");
        assertThat(self.getJsonObject(0).getDouble("percent")).isEqualTo(50.0);
        JsonArray gateway = p.getJsonArray("totalTopPushgate");
        assertThat(gateway.getJsonObject(0).getString("name")).isEqualTo("io.pushgate.gateway.sessions.Session.deliver");
        assertThat(gateway.getJsonObject(0).getLong("weight")).isEqualTo(3);
        JsonArray all = p.getJsonArray("totalTopAll");
        assertThat(all.stream().map(o -> ((JsonObject) o).getString("name"))).doesNotContain("java.lang.Thread.run");
        assertThat(all.stream().filter(o -> ((JsonObject) o).getString("name").equals("a.B.c"))
                .map(o -> ((JsonObject) o).getLong("weight"))).containsExactly(1L);
        assertThat(p.getJsonArray("threads").getJsonObject(0).getLong("weight")).isEqualTo(2);
        assertThat(p.getDouble("gcPauseMillis")).isEqualTo(12.5);
    }
}
