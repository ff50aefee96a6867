package io.pushgate.feeder.sources;

import java.net.URI;

/** A URL that answers CoinDesk's BPI format, read as is. */
public class CoindeskSource implements PriceSource {

    private final HttpFetcher http;
    private final CoindeskParser parser;
    private final URI url;

    public CoindeskSource(HttpFetcher http, CoindeskParser parser, URI url) {
        this.http = http;
        this.parser = parser;
        this.url = url;
    }

    @Override
    public String name() {
        return CoindeskParser.SOURCE;
    }

    @Override
    public PriceDocument fetch() throws Exception {
        return parser.parse(http.get(url));
    }
}
