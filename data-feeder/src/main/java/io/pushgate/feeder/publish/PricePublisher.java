package io.pushgate.feeder.publish;

import io.pushgate.feeder.sources.PriceDocument;

/**
 * Where new documents go.
 *
 * <p>Guarantees: a call that returns has appended the document to the stream and published it
 * on the channel, both or neither (one Redis transaction), stream first in Redis' order, so a
 * subscriber that reads the stream after a channel message finds that message there. The
 * channel is at most once (a subscriber that is not connected misses it); the stream is the
 * catch-up path, kept to about {@code feeder.stream-maxlen} entries. A call that throws may
 * still have reached Redis (the answer can be lost), so a retried document can appear twice
 * in the stream: consumers that must not double count compare prices or {@code time}.
 */
public interface PricePublisher {

    void publish(PriceDocument document);
}
