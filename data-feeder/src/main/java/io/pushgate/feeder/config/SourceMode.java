package io.pushgate.feeder.config;

/** Where the feeder takes its prices from ({@code feeder.source}). */
public enum SourceMode {
    /** Coinbase's public spot prices (no key), normalised into CoinDesk's BPI document shape. */
    COINBASE,
    /** A URL that answers CoinDesk's BPI format ({@code .../v1/bpi/currentprice.json}), read as is. */
    COINDESK,
    /** Recorded documents shipped with the module, marked {@code "source":"replay"}. */
    REPLAY,
    /** Coinbase when it answers at start, replay otherwise: what the run script uses, so a demo works offline. */
    AUTO
}
