package io.pushgate.gateway.timeseries;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The port to the stored events of time series topics, for late joiners, recovery after a
 * reconnect, and range queries. Implementations: {@code redis.RedisEventHistory} (the topics'
 * streams), {@code memory.MemoryEventHistory}; the events are written by the topic store's appends.
 *
 * <p>Guarantees: events come back in seq order, with the seqs, times, authors and values the
 * append stored (an edit with the seq of the original it edits); an acknowledged append is found
 * by every read that starts after it; times never decrease as seqs grow (ranges from a time rely on
 * it); only the retained range ({@code TIME_SERIES_RETAINED_RANGE}) is kept. Failures complete the
 * stage with a {@code ProtocolException} ({@code UNAVAILABLE} when the store cannot be reached).
 */
public interface EventHistory {

    /** Events with seq greater than {@code afterSeq}, oldest first, at most {@code max}. */
    CompletionStage<List<TimeSeriesEvent>> after(String path, long afterSeq, int max);

    /**
     * The last {@code count} events with a seq of at most {@code upToSeq} (originals and edits
     * as stored), oldest first. The bound is what a new subscriber had seen when it subscribed:
     * events after it reach the subscriber live, so they must not also come from this read.
     */
    CompletionStage<List<TimeSeriesEvent>> last(String path, int count, long upToSeq);

    /** The seq of the oldest event still retained, or 0 when the series is empty. */
    CompletionStage<Long> oldestSeq(String path);

    /** A range query; the result is already shaped by its view. */
    CompletionStage<List<TimeSeriesEvent>> range(String path, RangeQuery query);
}
