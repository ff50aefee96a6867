package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.feeder.support.FakePriceApi;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP sources against a local API on 127.0.0.1. */
class SourcesOverHttpTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T20:15:00Z"), ZoneOffset.UTC);
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpFetcher http = new HttpFetcher(Duration.ofMillis(500), Duration.ofMillis(300));
    private FakePriceApi api;

    @BeforeEach
    void start() {
        api = FakePriceApi.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void coinbaseAsksForEachCurrencyAndNormalises() throws Exception {
        PriceDocument doc = coinbase().fetch();

        assertThat(doc.prices()).containsEntry("USD", 43123.45).containsEntry("GBP", 34084.79).containsEntry("EUR", 39608.89);
        assertThat(doc.json().path("time").path("updatedISO").asText()).isEqualTo("2026-11-22T20:15:00+00:00");
        assertThat(doc.source()).isEqualTo("coinbase");
        assertThat(api.requests("/v2/prices/")).extracting(FakePriceApi.Request::path).containsExactlyInAnyOrder(
                "/v2/prices/BTC-USD/spot", "/v2/prices/BTC-GBP/spot", "/v2/prices/BTC-EUR/spot");
    }

    @Test
    void coinbaseBaseUrlMayEndWithASlash() {
        CoinbaseSource source = new CoinbaseSource(http, new CoinbaseSpotParser(mapper), URI.create(api.baseUrl() + "/"), CLOCK);

        assertThat(source.spotUri(BpiCurrency.EUR)).hasToString(api.baseUrl() + "/v2/prices/BTC-EUR/spot");
    }

    @Test
    void coindeskUrlIsReadAsIs() throws Exception {
        PriceDocument doc = new CoindeskSource(http, new CoindeskParser(mapper), URI.create(api.coindeskUrl())).fetch();

        assertThat(doc.json().path("time").path("updated").asText()).isEqualTo("Nov 22, 2026 20:15:00 UTC");
        assertThat(doc.source()).isEqualTo("coindesk");
    }

    @Test
    void aServerErrorIsAnApiStatusException() {
        api.mode(FakePriceApi.Mode.FAIL);

        assertThatThrownBy(() -> coinbase().fetch()).isInstanceOf(ApiStatusException.class).hasMessageContaining("500");
    }

    @Test
    void aHangingApiTimesOut() {
        api.mode(FakePriceApi.Mode.HANG);
        long started = System.nanoTime();

        assertThatThrownBy(() -> coinbase().fetch()).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    @Test
    void autoPicksCoinbaseWhenItAnswers() {
        PriceSource chosen = SourceFactory.chooseLiveOrReplay(coinbase(), this::replay);

        assertThat(chosen.name()).isEqualTo("coinbase");
    }

    @Test
    void autoFallsBackToReplayWhenCoinbaseDoesNotAnswer() {
        api.mode(FakePriceApi.Mode.FAIL);

        PriceSource chosen = SourceFactory.chooseLiveOrReplay(coinbase(), this::replay);

        assertThat(chosen.name()).isEqualTo("replay");
    }

    private CoinbaseSource coinbase() {
        return new CoinbaseSource(http, new CoinbaseSpotParser(mapper), URI.create(api.baseUrl()), CLOCK);
    }

    private PriceSource replay() {
        Map<BpiCurrency, BigDecimal> one = Map.of(BpiCurrency.USD, BigDecimal.ONE, BpiCurrency.GBP, BigDecimal.ONE,
                BpiCurrency.EUR, BigDecimal.ONE);
        return new ReplaySource(List.of(PriceDocument.of(CoinbaseNormaliser.normalise(one, CLOCK.instant()))), CLOCK);
    }
}
