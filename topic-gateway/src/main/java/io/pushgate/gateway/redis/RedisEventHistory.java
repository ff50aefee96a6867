package io.pushgate.gateway.redis;

import io.pushgate.gateway.timeseries.EditsView;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.timeseries.RangeQuery;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.TopicType;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;

/**
 * Time series events from their Redis streams. Stream ids are {@code <seq>-0}, so a range by
 * seq is one XRANGE; a start time is found by a binary search over seqs (times grow with seqs:
 * they come from the one Redis clock, inside the append script).
 */
public final class RedisEventHistory implements EventHistory {

    private static final int BATCH = 1000;
    /** Events read at most to apply edits to a range (retention bounds a stream anyway). */
    private static final int MAX_SCAN = 200_000;

    private final Redis redis;
    private final RedisKeys keys;
    private final TopicTree tree;

    public RedisEventHistory(Redis redis, String keyPrefix, int shards, TopicTree tree) {
        this.redis = redis;
        this.keys = new RedisKeys(keyPrefix, shards);
        this.tree = tree;
    }

    @Override
    public CompletionStage<List<TimeSeriesEvent>> after(String path, long afterSeq, int max) {
        return RedisTopicStore.stage(xrange(path, (afterSeq + 1) + "-0", "+", max));
    }

    @Override
    public CompletionStage<List<TimeSeriesEvent>> last(String path, int count, long upToSeq) {
        if (upToSeq <= 0 || count <= 0) {
            return CompletableFuture.completedFuture(new ArrayList<>());
        }
        return RedisTopicStore.stage(xrevrange(path, upToSeq + "-0", "-", count).map(events -> {
            Collections.reverse(events);
            return events;
        }));
    }

    @Override
    public CompletionStage<Long> oldestSeq(String path) {
        return RedisTopicStore.stage(xrange(path, "-", "+", 1).map(events -> events.isEmpty() ? 0L : events.get(0).seq()));
    }

    @Override
    public CompletionStage<List<TimeSeriesEvent>> range(String path, RangeQuery query) {
        Future<List<TimeSeriesEvent>> result;
        if (query.fromLast() != null) {
            result = query.view() == RangeQuery.View.EDITS
                    ? xrevrange(path, query.to() == null ? "+" : query.to() + "-0", "-", query.limit()).map(RedisEventHistory::reversed)
                    : lastOriginals(path, query, new ArrayList<>(), query.to() == null ? "+" : query.to() + "-0");
        } else {
            Future<Long> start = query.from() != null ? Future.succeededFuture(query.from()) : firstSeqAtOrAfter(path, query.fromTime().toEpochMilli());
            result = start.compose(from -> query.view() == RangeQuery.View.EDITS
                    ? xrange(path, from + "-0", query.to() == null ? "+" : query.to() + "-0", query.limit())
                    : scanForward(path, from + "-0", new ArrayList<>()).map(all -> limitOriginals(EditsView.latestValues(all), from, query)));
        }
        return RedisTopicStore.stage(result);
    }

    /** Backwards from the end until enough originals: every edit of them is newer, so already read. */
    private Future<List<TimeSeriesEvent>> lastOriginals(String path, RangeQuery query, List<TimeSeriesEvent> newestFirst, String end) {
        return xrevrange(path, end, "-", BATCH).compose(batch -> {
            newestFirst.addAll(batch);
            long originals = newestFirst.stream().filter(e -> !e.isEdit()).count();
            if (originals >= query.limit() || batch.size() < BATCH || newestFirst.size() >= MAX_SCAN) {
                List<TimeSeriesEvent> values = EditsView.latestValues(reversed(newestFirst));
                return Future.succeededFuture(values.subList(Math.max(0, values.size() - query.limit()), values.size()));
            }
            long oldest = batch.get(batch.size() - 1).seq();
            return lastOriginals(path, query, newestFirst, "(" + oldest + "-0");
        });
    }

    private Future<List<TimeSeriesEvent>> scanForward(String path, String start, List<TimeSeriesEvent> acc) {
        return xrange(path, start, "+", BATCH).compose(batch -> {
            acc.addAll(batch);
            if (batch.size() < BATCH || acc.size() >= MAX_SCAN) {
                return Future.succeededFuture(acc);
            }
            return scanForward(path, "(" + batch.get(batch.size() - 1).seq() + "-0", acc);
        });
    }

    private static List<TimeSeriesEvent> limitOriginals(List<TimeSeriesEvent> values, long from, RangeQuery query) {
        List<TimeSeriesEvent> out = new ArrayList<>();
        for (TimeSeriesEvent e : values) {
            if (e.seq() >= from && (query.to() == null || e.seq() <= query.to())) {
                out.add(e);
                if (out.size() >= query.limit()) {
                    break;
                }
            }
        }
        return out;
    }

    /** The seq of the first retained event stored at or after a time: a binary search over seqs. */
    private Future<Long> firstSeqAtOrAfter(String path, long millis) {
        return xrange(path, "-", "+", 1).compose(first -> xrevrange(path, "+", "-", 1).compose(last -> {
            if (first.isEmpty() || last.get(0).timeMillis() < millis) {
                return Future.succeededFuture(last.isEmpty() ? 1L : last.get(0).seq() + 1);
            }
            return search(path, first.get(0).seq(), last.get(0).seq(), millis);
        }));
    }

    private Future<Long> search(String path, long low, long high, long millis) {
        if (low >= high) {
            return Future.succeededFuture(low);
        }
        long mid = low + (high - low) / 2;
        return xrange(path, mid + "-0", "+", 1).compose(events -> {
            TimeSeriesEvent e = events.get(0);
            return e.timeMillis() >= millis ? search(path, low, Math.min(e.seq(), mid), millis) : search(path, e.seq() + 1, high, millis);
        });
    }

    private Future<List<TimeSeriesEvent>> xrange(String path, String start, String end, int count) {
        return redis.send(Request.cmd(Command.XRANGE).arg(keys.stream(path)).arg(start).arg(end).arg("COUNT").arg(count))
                .map(r -> toEvents(path, r));
    }

    private Future<List<TimeSeriesEvent>> xrevrange(String path, String end, String start, int count) {
        return redis.send(Request.cmd(Command.XREVRANGE).arg(keys.stream(path)).arg(end).arg(start).arg("COUNT").arg(count))
                .map(r -> toEvents(path, r));
    }

    private List<TimeSeriesEvent> toEvents(String path, Response response) {
        List<TimeSeriesEvent> events = new ArrayList<>();
        if (response == null) {
            return events;
        }
        Topic topic = tree.get(path);
        TopicType type = topic != null && topic.spec().isTimeSeries() ? topic.spec().valueType() : TopicType.JSON;
        for (Response entry : response) {
            String id = entry.get(0).toString();
            long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
            Response fields = entry.get(1);
            long time = 0;
            String author = "anonymous";
            String value = null;
            Long editOf = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String name = fields.get(i).toString();
                String v = fields.get(i + 1).toString();
                switch (name) {
                    case "t" -> time = Long.parseLong(v);
                    case "a" -> author = v;
                    case "v" -> value = v;
                    case "e" -> editOf = Long.parseLong(v);
                    default -> { }
                }
            }
            if (value != null) {
                events.add(new TimeSeriesEvent(seq, time, author, TopicValue.fromText(type, value), editOf));
            }
        }
        return events;
    }

    private static List<TimeSeriesEvent> reversed(List<TimeSeriesEvent> events) {
        List<TimeSeriesEvent> copy = new ArrayList<>(events);
        Collections.reverse(copy);
        return copy;
    }
}
