package io.pushgate.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import io.pushgate.protocol.message.Field;

/**
 * A range query over a time series topic, for {@link PushgateClient#range}: where it starts (the
 * last N events, a seq, or a time), where it ends ({@link #to(long)}, a seq, inclusive), how many
 * events at most ({@link #limit(int)}), and which view (docs/protocol.md, "Time series").
 *
 * <pre>{@code
 * RangeQuery.fromLast(20)                       // the last 20 events
 * RangeQuery.from(100).to(200).limit(50)        // events 100 to 200, at most 50
 * RangeQuery.fromTime(Instant.parse("2026-11-22T20:00:00Z"))
 * RangeQuery.from(1).edits()                    // every event as stored, edits included
 * }</pre>
 *
 * <p>Views: {@link View#VALUES} (the default) gives original events with their latest edit
 * applied, each once at its original seq with no {@code editOf}; {@link View#EDITS} gives every
 * event as stored, originals and edits, in seq order (the gateway requires
 * {@code QUERY_OBSOLETE_TIME_SERIES_EVENTS} for it). The gateway returns at most
 * {@value #MAX_LIMIT} events per query. Immutable.
 */
public final class RangeQuery {

    /** The views of a range query. */
    public enum View {
        /** Original events with their latest edit applied (the default). */
        VALUES,
        /** Every event as stored: originals and edits, in seq order. */
        EDITS
    }

    /** The most events the gateway returns for one query. */
    public static final int MAX_LIMIT = 10_000;

    private final Long fromLast;
    private final Long from;
    private final Instant fromTime;
    private final Long to;
    private final Integer limit;
    private final View view;

    private RangeQuery(Long fromLast, Long from, Instant fromTime, Long to, Integer limit, View view) {
        if (to != null && from != null && from > to) {
            throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
        }
        this.fromLast = fromLast;
        this.from = from;
        this.fromTime = fromTime;
        this.to = to;
        this.limit = limit;
        this.view = view;
    }

    /** The last {@code n} events ({@code fromLast}). */
    public static RangeQuery fromLast(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("fromLast must be positive, got " + n);
        }
        return new RangeQuery(n, null, null, null, null, View.VALUES);
    }

    /** Events from seq {@code seq} on ({@code from}; seqs start at 1). */
    public static RangeQuery from(long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("from must be a seq (1 or more), got " + seq);
        }
        return new RangeQuery(null, seq, null, null, null, View.VALUES);
    }

    /** Events stored at or after {@code time} ({@code fromTime}, sent as ISO-8601 UTC). */
    public static RangeQuery fromTime(Instant time) {
        return new RangeQuery(null, null, Objects.requireNonNull(time, "time"), null, null, View.VALUES);
    }

    /** Up to seq {@code seq}, inclusive ({@code to}). */
    public RangeQuery to(long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("to must be a seq (1 or more), got " + seq);
        }
        return new RangeQuery(fromLast, from, fromTime, seq, limit, view);
    }

    /** At most {@code n} events (1 to {@value #MAX_LIMIT}). */
    public RangeQuery limit(int n) {
        if (n <= 0 || n > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + n);
        }
        return new RangeQuery(fromLast, from, fromTime, to, n, view);
    }

    /** The view of the events; {@link View#VALUES} by default. */
    public RangeQuery view(View v) {
        return new RangeQuery(fromLast, from, fromTime, to, limit, Objects.requireNonNull(v, "view"));
    }

    /** {@code view(View.EDITS)}: every event as stored, edits included. */
    public RangeQuery edits() {
        return view(View.EDITS);
    }

    /** {@code view(View.VALUES)}: original events with their latest edit applied. */
    public RangeQuery values() {
        return view(View.VALUES);
    }

    public View view() {
        return view;
    }

    /** The {@code range} request's fields for this query (without {@code op}, {@code id}, {@code topic}). */
    void writeTo(ObjectNode request) {
        if (fromLast != null) {
            request.put(Field.FROM_LAST, fromLast);
        } else if (from != null) {
            request.put(Field.FROM, from);
        } else {
            request.put(Field.FROM_TIME, fromTime.toString());
        }
        if (to != null) {
            request.put(Field.TO, to);
        }
        if (limit != null) {
            request.put(Field.LIMIT, limit);
        }
        if (view == View.EDITS) {
            request.put(Field.VIEW, "edits");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeQuery q && Objects.equals(fromLast, q.fromLast) && Objects.equals(from, q.from)
                && Objects.equals(fromTime, q.fromTime) && Objects.equals(to, q.to) && Objects.equals(limit, q.limit)
                && view == q.view;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fromLast, from, fromTime, to, limit, view);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RangeQuery[");
        sb.append(fromLast != null ? "fromLast=" + fromLast : from != null ? "from=" + from : "fromTime=" + fromTime);
        if (to != null) {
            sb.append(", to=").append(to);
        }
        if (limit != null) {
            sb.append(", limit=").append(limit);
        }
        return sb.append(", ").append(view).append(']').toString();
    }
}
