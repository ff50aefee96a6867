package io.pushgate.backend.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.gateway.MemoryGateway;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.support.StreamId;
import io.pushgate.protocol.ErrorCode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publisher against a gateway in memory: what is written, and that no history event is lost or doubled. */
class PricePublisherTest {

    static final PriceTopics TOPICS = new PriceTopics("prices/btc", "prices/btc/raw", "prices/btc/history", "limit 10000", "USD");
    static final Instant T0 = Instant.parse("2026-11-22T20:00:00Z");
    static final BpiParser PARSER = new BpiParser();

    private final MemoryGateway gateway = new MemoryGateway();
    private PricePublisher publisher = new PricePublisher(TOPICS);

    /** The n-th price: pipeline entry n-0, input entry 100n-0, taken at T0 + 10n s. */
    static PriceUpdate price(int n, String usd) {
        return price(n, 100L * n, T0.plusSeconds(10L * n), usd);
    }

    static PriceUpdate price(int n, long sourceId, Instant time, String usd) {
        String doc = "{\"time\":{\"updatedISO\":\"" + time.toString().replace("Z", "+00:00") + "\"},\"disclaimer\":\"d\","
                + "\"bpi\":{\"USD\":{\"code\":\"USD\",\"rate_float\":" + usd + "},\"EUR\":{\"code\":\"EUR\",\"rate_float\":1.5}},\"source\":\"coindesk\"}";
        return new PriceUpdate(new BridgeEntry(new StreamId(n, 0), "stream", "prices.btc.stream", new StreamId(sourceId, 0), doc, T0), PARSER.parse(doc));
    }

    private List<BigDecimal> history() {
        return gateway.eventValues(TOPICS.history()).stream().map(JsonNode::decimalValue).toList();
    }

    private JsonNode published() {
        return gateway.topics.get(TOPICS.price()).value();
    }

    @Test
    void writesTheHistoryTheRawDocumentAndThePriceWithItsChange() {
        assertThat(publisher.publish(gateway, price(1, "43000.5"))).isEqualTo(PricePublisher.Outcome.PUBLISHED);
        assertThat(publisher.publish(gateway, price(2, "43123.45"))).isEqualTo(PricePublisher.Outcome.PUBLISHED);

        assertThat(history()).containsExactly(new BigDecimal("43000.5"), new BigDecimal("43123.45"));
        assertThat(gateway.topics.get(TOPICS.history()).spec().toString())
                .isEqualTo("{\"type\":\"TIME_SERIES\",\"eventType\":\"DOUBLE\",\"properties\":{\"TIME_SERIES_RETAINED_RANGE\":\"limit 10000\"}}");
        assertThat(gateway.topics.get(TOPICS.raw()).value().path("disclaimer").asText()).isEqualTo("d");
        JsonNode doc = published();
        assertThat(doc.has("disclaimer")).isFalse();
        assertThat(doc.path("bpi").path("USD").path("rate_float").decimalValue()).isEqualByComparingTo("43123.45");
        assertThat(doc.path("change").toString()).isEqualTo("{\"currency\":\"USD\",\"previous\":43000.5,\"absolute\":122.95,\"percent\":0.2859}");
        assertThat(doc.path("pipeline").toString()).isEqualTo("{\"id\":\"2-0\",\"channel\":\"prices.btc.stream\",\"sourceId\":\"200-0\",\"historySeq\":2}");
        // order: the history first, prices/btc last (its checkpoint says all three were written)
        assertThat(gateway.calls.subList(gateway.calls.size() - 3, gateway.calls.size()))
                .containsExactly("append prices/btc/history", "set prices/btc/raw", "set prices/btc");
    }

    @Test
    void theFirstPriceEverHasNoPrevious() {
        publisher.publish(gateway, price(1, "43000.5"));
        assertThat(published().path("change").path("previous").isNull()).isTrue();
    }

    @Test
    void skipsAnEntryReadAgainAfterARestart() {
        publisher.publish(gateway, price(1, "1"));
        publisher.publish(gateway, price(2, "2"));
        PricePublisher restarted = new PricePublisher(TOPICS);
        assertThat(restarted.publish(gateway, price(1, "1"))).isEqualTo(PricePublisher.Outcome.DUPLICATE);
        assertThat(restarted.publish(gateway, price(2, "2"))).isEqualTo(PricePublisher.Outcome.DUPLICATE);
        assertThat(restarted.publish(gateway, price(3, "3"))).isEqualTo(PricePublisher.Outcome.PUBLISHED);
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(1, 2, 3);
        assertThat(published().path("change").path("previous").decimalValue()).isEqualByComparingTo("2");
    }

    @Test
    void skipsTheSameInputEntryForwardedTwiceByTheBridge() {
        publisher.publish(gateway, price(1, 100, T0.plusSeconds(10), "1"));
        assertThat(publisher.publish(gateway, price(2, 100, T0.plusSeconds(10), "1"))).isEqualTo(PricePublisher.Outcome.DUPLICATE);
        assertThat(history()).hasSize(1);
    }

    @Test
    void skipsADocumentTheFeederPublishedTwiceAndAStaleOne() {
        publisher.publish(gateway, price(1, 100, T0.plusSeconds(10), "1"));
        // the same document again, as a new input entry (the feeder's publish whose answer was lost)
        assertThat(publisher.publish(gateway, price(2, 200, T0.plusSeconds(10), "1"))).isEqualTo(PricePublisher.Outcome.DUPLICATE);
        // an older document
        assertThat(publisher.publish(gateway, price(3, 300, T0, "0.5"))).isEqualTo(PricePublisher.Outcome.STALE);
        // same time, other prices: a new price
        assertThat(publisher.publish(gateway, price(4, 400, T0.plusSeconds(10), "1.1"))).isEqualTo(PricePublisher.Outcome.PUBLISHED);
        assertThat(history()).extracting(BigDecimal::doubleValue).containsExactly(1.0, 1.1);
    }

