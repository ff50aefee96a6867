package io.pushgate.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.CloseCodes;
import static io.pushgate.testsupport.JsonWebSocket.op;

import io.pushgate.testsupport.JsonWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rolling update: the gateway receiving SIGTERM closes its clients with the reconnect code
 * (4000); a client reconnecting to the other replica with its last seq misses nothing.
 */
class GracefulShutdownIT extends TwoReplicas {




    @Test
    void sigtermSendsTheReconnectCodeAndTheOtherReplicaFillsTheGap() throws Exception {
        String room = "chat/rolling";
        try (JsonWebSocket writer = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            writer.call(op("add", "topic", room, "spec", Map.of("type", "TIME_SERIES", "eventType", "STRING")));
            writer.call(op("append", "topic", room, "value", "before"));

            JsonWebSocket onA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
            onA.call(op("subscribe", "selector", room));
            long lastSeen = onA.awaitType("event").path("event").path("seq").asLong();

            a.stop();
            int[] code = onA.closed().get(15, TimeUnit.SECONDS);
            assertThat(code[0]).isEqualTo(CloseCodes.SHUTDOWN);
            assertThat(CloseCodes.shouldReconnect(code[0])).isTrue();

            for (int i = 0; i < 20; i++) {
                writer.call(op("append", "topic", room, "value", "during " + i));
            }
            try (JsonWebSocket onB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
                onB.call(op("subscribe", "selector", room, "since", Map.of(room, lastSeen)));
                List<Long> seqs = new ArrayList<>();
                while (seqs.size() < 20) {
                    JsonNode m = onB.await(n -> n.path("type").asText().equals("event") || n.path("type").asText().equals("gap"), Duration.ofSeconds(10));
                    assertThat(m.path("type").asText()).isEqualTo("event");
                    seqs.add(m.path("event").path("seq").asLong());
                }
                for (int i = 0; i < 20; i++) {
                    assertThat(seqs.get(i)).isEqualTo(lastSeen + 1 + i);
                }
            }
        }
    }

}
