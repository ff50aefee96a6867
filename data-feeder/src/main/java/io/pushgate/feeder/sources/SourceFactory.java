package io.pushgate.feeder.sources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.feeder.config.FeederConfig;
import io.pushgate.feeder.config.SourceMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Builds the source {@code feeder.source} names; for {@code auto}, asks Coinbase once and falls back to replay. */
@ApplicationScoped
public class SourceFactory {

    private static final Logger LOG = Logger.getLogger(SourceFactory.class);

    private final FeederConfig config;
    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();

    public SourceFactory(FeederConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    /** The source to poll; in {@code auto} mode this makes one request to Coinbase, so it may take up to the HTTP timeout. */
    public PriceSource create() {
        SourceMode mode = config.source();
        return switch (mode) {
            case COINBASE -> coinbase();
            case COINDESK -> coindesk();
            case REPLAY -> replay();
            case AUTO -> chooseLiveOrReplay(coinbase(), this::replay);
        };
    }

    /**
     * {@code live} when one fetch from it succeeds now, the fallback otherwise. Decided once, at
     * start: switching sources mid-run would mix live and replayed prices in one stream.
     */
    public static PriceSource chooseLiveOrReplay(PriceSource live, Supplier<PriceSource> fallback) {
        try {
            live.fetch();
            LOG.infof("feeder.source=auto: %s answered, polling live prices", live.name());
            return live;
        } catch (Exception e) {
            LOG.warnf("feeder.source=auto: %s did not answer (%s), replaying recorded prices marked \"source\":\"replay\"",
                    live.name(), e.toString());
            return fallback.get();
        }
    }

    private HttpFetcher http() {
        return new HttpFetcher(config.http().connectTimeout(), config.http().timeout());
    }

    private PriceSource coinbase() {
        URI base = config.url().orElse(CoinbaseSource.DEFAULT_BASE);
        return new CoinbaseSource(http(), new CoinbaseSpotParser(mapper), base, clock);
    }

    private PriceSource coindesk() {
        URI url = config.url().orElseThrow(() -> new IllegalStateException(
                "feeder.source=coindesk needs feeder.url (a CoinDesk-format currentprice.json URL)"));
        return new CoindeskSource(http(), new CoindeskParser(mapper), url);
    }

    private PriceSource replay() {
        return new ReplaySource(ReplayFile.load(mapper, config.replay().resource()), clock);
    }
}
