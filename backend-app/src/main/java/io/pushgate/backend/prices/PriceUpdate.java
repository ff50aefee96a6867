package io.pushgate.backend.prices;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A price on its way to the gateway: the stream entry it came in, its document, and how far its
 * publication got ({@link PricePublisher} fills these in, so that a retry goes on from there).
 * Used by the writer's one thread only.
 */
public final class PriceUpdate {

    private final BridgeEntry entry;
    private final BpiDocument document;

    /** The seq of its history event once appended (or found appended), else 0. */
    long historySeq;
    boolean rawSet;
    /** The {@code prices/btc} value, computed once (its {@code change} is against the price before it). */
    ObjectNode published;

    public PriceUpdate(BridgeEntry entry, BpiDocument document) {
        this.entry = entry;
        this.document = document;
    }

    public BridgeEntry entry() {
        return entry;
    }

    public BpiDocument document() {
        return document;
    }

    public long historySeq() {
        return historySeq;
    }

    @Override
    public String toString() {
        return "price " + entry.id() + (document.time() != null ? " of " + document.time() : "");
    }
}
