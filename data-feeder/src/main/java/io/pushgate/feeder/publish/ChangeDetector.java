package io.pushgate.feeder.publish;

import io.pushgate.feeder.sources.PriceDocument;

/**
 * Remembers the prices last published, so that a poll that finds the same prices publishes
 * nothing: a price API answers the same numbers for a while between trades or cache refreshes,
 * and every copy would cost each subscriber a message. Only prices count; {@code time} changes
 * on every poll.
 */
public class ChangeDetector {

    private volatile PriceDocument lastPublished;

    /** True when {@code document}'s prices differ from the last published ones (or nothing was published yet). */
    public boolean isNew(PriceDocument document) {
        return !document.samePricesAs(lastPublished);
    }

    /** To be called once {@code document} is published, and only then: a failed publish must be retried. */
    public void published(PriceDocument document) {
        lastPublished = document;
    }
}
