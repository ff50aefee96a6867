package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bandwidth figures of the delta formats: 1,000 changes to a CoinDesk-shaped document
 * (prices and times change, the rest stays), received by one subscriber per format through
 * the real gateway. Each subscriber applies what it gets and must end with exactly what fetch
 * returns; the byte counts go to {@code target/delta-bandwidth.txt} and the log.
 */
@QuarkusTest
class DeltaBandwidthTest extends GatewayTestBase {

    private static final int UPDATES = 1000;

    @Test
    void fossilDeltasCostAFractionOfWholeValues() throws IOException {
        String path = unique("bandwidth") + "/btc";
        Random random = new Random(7);
        double usd = 43_000;
        Instant time = Instant.parse("2026-11-22T20:00:00Z");
        JsonWebSocket publisher = connect();
        publisher.call(op("set", "topic", path, "value", coindesk(usd, time), "spec", Map.of("type", "JSON")));

        Map<String, JsonWebSocket> subscribers = new LinkedHashMap<>();
        for (String format : new String[] {"none", "json-patch", "fossil"}) {
            JsonWebSocket ws = connect("delta=" + format);
            ws.call(op("subscribe", "selector", path));
            subscribers.put(format, ws);
        }
        Map<String, State> states = new LinkedHashMap<>();
        subscribers.forEach((format, ws) -> states.put(format, new State(ws.await(m -> m.path("type").asText().equals("value"), Duration.ofSeconds(10)))));

        for (int i = 0; i < UPDATES; i++) {
            usd = Math.max(1000, usd + random.nextGaussian() * 25);
            time = time.plusSeconds(10);
            publisher.request(op("set", "topic", path, "value", coindesk(usd, time)));
        }
        JsonNode lastReply = publisher.await(m -> m.path("seq").asLong() == UPDATES + 1 || m.path("type").asText().equals("error"), Duration.ofSeconds(30));
        assertThat(lastReply.path("type").asText()).as("last reply %s", lastReply).isEqualTo("ok");
        JsonNode expected = null;
        StringBuilder report = new StringBuilder("bytes received by one subscriber for " + UPDATES
                + " updates of a CoinDesk-shaped document (value and delta messages, UTF-8):\n");
        long wholeValues = 0;
        for (Map.Entry<String, JsonWebSocket> e : subscribers.entrySet()) {
            State state = states.get(e.getKey());
            while (state.seq < UPDATES + 1) {
                JsonNode m = e.getValue().await(n -> n.has("seq"), Duration.ofSeconds(20));
                state.apply(m);
            }
            if (expected == null) {
                expected = publisher.call(op("fetch", "selector", path)).path("results").get(0).path("value");
            }
            assertThat(state.current()).as("%s subscriber holds what fetch returns", e.getKey()).isEqualTo(expected);
            if (e.getKey().equals("none")) {
                wholeValues = state.bytes;
            }
            report.append(String.format(Locale.ROOT, "  %-10s %9d bytes  %6.1f bytes/update  %5.1f%% of whole values  (%d deltas, %d values)%n",
                    e.getKey(), state.bytes, state.bytes / (double) UPDATES, 100.0 * state.bytes / Math.max(1, wholeValues),
                    state.deltas, state.values));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "delta-bandwidth.txt"), report.toString());
        assertThat(states.get("fossil").bytes).isLessThan(states.get("none").bytes / 2);
        assertThat(states.get("fossil").deltas).isGreaterThan(UPDATES / 2);
    }

    /** What one subscriber holds: the text (fossil) or JSON (others) after applying each message. */
    private static final class State {
        long seq;
        long bytes;
        int deltas;
        int values;
        String text;
        JsonNode json;

        State(JsonNode firstValue) {
            apply(firstValue);
            bytes = 0;
            values = 0;
        }

        void apply(JsonNode m) {
            bytes += Json.write(m).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            long next = m.path("seq").asLong();
            assertThat(next).isGreaterThan(seq);
            if (m.path("type").asText().equals("value")) {
                values++;
                if (m.has("text")) {
                    text = m.path("text").asText();
                    json = null;
                } else {
                    json = m.path("value");
                }
            } else {
                deltas++;
                assertThat(next).isEqualTo(seq + 1);
                if (m.has("delta")) {
                    text = FossilDelta.applyText(text, m.path("delta").asText());
                } else {
                    json = JsonPatchDelta.apply(m.path("patch"), json);
                }
            }
            seq = next;
        }

        JsonNode current() {
            return json != null ? json : Json.parse(text);
        }
    }

    static Map<String, Object> coindesk(double usd, Instant time) {
        DateTimeFormatter updated = DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm:ss 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        DateTimeFormatter uk = DateTimeFormatter.ofPattern("MMM d, yyyy 'at' HH:mm 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", Map.of("updated", updated.format(time), "updatedISO", time.toString().replace("Z", "+00:00"), "updateduk", uk.format(time)));
        doc.put("disclaimer", "This data was produced from the CoinDesk Bitcoin Price Index (USD). Non-USD currency data converted using hourly conversion rate from openexchangerates.org");
        doc.put("chartName", "Bitcoin");
        Map<String, Object> bpi = new LinkedHashMap<>();
        bpi.put("USD", currency("USD", "&#36;", "United States Dollar", usd));
        bpi.put("GBP", currency("GBP", "&pound;", "British Pound Sterling", usd * 0.79));
        bpi.put("EUR", currency("EUR", "&euro;", "Euro", usd * 0.92));
        doc.put("bpi", bpi);
        return doc;
    }

    private static Map<String, Object> currency(String code, String symbol, String description, double rate) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("code", code);
        c.put("symbol", symbol);
        c.put("rate", String.format(Locale.US, "%,.4f", rate));
        c.put("description", description);
        c.put("rate_float", Math.round(rate * 10000) / 10000.0);
        return c;
    }
}
