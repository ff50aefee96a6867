package io.pushgate.bridge.gateway;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A gateway topic path template such as {@code redis/<channel>}: {@code <channel>} stands for the
 * Redis channel's name, in which every character a topic path segment cannot hold (anything but
 * {@code A-Z a-z 0-9 _ . -}) becomes {@code _}, so {@code orders:eu} gives {@code redis/orders_eu}.
 */
public record TopicTemplate(String template) {

    public static final String CHANNEL = "<channel>";

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
    private static final Pattern NOT_IN_SEGMENT = Pattern.compile("[^A-Za-z0-9_.-]");
    private static final int MAX_PATH_LENGTH = 1024;

    public TopicTemplate {
        if (template == null || expandUnchecked(template, "x").isEmpty()) {
            throw new IllegalArgumentException("not a topic path template (segments of A-Z a-z 0-9 _ . - joined by /, with <channel>): " + template);
        }
    }

    /** The topic path for a message on {@code channel}, or empty if it would not be a valid path. */
    public Optional<String> expand(String channel) {
        return expandUnchecked(template, channel);
    }

    private static Optional<String> expandUnchecked(String template, String channel) {
        String path = template.replace(CHANNEL, NOT_IN_SEGMENT.matcher(channel).replaceAll("_"));
        return path.length() <= MAX_PATH_LENGTH && PATH.matcher(path).matches() ? Optional.of(path) : Optional.empty();
    }
}
