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

    /** The last {@code count} events (originals and edits as stored), oldest first. */
    CompletionStage<List<TimeSeriesEvent>> last(String path, int count);

    /** The seq of the oldest event still retained, or 0 when the series is empty. */
    CompletionStage<Long> oldestSeq(String path);

    /** A range query; the result is already shaped by its view. */
    CompletionStage<List<TimeSeriesEvent>> range(String path, RangeQuery query);
}
