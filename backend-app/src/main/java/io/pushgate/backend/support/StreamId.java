package io.pushgate.backend.support;

/**
 * A Redis stream entry id ({@code <milliseconds>-<sequence>}), ordered as Redis orders them, so
 * that "not newer than the last one written" compares ids rather than strings
 * ({@code "9-0"} sorts after {@code "10-0"} as text).
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    /** Parses {@code 1732306500000-0}, or {@code 1732306500000} (sequence 0). */
    public static StreamId parse(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("empty stream id");
        }
        int dash = id.indexOf('-');
        try {
            return dash < 0 ? new StreamId(Long.parseUnsignedLong(id), 0)
                    : new StreamId(Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stream id: '" + id + "'", e);
        }
    }

    /** Null for null or an id that does not parse. */
    public static StreamId parseOrNull(String id) {
        try {
            return id == null ? null : parse(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public int compareTo(StreamId other) {
        int c = Long.compareUnsigned(millis, other.millis);
        return c != 0 ? c : Long.compareUnsigned(sequence, other.sequence);
    }

    public boolean isAfter(StreamId other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
