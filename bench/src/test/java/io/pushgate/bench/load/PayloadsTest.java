package io.pushgate.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void a_payload_is_json_of_exactly_the_size() {
        byte[] p = Payloads.json(1_234_567_890_123L, 17, 128);
        assertThat(p).hasSize(128);
        String text = new String(p, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("{\"t\":1234567890123,\"k\":17,\"p\":\"abc").endsWith("\"}");
        assertThat(io.pushgate.protocol.Json.parse(text).get("k").asInt()).isEqualTo(17);
    }

    @Test
    void fields_are_found_inside_any_envelope() {
        String payload = new String(Payloads.json(987_654_321L, 5, 128), StandardCharsets.US_ASCII);
        for (String envelope : new String[] {
                "{\"type\":\"value\",\"tid\":3,\"seq\":12,\"value\":" + payload + "}",
                "42[\"msg\"," + payload + "]",
                payload}) {
            Buffer b = Buffer.buffer(envelope);
            assertThat(Payloads.sendTime(b, 0, b.length())).as(envelope).isEqualTo(987_654_321L);
            assertThat(Payloads.stepKey(b, 0, b.length())).isEqualTo(5);
            int at = Payloads.payloadAt(b, 0, b.length());
            assertThat(envelope.substring(at - 1)).as("the payload starts one byte before its first field").startsWith(payload);
            assertThat(Payloads.sendTime(b, at, b.length())).isEqualTo(987_654_321L);
            assertThat(Payloads.stepKey(b, at, b.length())).isEqualTo(5);
        }
    }

    @Test
    void negative_keys_and_missing_fields() {
        Buffer b = Buffer.buffer(Payloads.json(1, -1, 64));
        assertThat(Payloads.stepKey(b, 0, b.length())).isEqualTo(-1);
        Buffer other = Buffer.buffer("{\"type\":\"subscription\",\"topic\":\"bench/x\",\"tid\":1}");
        assertThat(Payloads.sendTime(other, 0, other.length())).isEqualTo(Long.MIN_VALUE);
        assertThat(Payloads.stepKey(other, 0, other.length())).isEqualTo(Long.MIN_VALUE);
        assertThat(Payloads.payloadAt(other, 0, other.length())).isEqualTo(-1);
    }

    @Test
    void the_probe_counts_only_measured_messages_before_the_deadline() {
        Probe probe = new Probe();
        probe.reset(13);
        Buffer warm = Buffer.buffer(Payloads.json(System.nanoTime(), 12, 128));
        Buffer measured = Buffer.buffer(Payloads.json(System.nanoTime(), 13, 128));
        Buffer old = Buffer.buffer(Payloads.json(System.nanoTime(), 11, 128));
        probe.received(warm, 0, warm.length());
        probe.received(measured, 0, measured.length());
        probe.received(old, 0, old.length());
        assertThat(probe.onTime()).isEqualTo(1);
        assertThat(probe.warm()).isEqualTo(1);
        assertThat(probe.histogram().count()).isEqualTo(1);
        probe.deadline(System.nanoTime() - 1);
        probe.received(measured, 0, measured.length());
        assertThat(probe.late()).isEqualTo(1);
        assertThat(probe.total()).isEqualTo(4);
    }
}
