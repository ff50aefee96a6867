package io.pushgate.gateway.timeseries;

import io.pushgate.protocol.ProtocolException;
import java.time.Duration;
import java.util.Locale;

/**
 * A range of events by count and age, as {@code TIME_SERIES_RETAINED_RANGE} and
 * {@code TIME_SERIES_SUBSCRIPTION_RANGE} give it: {@code limit N}, {@code last D}, or both
 * ({@code limit 1000 last 1h}). Durations are a number and a unit: {@code ms}, {@code s},
 * {@code m}, {@code h}, {@code d} (also spelled out: {@code 10 seconds}, {@code 1 hour}).
 * Zero means "no bound" for either part.
 */
public record RetentionRange(long limit, Duration last) {

    public static final RetentionRange UNBOUNDED = new RetentionRange(0, Duration.ZERO);

    public static RetentionRange parse(String text, RetentionRange whenMissing) {
        if (text == null || text.isBlank()) {
            return whenMissing;
        }
        String[] words = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        long limit = 0;
        Duration last = Duration.ZERO;
        int i = 0;
        while (i < words.length) {
            String word = words[i++];
            if (i >= words.length) {
                throw ProtocolException.invalid("range '" + text + "': '" + word + "' needs a value");
            }
            switch (word) {
                case "limit" -> limit = positive(words[i++], text);
                case "last" -> {
                    String amount = words[i++];
                    if (amount.chars().allMatch(Character::isDigit) && i < words.length && isUnit(words[i])) {
                        amount = amount + words[i++];
                    }
                    last = duration(amount, text);
                }
                default -> throw ProtocolException.invalid("range '" + text + "': expected 'limit N' or 'last D', not '" + word + "'");
            }
        }
        return new RetentionRange(limit, last);
    }

    public boolean hasLimit() {
        return limit > 0;
    }

    public boolean hasAge() {
        return !last.isZero();
    }

    private static long positive(String word, String text) {
        try {
            long n = Long.parseLong(word);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid("range '" + text + "': '" + word + "' is not a positive whole number");
        }
    }

    private static boolean isUnit(String word) {
        return unitMillis(word) > 0;
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms", "millisecond", "milliseconds" -> 1;
            case "s", "second", "seconds" -> 1_000;
            case "m", "minute", "minutes" -> 60_000;
            case "h", "hour", "hours" -> 3_600_000;
            case "d", "day", "days" -> 86_400_000;
            default -> -1;
        };
    }

    static Duration duration(String word, String text) {
        int split = 0;
        while (split < word.length() && Character.isDigit(word.charAt(split))) {
            split++;
        }
        long unit = unitMillis(word.substring(split));
        if (split == 0 || unit < 0) {
            throw ProtocolException.invalid("range '" + text + "': '" + word + "' is not a duration like 30s, 10m, 1h or 2d");
        }
        return Duration.ofMillis(positive(word.substring(0, split), text) * unit);
    }

    @Override
    public String toString() {
        return (hasLimit() ? "limit " + limit : "") + (hasLimit() && hasAge() ? " " : "") + (hasAge() ? "last " + last.toMillis() + "ms" : "");
    }
}
