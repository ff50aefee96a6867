package io.pushgate.bridge.redis;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Redis channel name as clients and configuration may give it: 1 to 128 characters of
 * {@code [A-Za-z0-9_.:*-]}. A name with {@code *} is a glob pattern, subscribed with PSUBSCRIBE.
 * The set is deliberately small: no spaces, no {@code ?} or {@code [...]} globs, nothing that
 * needs escaping in a URL path segment.
 */
public record ChannelName(String value) {

    /** The longest name accepted. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:*-]{1," + MAX_LENGTH + "}");

    public ChannelName {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid channel name (1-" + MAX_LENGTH + " characters of A-Z a-z 0-9 _ . : * -): " + value);
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** The name, or empty if it is not valid. */
    public static Optional<ChannelName> parse(String value) {
        return isValid(value) ? Optional.of(new ChannelName(value)) : Optional.empty();
    }

    /** Whether this is a glob pattern (it contains {@code *}). */
    public boolean isPattern() {
        return value.indexOf('*') >= 0;
    }

    /** SUBSCRIBE for a plain channel, PSUBSCRIBE for a pattern. */
    public SubscriptionKey subscriptionKey() {
        return isPattern() ? SubscriptionKey.pattern(value) : SubscriptionKey.channel(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
