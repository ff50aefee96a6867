package io.pushgate.feeder.sources;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Coinbase's public spot prices, one GET per currency, normalised into a BPI document.
 * The three GETs run side by side so a poll takes one round trip, not three.
 */
public class CoinbaseSource implements PriceSource {

    public static final URI DEFAULT_BASE = URI.create("https://api.coinbase.com");

    private final HttpFetcher http;
    private final CoinbaseSpotParser parser;
    private final String base;
    private final Clock clock;

    public CoinbaseSource(HttpFetcher http, CoinbaseSpotParser parser, URI base, Clock clock) {
        this.http = http;
        this.parser = parser;
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.clock = clock;
    }

    @Override
    public String name() {
        return CoinbaseNormaliser.SOURCE;
    }

    /** {@code {base}/v2/prices/BTC-{code}/spot}. */
    public URI spotUri(BpiCurrency currency) {
        return URI.create(base + "/v2/prices/BTC-" + currency.code() + "/spot");
    }

    @Override
    public PriceDocument fetch() throws Exception {
        Map<BpiCurrency, CompletableFuture<BigDecimal>> pending = new EnumMap<>(BpiCurrency.class);
        for (BpiCurrency currency : BpiCurrency.values()) {
            pending.put(currency, http.getAsync(spotUri(currency)).thenApply(body -> parser.parse(body, currency)));
        }
        Map<BpiCurrency, BigDecimal> amounts = new EnumMap<>(BpiCurrency.class);
        for (Map.Entry<BpiCurrency, CompletableFuture<BigDecimal>> entry : pending.entrySet()) {
            amounts.put(entry.getKey(), Futures.await(entry.getValue()));
        }
        return PriceDocument.of(CoinbaseNormaliser.normalise(amounts, clock.instant()));
    }
}
