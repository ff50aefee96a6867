package io.pushgate.feeder.sources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;

/**
 * Plays recorded documents in order, one per fetch, and starts again after the last.
 * Each one goes out with its {@code time} rewritten to now, so clients that show "updated"
 * behave as with live data, and with {@code "source":"replay"}, so nobody takes it for live data.
 */
public class ReplaySource implements PriceSource {

    public static final String SOURCE = "replay";

    private final List<PriceDocument> recorded;
    private final Clock clock;
    private int next;

    public ReplaySource(List<PriceDocument> recorded, Clock clock) {
        if (recorded.isEmpty()) {
            throw new IllegalArgumentException("nothing to replay");
        }
        this.recorded = List.copyOf(recorded);
        this.clock = clock;
    }

    @Override
    public String name() {
        return SOURCE;
    }

    @Override
    public synchronized PriceDocument fetch() {
        ObjectNode doc = recorded.get(next).json().deepCopy();
        next = (next + 1) % recorded.size();
        BpiDocuments.rewriteTime(doc, clock.instant());
        doc.put(BpiDocuments.SOURCE, SOURCE);
        return PriceDocument.of(doc);
    }

    /** How many documents one loop plays. */
    public int size() {
        return recorded.size();
    }
}