    @Test
    void anAppendWhoseAnswerWasLostIsNotRepeated() {
        publisher.publish(gateway, price(1, "1"));
        PriceUpdate second = price(2, "2");
        gateway.failNext("append", MemoryGateway.lost(), true);
        assertThatThrownBy(() -> publisher.publish(gateway, second)).isInstanceOf(GatewayException.class);
        assertThat(publisher.publish(gateway, second)).isEqualTo(PricePublisher.Outcome.PUBLISHED);
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(1, 2);
        assertThat(published().path("pipeline").path("historySeq").asLong()).isEqualTo(2);
    }

    @Test
    void anAppendThatFailedInDoubtWithoutHappeningIsMade() {
        publisher.publish(gateway, price(1, "1"));
        PriceUpdate second = price(2, "2");
        gateway.failNext("append", MemoryGateway.lost(), false);
        assertThatThrownBy(() -> publisher.publish(gateway, second)).isInstanceOf(GatewayException.class);
        publisher.publish(gateway, second);
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(1, 2);
    }

    @Test
    void theSamePriceTwiceInARowIsTwoEventsEvenWhenAnAppendWasInDoubt() {
        publisher.publish(gateway, price(1, "5"));
        PriceUpdate same = price(2, "5");   // same USD price, a later document
        gateway.failNext("append", MemoryGateway.lost(), false);
        assertThatThrownBy(() -> publisher.publish(gateway, same)).isInstanceOf(GatewayException.class);
        publisher.publish(gateway, same);
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(5, 5);
    }

    @Test
    void aFailureAfterTheAppendGoesOnWithoutAppendingAgain() {
        publisher.publish(gateway, price(1, "1"));
        PriceUpdate second = price(2, "2");
        gateway.failNext("set", MemoryGateway.away(), false);
        assertThatThrownBy(() -> publisher.publish(gateway, second)).isInstanceOf(GatewayException.class);
        publisher.publish(gateway, second);
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(1, 2);
        assertThat(published().path("bpi").path("USD").path("rate_float").intValue()).isEqualTo(2);
    }

    @Test
    void aCrashBetweenTheAppendAndTheLastWriteIsRecognisedAtStart() {
        publisher.publish(gateway, price(1, "1"));
        // the service dies after appending price 2's event, before setting prices/btc
        PriceUpdate second = price(2, "2");
        gateway.failNext("set", MemoryGateway.away(), false);
        assertThatThrownBy(() -> publisher.publish(gateway, second)).isInstanceOf(GatewayException.class);

        PricePublisher restarted = new PricePublisher(TOPICS);
        assertThat(restarted.publish(gateway, price(2, "2"))).isEqualTo(PricePublisher.Outcome.PUBLISHED);
        restarted.publish(gateway, price(3, "3"));
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(1, 2, 3);
        assertThat(published().path("pipeline").path("historySeq").asLong()).isEqualTo(3);
        assertThat(published().path("change").path("previous").intValue()).isEqualTo(2);
    }

    @Test
    void startsCleanWithAHistoryButNoPriceDocument() {
        gateway.add(TOPICS.history(), TOPICS.historySpec());
        gateway.append(TOPICS.history(), new com.fasterxml.jackson.databind.node.DecimalNode(new BigDecimal("7")));
        publisher.publish(gateway, price(1, "7"));
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(7, 7);
    }

    @Test
    void addsTheHistoryAgainWhenItWasRemoved() {
        publisher.publish(gateway, price(1, "1"));
        gateway.topics.remove(TOPICS.history());
        assertThatThrownBy(() -> publisher.publish(gateway, price(2, "2"))).isInstanceOf(GatewayException.class)
                .extracting(e -> ((GatewayException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(publisher.recovered()).isFalse();
        publisher.publish(gateway, price(2, "2"));
        assertThat(history()).extracting(BigDecimal::intValue).containsExactly(2);
    }

    @Test
    void usesAHistoryThatExistsWithOtherPropertiesButRefusesAnotherType() {
        gateway.add(TOPICS.history(), io.pushgate.protocol.Json.parse("{\"type\":\"TIME_SERIES\",\"eventType\":\"DOUBLE\"}"));
        publisher.publish(gateway, price(1, "1"));
        assertThat(history()).hasSize(1);

        MemoryGateway other = new MemoryGateway();
        other.add(TOPICS.history(), io.pushgate.protocol.Json.parse("\"JSON\""));
        PricePublisher p = new PricePublisher(TOPICS);
        assertThatThrownBy(() -> p.publish(other, price(1, "1"))).isInstanceOf(GatewayException.class)
                .hasMessageContaining("not a time series of DOUBLE");
    }

    @Test
    void aDocumentWithoutTheCurrencyIsInvalid() {
        String doc = "{\"bpi\":{\"EUR\":{\"rate_float\":1}}}";
        PriceUpdate update = new PriceUpdate(new BridgeEntry(new StreamId(1, 0), "stream", "prices.btc.stream", null, doc, null), PARSER.parse(doc));
        assertThatThrownBy(() -> publisher.publish(gateway, update)).isInstanceOf(GatewayException.class)
                .extracting(e -> ((GatewayException) e).code()).isEqualTo(ErrorCode.INVALID);
    }
}
