package io.pushgate.gateway.timeseries;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The port to the stored events of time series topics, for late joiners, recovery after a
 * reconnect, and range queries. Events come back in seq order.
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
