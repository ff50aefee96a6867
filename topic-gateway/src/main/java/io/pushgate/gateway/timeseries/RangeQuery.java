package io.pushgate.gateway.timeseries;

import io.pushgate.protocol.ProtocolException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A range query over a time series: where it starts (the last N events, a seq, or a time),
 * where it ends ({@code to}, a seq, inclusive), how many events at most, and which view.
 *
 * <p>Views (Diffusion's value and edit range queries): {@link View#VALUES}, the default,
 * returns original events with their latest edit applied (each once, at its original seq, with
 * {@code editOf} absent); {@link View#EDITS} returns every event as stored, originals and edits,
 * in seq order, which needs {@code QUERY_OBSOLETE_TIME_SERIES_EVENTS}.
 */
public record RangeQuery(Long fromLast, Long from, Instant fromTime, Long to, int limit, View view) {

    public enum View { VALUES, EDITS }

    /** The most events one query returns, whatever it asks for. */
    public static final int MAX_LIMIT = 10_000;

    public static RangeQuery of(Long fromLast, Long from, String fromTime, Long to, Integer limit, String view) {
        int starts = (fromLast != null ? 1 : 0) + (from != null ? 1 : 0) + (fromTime != null ? 1 : 0);
        if (starts != 1) {
            throw ProtocolException.invalid("a range needs exactly one of fromLast, from, fromTime");
        }
        if (fromLast != null && fromLast <= 0) {
            throw ProtocolException.invalid("fromLast must be positive");
        }
        if (from != null && from < 1) {
            throw ProtocolException.invalid("from must be a seq (1 or more)");
        }
        if (to != null && from != null && from > to) {
            throw ProtocolException.invalid("from (" + from + ") is after to (" + to + ")");
        }
        if (limit != null && (limit <= 0 || limit > MAX_LIMIT)) {
            throw ProtocolException.invalid("limit must be between 1 and " + MAX_LIMIT);
        }
        Instant time = null;
        if (fromTime != null) {
            try {
                time = Instant.parse(fromTime);
            } catch (DateTimeParseException e) {
                throw ProtocolException.invalid("fromTime '" + fromTime + "' is not an ISO-8601 instant like 2026-11-22T20:00:00Z");
            }
        }
        View v;
        if (view == null || view.isBlank() || view.equalsIgnoreCase("values")) {
            v = View.VALUES;
        } else if (view.equalsIgnoreCase("edits")) {
            v = View.EDITS;
        } else {
            throw ProtocolException.invalid("view must be values or edits");
        }
        int max = limit != null ? limit : MAX_LIMIT;
        if (fromLast != null) {
            max = (int) Math.min(max, fromLast);
        }
        return new RangeQuery(fromLast, from, time, to, max, v);
    }
}
