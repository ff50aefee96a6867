package io.pushgate.feeder.sources;

/**
 * Where documents come from. Called by one poller thread at a time; a call either returns a
 * complete, checked document or throws, and the caller's retries and circuit breaker decide
 * what happens next. Implementations do not retry themselves.
 */
public interface PriceSource {

    /** The {@code source} value on this source's documents: {@code coinbase}, {@code coindesk} or {@code replay}. */
    String name();

    /** The current document. */
    PriceDocument fetch() throws Exception;
}
