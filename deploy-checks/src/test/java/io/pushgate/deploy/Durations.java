package io.pushgate.deploy;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Quarkus reads them: {@code 30s}, {@code 500ms}, {@code 1m}, {@code 2h}, {@code PT30S}, or seconds. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private Durations() {
    }

    static Optional<Duration> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            try {
                return Optional.of(Duration.parse(v));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        Matcher m = SHORT.matcher(v);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return Optional.of(switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        });
    }
}
