package io.pushgate.gateway.views;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The time units of the language. Diffusion has seconds, minutes and hours; milliseconds are
 * Pushgate's addition. Each unit is accepted singular or plural whatever the number, and a
 * bare singular unit means one of it ({@code every second}, as Diffusion allows).
 */
enum DurationUnit {
    HOUR(ChronoUnit.HOURS),
    MINUTE(ChronoUnit.MINUTES),
    SECOND(ChronoUnit.SECONDS),
    MILLISECOND(ChronoUnit.MILLIS);

    static final String UNITS = "milliseconds, seconds, minutes or hours";

    private final ChronoUnit unit;

    DurationUnit(ChronoUnit unit) {
        this.unit = unit;
    }

    String singular() {
        return name().toLowerCase(Locale.ROOT);
    }

    Duration of(long count) {
        return Duration.of(count, unit);
    }

    /** The unit a word names, singular or plural, any case; null if none. */
    static DurationUnit unit(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (DurationUnit d : values()) {
            if (w.equals(d.singular()) || w.equals(d.singular() + "s")) {
                return d;
            }
        }
        return null;
    }

    /** True for the singular form, the only one that may stand without a number. */
    static boolean isSingular(String word) {
        DurationUnit d = unit(word);
        return d != null && word.equalsIgnoreCase(d.singular());
    }

    /**
     * Canonical text: the largest unit that divides the duration exactly, so that
     * {@code 60 seconds} and {@code 1 minute} (equal DurationUnit) render alike.
     */
    static String toDsl(Duration duration) {
        for (DurationUnit d : values()) {
            long size = d.of(1).toMillis();
            long millis = duration.toMillis();
            if (millis % size == 0) {
                long count = millis / size;
                return count + " " + d.singular() + (count == 1 ? "" : "s");
            }
        }
        throw new IllegalStateException("unreachable: every duration is a number of milliseconds");
    }

    /**
     * Refuses durations the language cannot write: not positive, finer than a millisecond, or
     * needing a count over {@link Integer#MAX_VALUE} (the parser's limit) in its best unit.
     */
    static Duration require(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + duration);
        }
        if (duration.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(what + " must be a whole number of milliseconds: " + duration);
        }
        // an hour count over Integer.MAX_VALUE is past any count the parser reads
        if (duration.toHours() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " is too long to be written: " + duration);
        }
        String dsl = toDsl(duration);
        if (Long.parseLong(dsl.substring(0, dsl.indexOf(' '))) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " is too long to be written: " + duration);
        }
        return duration;
    }
}
