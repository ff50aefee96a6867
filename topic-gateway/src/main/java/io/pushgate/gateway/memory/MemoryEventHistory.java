package io.pushgate.gateway.memory;

import io.pushgate.gateway.timeseries.EditsView;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.timeseries.RangeQuery;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The events of the {@link MemoryTopicStore}'s time series, read as {@code redis.RedisEventHistory} reads its streams. */
public final class MemoryEventHistory implements EventHistory {

    private final MemoryTopicStore store;

    public MemoryEventHistory(MemoryTopicStore store) {
        this.store = store;
    }

    @Override
    public CompletionStage<List<TimeSeriesEvent>> after(String path, long afterSeq, int max) {
        List<TimeSeriesEvent> out = new ArrayList<>();
        for (TimeSeriesEvent e : store.events(path)) {
            if (e.seq() > afterSeq && out.size() < max) {
                out.add(e);
            }
        }
        return done(out);
    }

    @Override
    public CompletionStage<List<TimeSeriesEvent>> last(String path, int count, long upToSeq) {
        if (upToSeq <= 0 || count <= 0) {
            return done(new ArrayList<>());
        }
        return done(lastOf(upTo(store.events(path), upToSeq), count));
    }

    @Override
    public CompletionStage<Long> oldestSeq(String path) {
        List<TimeSeriesEvent> events = store.events(path);
        return CompletableFuture.completedFuture(events.isEmpty() ? 0L : events.get(0).seq());
    }

    @Override
    public CompletionStage<List<TimeSeriesEvent>> range(String path, RangeQuery query) {
        List<TimeSeriesEvent> events = store.events(path);
        if (query.fromLast() != null) {
            List<TimeSeriesEvent> upTo = query.to() == null ? events : upTo(events, query.to());
            // The last originals, each with its latest edit (every edit is newer than its original, so within upTo).
            return done(lastOf(query.view() == RangeQuery.View.EDITS ? upTo : EditsView.latestValues(upTo), query.limit()));
        }
        long from = query.from() != null ? query.from() : firstSeqAtOrAfter(events, query.fromTime().toEpochMilli());
        List<TimeSeriesEvent> out = new ArrayList<>();
        List<TimeSeriesEvent> candidates = query.view() == RangeQuery.View.EDITS ? events : EditsView.latestValues(fromSeq(events, from));
        for (TimeSeriesEvent e : candidates) {
            if (e.seq() >= from && (query.to() == null || e.seq() <= query.to())) {
                out.add(e);
                if (out.size() >= query.limit()) {
                    break;
                }
            }
        }
        return done(out);
    }

    /** The seq of the first retained event stored at or after a time; past the last, the seq after it (1 when empty). */
    private static long firstSeqAtOrAfter(List<TimeSeriesEvent> events, long millis) {
        for (TimeSeriesEvent e : events) {
            if (e.timeMillis() >= millis) {
                return e.seq();
            }
        }
        return events.isEmpty() ? 1 : events.get(events.size() - 1).seq() + 1;
    }

    private static List<TimeSeriesEvent> upTo(List<TimeSeriesEvent> events, long seq) {
        return events.stream().filter(e -> e.seq() <= seq).toList();
    }

    private static List<TimeSeriesEvent> fromSeq(List<TimeSeriesEvent> events, long seq) {
        return events.stream().filter(e -> e.seq() >= seq).toList();
    }

    private static List<TimeSeriesEvent> lastOf(List<TimeSeriesEvent> events, int count) {
        return new ArrayList<>(events.subList(Math.max(0, events.size() - count), events.size()));
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
